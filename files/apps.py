"""Private files: checked uploads, private storage and the one download view."""

from django.apps import AppConfig
from django.core import checks


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Private files"

    def ready(self) -> None:
        checks.register(kinds_have_checks)


def kinds_have_checks(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every kind the settings allow must be one the code can check, or it could never be kept."""
    from files.content import CHECKS
    from files.kinds import all_kinds

    return [
        checks.Error(f"PRIVATE_FILE_KINDS lists {extension!r}, which files.content cannot check.", id="files.E001")
        for extension in all_kinds()
        if extension not in CHECKS
    ]
