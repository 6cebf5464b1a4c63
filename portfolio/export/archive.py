"""The export's zip: README.txt, portfolio.pdf, leap2a.xml and the original files, byte for byte.

Files are stored as they are (most kinds are compressed already); the text parts are deflated.
`progress` is told how many of the contents' records and files are done as the build goes.
"""

import datetime
import logging
import shutil
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

from django.conf import settings
from django.template.loader import render_to_string

from portfolio import thumbnails
from portfolio.export import leap2a, pdf
from portfolio.export.contents import Contents

README = "README.txt"
PDF = "portfolio.pdf"
LEAP2A = "leap2a.xml"
_CHUNK = 1024 * 1024
logger = logging.getLogger(__name__)


def _timestamp(moment: datetime.datetime) -> tuple[int, int, int, int, int, int]:
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _thumbnails(contents: Contents) -> None:
    """The small copy of each current image, for the PDF: the one kept since its upload, or, for an
    image kept before thumbnails were (or one whose thumbnail is missing), one made now."""
    images = [kept for kept in contents.files if kept.current and kept.record.content_type in thumbnails.KINDS]
    missing = [kept for kept in images if not kept.record.thumbnail]
    # Pillow lets go of the GIL while it decodes and encodes, so threads make them side by side.
    # Only file storage here: a thread's database connection would outlive the task.
    with ThreadPoolExecutor(max_workers=max(1, settings.PORTFOLIO_EXPORT_PDF_PROCESSES)) as pool:
        made = pool.map(thumbnails.kept_or_made, [kept.record for kept in images])
        for kept, small in zip(images, made, strict=True):
            kept.thumbnail = thumbnails.data_uri(small)
    if missing:
        logger.info("%s of the export's images had no thumbnail kept: made now.", len(missing))


def write(
    contents: Contents,
    out: BinaryIO,
    *,
    feed_id: str,
    now: datetime.datetime,
    valid_days: int,
    progress: Callable[[int], None] = lambda done: None,
) -> None:
    stamp = _timestamp(now)
    # The PDF shows a small copy of each image, made first: the PDF is then laid out (in processes
    # of its own, for a long portfolio) while the files are copied.
    _thumbnails(contents)
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:

        def text(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        def copy_files() -> None:
            for done, kept in enumerate(contents.files, start=1):
                info = zipfile.ZipInfo(kept.path, date_time=_timestamp(kept.record.uploaded_at))
                info.compress_type = zipfile.ZIP_STORED
                with kept.record.file.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, _CHUNK)
                progress(done)

        text(
            README,
            render_to_string(
                "portfolio/export/README.txt", {"c": contents, "now": now, "valid_days": valid_days}
            ).encode("utf-8"),
        )
        document = pdf.write(contents, meanwhile=copy_files)
        text(LEAP2A, leap2a.build(contents, feed_id=feed_id, now=now))
        text(PDF, document)
        progress(contents.records)
