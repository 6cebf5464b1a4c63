from django.urls import path, re_path

from tracking import chart_views, export_views, homes, leader_views, views

app_name = "tracking"

# Mounted under /programme/, where these pages have always been, so bookmarks keep working.
urlpatterns = [
    path("my-programme/", homes.participant_home, name="participant_home"),
    path("my-coachees/", homes.coach_home, name="coach_home"),
    path("my-participants/", homes.tutor_home, name="tutor_home"),
    path("examiner/", homes.examiner_home, name="examiner_home"),
    path("my-school/", views.head_home, name="head_home"),
    path("overview/", views.leader_home, name="leader_home"),
    re_path(r"^my-school/participants\.(?P<kind>csv|xlsx)$", views.head_export, name="head_export"),
    re_path(r"^overview/participants\.(?P<kind>csv|xlsx)$", views.leader_export, name="leader_export"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("my-school/charts/", chart_views.head_charts, name="head_charts"),
    path("overview/charts/", chart_views.leader_charts, name="leader_charts"),
    re_path(r"^my-school/charts/(?P<slug>[a-z]+)\.svg$", chart_views.head_chart, name="head_chart"),
    re_path(r"^overview/charts/(?P<slug>[a-z]+)\.svg$", chart_views.leader_chart, name="leader_chart"),
]

# The programme leader's views of progression, marking and coaching across the programme (tracking.leader).
urlpatterns += [
    path("overview/progression/", leader_views.progression, name="progression"),
    path("my-school/progression/", leader_views.head_progression, name="head_progression"),
    path("overview/tutors/", leader_views.tutors, name="tutors"),
    path("overview/tutors/<int:tutor_id>/", leader_views.tutor_work, name="tutor_work"),
    path("overview/coaches/", leader_views.coaches, name="coaches"),
    path("overview/coaches/<int:coach_id>/", leader_views.coach_sessions, name="coach_sessions"),
]
