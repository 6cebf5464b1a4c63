"""Assessment tasks, submissions, marking, moderation and credits."""

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        from assessment import credit_registry, registry

        registry.register()
        registry.register_marking()
        registry.register_statements()
        registry.register_moderation()
        credit_registry.register()
        registry.register_sampling()
