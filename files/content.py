"""Judge an upload by its content: which kind it is, from its first bytes, and whether its
structure is really that kind's (an Office file is a complete package, a PDF parses and runs no
script, an image decodes, a recording has audio frames or a movie header). Whatever a file is
called plays no part. A refused file raises FileRefused with a message for the person uploading.
"""

from collections.abc import Callable, Iterable
from typing import IO

import filetype

from files import images, media, pdfs, zips
from files.errors import FileRefused
from files.kinds import Kind, accepted, listed

# How the code checks each kind it knows. The settings choose which of these the portal keeps.
CHECKS: dict[str, Callable[[IO[bytes], Kind], None]] = {
    "pdf": pdfs.check,
    "docx": zips.check_office,
    "xlsx": zips.check_office,
    "pptx": zips.check_office,
    "odt": zips.check_opendocument,
    "png": images.check,
    "jpg": images.check,
    "mp3": media.check_mp3,
    "m4a": media.check_mp4,
    "mp4": media.check_mp4,
}

EMPTY = "The file is empty. Choose the file again."
ZIP = filetype.get_type(ext="zip")


def sniff(upload: IO[bytes]) -> str | None:
    """The kind a file's content claims to be, from its first bytes (filetype), or None. A zip is
    looked inside: filetype names an Office package from its first entries alone, where the
    package itself says which kind it is (or that it is a template, or has macros)."""
    if filetype.match(upload, matchers=[ZIP]):
        return zips.sniff(upload)
    guessed = filetype.guess(upload)
    return guessed.extension if guessed else None


def judge(upload, *, accept: Iterable[str]) -> Kind:
    """The kind of an uploaded file, once its content proves it; FileRefused with a message for
    people when it is empty, too big, not an accepted kind, or not a sound file of its kind."""
    kinds = accepted(accept)
    if upload.size == 0:
        raise FileRefused(EMPTY)
    largest = max(kinds, key=lambda kind: kind.max_bytes)
    if upload.size > largest.max_bytes:
        raise FileRefused(f"The file must be smaller than {largest.size_limit}.")
    claimed = sniff(upload)
    found = next((kind for kind in kinds if kind.extension == claimed), None)
    if found is None:
        raise FileRefused(
            f"The file must be a {listed(kinds)}. This file's content is not one of those, whatever its name says."
        )
    if upload.size > found.max_bytes:
        raise FileRefused(f"{found.label} files must be smaller than {found.size_limit}.")
    upload.seek(0)
    try:
        CHECKS[found.extension](upload, found)
    finally:
        upload.seek(0)
    return found
