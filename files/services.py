"""Keeping an uploaded file for a record."""

from files import content
from files.models import PrivateFile
from files.storage import download_name


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
