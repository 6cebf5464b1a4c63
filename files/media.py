"""Recordings: MP3 audio, and M4A audio or MP4 video (both ISO base media files), checked with
mutagen, which reads their headers and never decodes the media.

An MP3 must have a run of MPEG audio frames after any ID3 tags (mutagen looks in the first
megabyte). An M4A or MP4 must parse as a tree of boxes holding a movie, whose tracks' headers
are complete.
"""

from typing import IO

from mutagen import MutagenError
from mutagen.mp3 import MPEGInfo
from mutagen.mp4 import MP4

from files.errors import FileRefused
from files.kinds import Kind

# mutagen reads each box's header once, and skips ID3 tags one read at a time: a real recording
# takes a few thousand reads at most, while a file of millions of empty boxes or stacked tags
# would keep it busy for a minute and fill memory.
MAX_READS = 100_000


def check_mp3(upload: IO[bytes], kind: Kind) -> None:
    try:
        MPEGInfo(_Rationed(upload))
    except MutagenError as error:
        raise _unplayable(kind) from error


def check_mp4(upload: IO[bytes], kind: Kind) -> None:
    try:
        MP4(_Rationed(upload))
    except MutagenError as error:
        raise _unplayable(kind) from error


class _Rationed:
    """The upload, for mutagen, refusing (with an OSError, which mutagen reports as a broken
    file) to be read more than MAX_READS times."""

    def __init__(self, upload: IO[bytes]):
        self._upload, self._reads = upload, 0

    def read(self, size: int = -1) -> bytes:
        self._reads += 1
        if self._reads > MAX_READS:
            raise OSError("Too many parts to check.")
        return self._upload.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._upload.seek(offset, whence)

    def tell(self) -> int:
        return self._upload.tell()


def _unplayable(kind: Kind) -> FileRefused:
    return FileRefused(
        f"This file's content claims to be {kind.label}, but it is not a recording that can be played. "
        "Export or save it again from the program that made it and attach the new copy."
    )
