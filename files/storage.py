"""Where private files live and what they are called.

Files are stored in settings.PRIVATE_MEDIA_ROOT (by default `private_media/` beside the project,
outside MEDIA_ROOT), under a random name in a folder per record kind and participant. No URL
serves that directory: the storage has no URL at all, and the only way out is files.views.download,
which asks the access policy first. The name a file is downloaded under is the name it was
uploaded with, made safe, with the extension of what its content is.
"""

import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename


def download_name(original_name: str, extension: str) -> str:
    stem = get_valid_filename(Path(os.path.basename(original_name)).stem)[:80] or "file"
    return f"{stem}.{extension}"


def upload_to(instance, filename: str) -> str:
    """`app/model/enrolment/random.ext`: the uploaded name is never part of the path. The record
    says whose it is through the access protocol (access_enrolment_id)."""
    suffix = Path(filename).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
    meta = instance._meta
    return f"{meta.app_label}/{meta.model_name}/{instance.access_enrolment_id}/{uuid.uuid4().hex}{suffix}"


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage outside MEDIA_ROOT with no URL. Its location is read from the settings
    each time, so tests can point it at a temporary directory."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):  # type: ignore[override]
        return private_root()

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; they are served by a view that checks access.")


private_storage = PrivateStorage()
