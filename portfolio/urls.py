from django.urls import path

from portfolio import export_views, library_views, views

app_name = "portfolio"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("participants/<int:enrolment_id>/", views.home, name="home"),
    path("participants/<int:enrolment_id>/coverage/", views.coverage, name="coverage"),
    path("participants/<int:enrolment_id>/evidence/new/", views.evidence_create, name="evidence_create"),
    path("participants/<int:enrolment_id>/reflections/new/", views.reflection_create, name="reflection_create"),
    path("participants/<int:enrolment_id>/enquiries/new/", views.enquiry_create, name="enquiry_create"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("reflections/<int:pk>/", views.reflection_detail, name="reflection_detail"),
    path("reflections/<int:pk>/edit/", views.reflection_edit, name="reflection_edit"),
    path("enquiries/<int:pk>/", views.enquiry_detail, name="enquiry_detail"),
    path("enquiries/<int:pk>/edit/", views.enquiry_edit, name="enquiry_edit"),
    path("enquiries/<int:pk>/sections/<slug:section>/", views.enquiry_section, name="enquiry_section"),
    # The participant's export of their whole portfolio.
    path("participants/<int:enrolment_id>/export/", export_views.export_page, name="export"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    # The research library (journey 7).
    path("enquiries/<int:pk>/library-summary/", library_views.summary_create, name="library_summary_create"),
    path("library-summaries/awaiting/", library_views.awaiting, name="library_awaiting"),
    path("library-summaries/<int:pk>/", library_views.summary_detail, name="library_summary_detail"),
    path("library-summaries/<int:pk>/edit/", library_views.summary_edit, name="library_summary_edit"),
    path("library-summaries/<int:pk>/send/", library_views.summary_send, name="library_summary_send"),
    path("library-summaries/<int:pk>/review/", library_views.summary_review, name="library_summary_review"),
    path("library-summaries/<int:pk>/publish/", library_views.summary_publish, name="library_summary_publish"),
    path("library-summaries/<int:pk>/withdraw/", library_views.summary_withdraw, name="library_summary_withdraw"),
]
