"""Keeping an uploaded file for a record, and copying a kept one."""

import hashlib

from django.core.files import File

from files import content
from files.models import PrivateFile
from files.storage import download_name

CHUNK = 64 * 1024


def private_file_store(*, record: PrivateFile, upload, by) -> PrivateFile:
    """Judge the upload by its content against the kinds the record accepts (FileRefused, with a
    message for people, when the portal does not keep it: nothing is stored), then store it and
    save the record. Runs in the caller's transaction, as its last step: if saving the record
    fails, the stored file is removed again."""
    kind = content.judge(upload, accept=record.accepts)
    record.name = download_name(upload.name or "", kind.extension)
    record.content_type = kind.content_type
    record.size = upload.size
    record.uploaded_by = by
    record.file.save(record.name, upload, save=False)
    try:
        record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record


def private_file_sha256(kept: PrivateFile) -> str:
    """The SHA-256 of a kept file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with kept.file.open("rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def private_file_copy(*, source: PrivateFile, record: PrivateFile, by) -> PrivateFile:
    """Copy a kept file into a new record: the same bytes under a name of its own in private
    storage, so whatever later happens to the source (replaced, deleted) the copy stays as it was.
    The source was judged when it was uploaded, so it is not judged again. Runs in the caller's
    transaction; if saving the record fails, the copy is removed again (a caller that fails later
    removes it with `record.file.delete`)."""
    record.name = source.name
    record.content_type = source.content_type
    record.size = source.size
    record.uploaded_by = by
    with source.file.open("rb") as stream:
        record.file.save(source.name, File(stream), save=False)
    try:
        record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record
