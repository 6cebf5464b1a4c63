"""The design system glue: GOV.UK Frontend markup for Django forms and shared template pieces."""

from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "ui"
    verbose_name = "Design system"
