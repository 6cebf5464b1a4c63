from django import forms

from files.kinds import accepted, describe


class PrivateFileField(forms.FileField):
    """A file upload whose hint lists the kinds accepted and their size limits, from the settings.
    The content is judged when the file is stored (files.services.private_file_store)."""

    def __init__(self, *, accept: tuple[str, ...], **kwargs):
        kwargs.setdefault("help_text", describe(accepted(accept)))
        super().__init__(**kwargs)
