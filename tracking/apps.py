from django.apps import AppConfig


class TrackingConfig(AppConfig):
    """The head's and programme leader's dashboards. Reads the other apps' selectors and the access
    policy; owns no records."""

    name = "tracking"
    verbose_name = "Tracking"
