"""The one way to read a private file."""

import re
from typing import Protocol

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from audit import trail
from files.kinds import by_content_type
from files.models import PrivateFile
from files.registry import find
from programme import access
from programme.access import Action

CHUNK = 64 * 1024
ATTACHMENT_POLICY = "default-src 'none'; sandbox"
# A recording opened on its own is played by the browser in a page of its own making, which fetches
# the recording again: that page keeps its origin (a sandbox without it makes the fetch cross-origin
# and Chromium refuses it) but may still run no script and load nothing else.
INLINE_POLICY = "default-src 'none'; media-src 'self'; sandbox allow-same-origin"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
UNSATISFIABLE = "unsatisfiable"


@require_safe
@login_required
def download(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A file, for whoever the access policy lets view its record in full; anyone else gets a
    404, whether or not they may see the record's summary. A download (an attachment) unless its
    kind is declared safe to show inline, of the kind sniffed when it was uploaded, which the
    browser is told not to second-guess, never stored by a cache, sandboxed if opened."""
    registered = find(kind)
    if registered is None:
        raise Http404("No such kind of file.")
    record: PrivateFile = get_object_or_404(registered.queryset(), pk=pk)
    if not access.can(request.user, Action.VIEW, record):
        raise Http404("No such file.")
    # From here the file is read: the one place a successful read of a private file happens.
    trail.read(record)
    return serve(request, record)


class Stored(Protocol):
    """What serving reads of a record holding a private file: a PrivateFile, or a file the portal
    made for someone (a dashboard's export, tracking.models.ListExport)."""

    file: FieldFile
    name: str
    content_type: str


def serve(request: HttpRequest, record: Stored) -> HttpResponse:
    """The whole file, or the one byte range asked for (a player seeking in a recording, a
    download resumed), with the headers every private file carries. The caller has asked the
    access policy and audited the read. A stored file never changes, so a range needs no validator."""
    kind = by_content_type(record.content_type)
    inline = kind is not None and kind.inline
    size = record.file.size
    wanted = _range(request.headers.get("Range", ""), size)
    response: HttpResponse
    if wanted == UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is not None:
        first, last = wanted
        response = StreamingHttpResponse(_chunks(record, first, last), status=206, content_type=record.content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
        response["Content-Disposition"] = content_disposition_header(not inline, record.name)
    else:
        response = FileResponse(
            record.file.open("rb"), as_attachment=not inline, filename=record.name, content_type=record.content_type
        )
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = INLINE_POLICY if inline else ATTACHMENT_POLICY
    return response


def _range(header: str, size: int) -> tuple[int, int] | str | None:
    """The one byte range asked for, as (first, last); UNSATISFIABLE; or None for the whole
    file (no Range header, one that cannot be read, or several ranges, which may be ignored)."""
    matched = _RANGE.fullmatch(header.strip())
    if matched is None:
        return None
    first, last = matched.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        return (max(size - length, 0), size - 1) if length and size else UNSATISFIABLE
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return start, end


def _chunks(record: Stored, first: int, last: int):
    with record.file.open("rb") as stream:
        stream.seek(first)
        left = last - first + 1
        while left > 0:
            data = stream.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data
