from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.index, name="index"),
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
]
