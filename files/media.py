"""Recordings: MP3 audio, and M4A audio or MP4 video (both ISO base media files).

An MP3 must have a run of valid MPEG audio frames after any ID3 tag. An M4A or MP4 must be a
chain of boxes that covers the whole file exactly, starting with its file type and holding a
movie header; only the boxes' headers are read, never the media.
"""

import struct
from typing import IO

from files.errors import FileRefused
from files.kinds import Kind

# --- MP3: MPEG-1, -2 and -2.5 audio, layer III.
FRAMES_NEEDED = 3
MAX_TAGS = 4
SEARCH_BYTES = 64 * 1024  # where the first frame may start after the ID3 tag (some encoders pad)
_BITRATES = {  # kbit/s by bitrate index; index 0 (free format) and 15 are not accepted
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2
}
_BITRATES[0] = _BITRATES[2]  # MPEG-2.5
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}

# --- MP4: the brands of the file type box that say what the file is.
AUDIO_BRANDS = {"M4A "}
VIDEO_BRANDS = {"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "M4V "}
MAX_BOXES = 10_000


def is_mp3_frame(head: bytes) -> bool:
    return _frame_length(head) is not None


def check_mp3(upload: IO[bytes], kind: Kind) -> None:
    upload.seek(0)
    data = upload.read(10)
    start, tags = 0, 0
    while data.startswith(b"ID3") and len(data) == 10 and tags < MAX_TAGS:  # each with a "syncsafe" size
        tags += 1
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        start += 10 + size + (10 if data[5] & 0x10 else 0)
        upload.seek(start)
        data = upload.read(10)
    upload.seek(start)
    window = upload.read(SEARCH_BYTES + 2 * 1441 * FRAMES_NEEDED)
    for offset in range(min(SEARCH_BYTES, len(window))):
        if window[offset] == 0xFF and _frames_from(window, offset) >= FRAMES_NEEDED:
            return
    raise _unplayable(kind)


def _frames_from(window: bytes, offset: int) -> int:
    frames = 0
    while frames < FRAMES_NEEDED:
        length = _frame_length(window[offset : offset + 4])
        if length is None:
            break
        frames += 1
        offset += length
        if offset == len(window):  # a short recording ends on a frame boundary
            return FRAMES_NEEDED
    return frames


def _frame_length(header: bytes) -> int | None:
    """The length of the layer III frame this header starts, or None if it is not one."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate_index, rate_index, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = _BITRATES[version][bitrate_index] * 1000
    samples_per_byte = 144 if version == 3 else 72
    return samples_per_byte * bitrate // _SAMPLE_RATES[version][rate_index] + padding


def sniff_mp4(head: bytes) -> str | None:
    """m4a or mp4 from the file type box's brands (a QuickTime movie or anything else: None)."""
    size = struct.unpack(">I", head[:4])[0]
    brands = [head[i : i + 4].decode("latin-1") for i in range(8, min(size, len(head)), 4) if i != 12]
    if brands and brands[0] in AUDIO_BRANDS:
        return "m4a"
    if set(brands) & VIDEO_BRANDS:
        return "mp4"
    return None


def check_mp4(upload: IO[bytes], kind: Kind) -> None:
    total = upload.seek(0, 2)
    boxes = _boxes(upload, 0, total, kind)
    if not boxes or boxes[0][0] != b"ftyp":
        raise _unplayable(kind)
    movies = [(start, end) for box, start, end in boxes if box == b"moov"]
    if len(movies) != 1 or not any(box == b"mvhd" for box, _, _ in _boxes(upload, *movies[0], kind)):
        raise _unplayable(kind)


def _boxes(upload: IO[bytes], start: int, end: int, kind: Kind) -> list[tuple[bytes, int, int]]:
    """The boxes between start and end, as (type, where its content starts, where it ends); they
    must fill the span exactly."""
    found = []
    offset = start
    while offset < end:
        if len(found) >= MAX_BOXES:
            raise _unplayable(kind)
        upload.seek(offset)
        header = upload.read(16)
        if len(header) < 8:
            raise _unplayable(kind)
        size, box = struct.unpack(">I4s", header[:8])
        content = offset + 8
        if size == 1:  # a 64-bit size follows
            if len(header) < 16:
                raise _unplayable(kind)
            size = struct.unpack(">Q", header[8:16])[0]
            content += 8
        elif size == 0:  # the box runs to the end
            size = end - offset
        if size < content - offset or offset + size > end or not all(0x20 <= c < 0x7F for c in box):
            raise _unplayable(kind)
        found.append((box, content, offset + size))
        offset += size
    return found


def _unplayable(kind: Kind) -> FileRefused:
    return FileRefused(
        f"This file's content claims to be {kind.label}, but it is not a recording that can be played. "
        "Export or save it again from the program that made it and attach the new copy."
    )
