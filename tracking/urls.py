from django.urls import path, re_path

from tracking import views

app_name = "tracking"

# Mounted under /programme/, where these pages have always been, so bookmarks keep working.
urlpatterns = [
    path("my-school/", views.head_home, name="head_home"),
    path("overview/", views.leader_home, name="leader_home"),
    re_path(r"^my-school/participants\.(?P<kind>csv|xlsx)$", views.head_export, name="head_export"),
    re_path(r"^overview/participants\.(?P<kind>csv|xlsx)$", views.leader_export, name="leader_export"),
]
