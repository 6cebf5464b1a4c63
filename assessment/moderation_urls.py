"""Moderation's addresses, under /marking/ in the marking namespace (see marking_urls)."""

from django.urls import path

from assessment import moderation_views as views

urlpatterns = [
    path("tasks/<int:pk>/moderation/", views.task_moderation, name="task_moderation"),
    path("moderation/", views.for_me, name="moderation_for_me"),
    path("moderation/<int:pk>/", views.moderation, name="moderation"),
]
