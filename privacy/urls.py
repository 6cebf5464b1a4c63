from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("subject-access/", views.subject_access, name="subject_access"),
    path("subject-access/<int:pk>/", views.subject_access_detail, name="subject_access_detail"),
    path("subject-access/<int:pk>/download/", views.subject_access_download, name="subject_access_download"),
]
