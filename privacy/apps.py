"""Subject access and erasure: the provider's duties to the people whose records the portal holds."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Data protection"
