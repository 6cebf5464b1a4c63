from django.urls import path

from assessment import examiner_views as views

app_name = "examiner"

urlpatterns = [
    path("samples/<int:pk>/", views.sample, name="sample"),
    path("samples/<int:pk>/work/<int:submission_pk>/", views.submission, name="submission"),
    path("samples/<int:pk>/sessions/<int:version_pk>/", views.cited_log, name="cited_log"),
    path("samples/<int:pk>/comments/", views.comments, name="comments"),
    path("tasks/<int:pk>/sample/", views.task_sample, name="task_sample"),
    path("comments/", views.commented, name="commented"),
]
