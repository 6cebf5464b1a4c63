"""Initial diagnosis, dialogue logs, action steps and learning opportunities."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"
