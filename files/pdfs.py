"""PDFs: the file must parse as a PDF (pypdf), and nothing reachable from its catalogue may run
a script, launch a program or carry other files inside it.

pypdf decodes compressed object streams and escaped names (/J#61vaScript), which a search of the
raw bytes would miss; the walk follows references from the trailer with a bound on the number of
objects, so a hostile file cannot keep it busy.
"""

from typing import IO

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from files.errors import FileRefused
from files.kinds import Kind

MAX_OBJECTS = 100_000  # a few seconds of walking at most; real PDFs have far fewer
# Keys that hold a script (/XFA forms carry their own) or actions run without being asked
# (/AA: on opening a page, on focusing a field...).
SCRIPT_KEYS = {"/JS", "/JavaScript", "/AA", "/XFA"}
# An /OpenAction, a link or a bookmark that runs a script or starts a program.
RUNNING_ACTIONS = {"/JavaScript", "/Launch"}
# The document's list of embedded files, an embedded file stream, a file specification's embedded copy.
FILE_KEYS = {"/EmbeddedFiles", "/EF"}


class _Script(Exception):
    pass


class _Attachment(Exception):
    pass


def check(upload: IO[bytes], kind: Kind) -> None:
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise FileRefused(
                "This PDF is protected by a password, so its content cannot be checked. "
                "Save a copy without the password and attach that."
            )
        if len(reader.pages) == 0:
            raise _unreadable()
        _walk(reader.trailer)
    except _Script as found:
        raise FileRefused(
            "This PDF contains a script or an automatic action, which the portal does not accept. "
            "Print it to a new PDF (or export it again without scripts) and attach that."
        ) from found
    except _Attachment as found:
        raise FileRefused(
            "This PDF has other files embedded in it, which the portal does not accept. "
            "Save it again without the embedded files, and attach each of those files on its own."
        ) from found
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as error:
        raise _unreadable() from error


def _walk(root: PdfObject) -> None:
    """Visit every object reachable from root, raising _Script or _Attachment at the first found."""
    seen: set[tuple[int, int]] = set()
    waiting: list[PdfObject] = [root]
    visited = 0
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ValueError("Too many objects to check.")
        if isinstance(item, DictionaryObject):
            keys = set(item.keys())
            if keys & SCRIPT_KEYS or _name(item, "/S") in RUNNING_ACTIONS:
                raise _Script
            if keys & FILE_KEYS or _name(item, "/Type") == "/EmbeddedFile":
                raise _Attachment
            waiting.extend(item.values())
        elif isinstance(item, ArrayObject):
            waiting.extend(item)


def _name(item: DictionaryObject, key: str) -> object:
    value = item.get(key)
    return value.get_object() if value is not None else None


def _unreadable() -> FileRefused:
    return FileRefused(
        "This file starts like a PDF but is not a readable PDF. "
        "Open it, save or export it as a PDF again, and attach the new copy."
    )
