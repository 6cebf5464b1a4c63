from django.urls import path

from assessment import marking_views as views
from assessment.moderation_urls import urlpatterns as moderation_urls

app_name = "marking"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("submissions/<int:pk>/", views.workspace, name="workspace"),
    path("submissions/<int:pk>/result/", views.result, name="result"),
    path("tasks/<int:pk>/release/", views.task_release, name="task_release"),
    path("comments/", views.comment_bank, name="comment_bank"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    *moderation_urls,
]
