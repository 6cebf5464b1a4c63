"""Assessment tasks, submissions, marking, moderation and credits."""

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Assessment"
