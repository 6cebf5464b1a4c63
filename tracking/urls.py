from django.urls import path

from tracking import views

app_name = "tracking"

# Mounted under /programme/, where these pages have always been, so bookmarks keep working.
urlpatterns = [
    path("my-school/", views.head_home, name="head_home"),
    path("overview/", views.leader_home, name="leader_home"),
]
