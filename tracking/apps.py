from django.apps import AppConfig


class TrackingConfig(AppConfig):
    """The head's and programme leader's dashboards. Reads the other apps' selectors and the access
    policy; keeps only long exports and each participant's at-risk reasons as judged today."""

    name = "tracking"
    verbose_name = "Tracking"

    def ready(self) -> None:
        from tracking import stored_risks

        # The writes that can change an at-risk reason judge their participants again.
        stored_risks.connect()
