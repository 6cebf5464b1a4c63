"""Files attached to a coaching record as evidence (the initial diagnosis's "evidence attached").

A file is judged by its content, never by its name: the first bytes are sniffed with `filetype`,
and only the kinds below are kept. The stored name and the name it is downloaded under take the
sniffed kind's extension, so a PDF renamed `.exe` comes back as `.pdf` and an executable renamed
`.pdf` is refused.

Files are stored in a private directory (settings.PRIVATE_MEDIA_ROOT, by default `private_media/`
beside the project, outside MEDIA_ROOT), which no URL serves: the storage has no URL at all. The
only way out is coaching.views.evidence.diagnosis_evidence_download, which asks the access policy first.
"""

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename

MAX_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 8192

# The kinds of file kept, by the MIME type `filetype` sniffs, with the name shown to people.
ALLOWED: dict[str, str] = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet (XLSX)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation (PPTX)",
    "application/vnd.oasis.opendocument.text": "OpenDocument text (ODT)",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
}
ALLOWED_NAMES = "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument text (ODT), PNG or JPEG"
TOO_BIG = f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB."
REFUSED_KIND = f"The file must be a {ALLOWED_NAMES}. This file's content is not one of those, whatever its name says."
EMPTY = "The file is empty. Choose the file again."


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


class EvidenceRefused(ValueError):
    pass


def sniff(upload) -> Sniffed:
    """The kind of an uploaded file, from its content; EvidenceRefused with a message for people
    when it is empty, too big or not an allowed kind. Reads only the first few kilobytes."""
    if upload.size == 0:
        raise EvidenceRefused(EMPTY)
    if upload.size > MAX_BYTES:
        raise EvidenceRefused(TOO_BIG)
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise EvidenceRefused(REFUSED_KIND)
    return Sniffed(content_type=kind.mime, extension=kind.extension)


def download_name(original_name: str, extension: str) -> str:
    """The name a file is offered under: the name it was uploaded with, made safe, with the
    extension of what it actually is."""
    stem = get_valid_filename(Path(os.path.basename(original_name)).stem)[:80] or "evidence"
    return f"{stem}.{extension}"


def upload_to(instance, filename: str) -> str:
    """Files are stored under a random name, by participant: the uploaded name is never a path."""
    return f"diagnosis/{instance.diagnosis.enrolment_id}/{uuid.uuid4().hex}{Path(filename).suffix}"


def private_root() -> Path:
    return Path(getattr(settings, "PRIVATE_MEDIA_ROOT", Path(settings.BASE_DIR) / "private_media"))


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
