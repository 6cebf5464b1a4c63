"""Files of every kind the portal keeps, and hostile ones, built in code."""

import io
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
POWERPOINT_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def zipped(entries: dict[str, bytes | str], *, stored: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data, compress_type=zipfile.ZIP_STORED if name in stored else None)
    return buffer.getvalue()


def _content_types(part: str, main_type: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type}"/>{extra}</Types>'
    )


def _rels(target: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="{target}"/></Relationships>'
    )


def ooxml(part: str, main_type: str, body: str = "<document/>", **more: bytes | str) -> bytes:
    return zipped(
        {"[Content_Types].xml": _content_types(part, main_type), "_rels/.rels": _rels(part), part: body, **more}
    )


def docx() -> bytes:
    return ooxml("word/document.xml", WORD_MAIN, "<w:document xmlns:w='urn:w'><w:body/></w:document>")


def xlsx() -> bytes:
    return ooxml("xl/workbook.xml", EXCEL_MAIN, "<workbook/>")


def pptx() -> bytes:
    return ooxml("ppt/presentation.xml", POWERPOINT_MAIN, "<presentation/>")


def odt(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    return zipped(
        {"mimetype": mimetype, "content.xml": "<office:document-content/>", "META-INF/manifest.xml": "<manifest/>"},
        stored=("mimetype",),
    )


def docx_with_html_body() -> bytes:
    """A zip dressed as a DOCX whose document is a web page with a script."""
    html = "<html><body><script>fetch('/accounts/email/').then(r => r.text()).then(alert)</script></body></html>"
    return zipped(
        {
            "[Content_Types].xml": _content_types("word/document.html", "text/html"),
            "_rels/.rels": _rels("word/document.html"),
            "word/document.html": html,
        }
    )


def docm() -> bytes:
    """A Word document with macros, named .docx: its main part says so, and it holds a VBA project."""
    return ooxml(
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "<w:document/>",
        **{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 100},
    )


def zip_bomb(expanded: int = 20 * 1024 * 1024) -> bytes:
    """A DOCX-shaped file a few tens of kilobytes long that would unpack to `expanded` bytes."""
    return ooxml("word/document.xml", WORD_MAIN, "<w:document/>", **{"word/media/padding.bin": b"\0" * expanded})


def zip_of_many_entries(count: int) -> bytes:
    return ooxml("word/document.xml", WORD_MAIN, **{f"word/part{n}.xml": "" for n in range(count)})


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return _written(writer)


def pdf_with_javascript_in_names() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.alert('Hello');"))  # the document-level JavaScript name tree
    return _written(writer)


def pdf_with_open_action_script() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def pdf_with_page_action() -> bytes:
    """An /AA (additional actions) entry on a page: something runs when the page opens."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    launch = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc")})
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): launch})
    return _written(writer)


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("invoice.exe", b"MZ\x90\x00" + b"\0" * 64)
    return _written(writer)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_THEN_HTML = b"%PDF-1.4\n<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def image(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (29, 112, 184)).save(buffer, format=fmt)
    return buffer.getvalue()


def png() -> bytes:
    return image("PNG")


def jpeg() -> bytes:
    return image("JPEG")


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG a few hundred bytes long whose header promises `width` x `height` pixels (ten
    thousand million by default): decoding it would need tens of gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" + b"\0" * (width // 8)  # one row of a 1-bit image, filter byte first
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * 8, 9)) + chunk(b"IEND", b"")
    )


def png_truncated() -> bytes:
    whole = png()
    return whole[: len(whole) // 2]


# --- Recordings. An MPEG-1 layer III frame at 128 kbit/s and 44.1 kHz is 417 bytes long.
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\0" * 413


def mp3(frames: int = 20, tagged: bool = True) -> bytes:
    tag = b"ID3\x04\x00\x00" + bytes([0, 0, 0, 10]) + b"\0" * 10 if tagged else b""
    return tag + MP3_FRAME * frames


def _box(kind: bytes, content: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(content)) + kind + content


def _full_box(kind: bytes, content: bytes, flags: int = 0) -> bytes:
    return _box(kind, struct.pack(">I", flags) + content)  # version 0


def _descriptor(tag: int, content: bytes) -> bytes:
    return bytes([tag, len(content)]) + content


# One second of silence in AAC-LC, mono, 44.1 kHz: 43 frames of 1024 samples, each the smallest
# frame that decodes to silence. The decoder set-up for that format is the two bytes 0x12 0x08.
AAC_SILENCE = b"\x01\x40\x20\x07"
AAC_FRAMES = 43
RATE = 44100
IDENTITY = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _movie(frame_offset: int) -> bytes:
    """A movie with one audio track whose samples start at frame_offset in the file."""
    duration = AAC_FRAMES * 1024
    esds = _descriptor(
        3,
        b"\0\x01\0"
        + _descriptor(
            4, bytes([0x40, 0x15]) + b"\0\x10\0" + struct.pack(">II", 128000, 64000) + _descriptor(5, b"\x12\x08")
        )
        + _descriptor(6, b"\x02"),
    )
    entry = _box(
        b"mp4a",
        b"\0" * 6
        + struct.pack(">H", 1)
        + b"\0" * 8
        + struct.pack(">HHI", 1, 16, 0)
        + struct.pack(">I", RATE << 16)
        + _full_box(b"esds", esds),
    )
    table = _box(
        b"stbl",
        _full_box(b"stsd", struct.pack(">I", 1) + entry)
        + _full_box(b"stts", struct.pack(">III", 1, AAC_FRAMES, 1024))
        + _full_box(b"stsc", struct.pack(">IIII", 1, 1, AAC_FRAMES, 1))
        + _full_box(b"stsz", struct.pack(">II", len(AAC_SILENCE), AAC_FRAMES))
        + _full_box(b"stco", struct.pack(">II", 1, frame_offset)),
    )
    media = _box(
        b"mdia",
        _full_box(b"mdhd", struct.pack(">IIIIHH", 0, 0, RATE, duration, 0x55C4, 0))
        + _full_box(b"hdlr", struct.pack(">I4s12x", 0, b"soun") + b"Sound\0")
        + _box(
            b"minf",
            _full_box(b"smhd", b"\0" * 4)
            + _box(b"dinf", _full_box(b"dref", struct.pack(">I", 1) + _full_box(b"url ", b"", flags=1)))
            + table,
        ),
    )
    track = _box(
        b"trak",
        _full_box(
            b"tkhd", struct.pack(">IIIIIQhhhH", 0, 0, 1, 0, 1000, 0, 0, 0, 0x100, 0) + IDENTITY + b"\0" * 8, flags=3
        )
        + media,
    )
    header = _full_box(
        b"mvhd",
        struct.pack(">IIIIIH10x", 0, 0, 1000, 1000, 0x10000, 0x100) + IDENTITY + b"\0" * 24 + struct.pack(">I", 2),
    )
    return _box(b"moov", header + track)


def mp4(major: bytes = b"isom", compatible: tuple[bytes, ...] = (b"isom", b"mp42")) -> bytes:
    """A second of silence, playable: the file type, the movie, then the media data."""
    ftyp = _box(b"ftyp", major + b"\0\0\x02\0" + b"".join(compatible))
    frames_at = len(ftyp) + len(_movie(0)) + 8
    return ftyp + _movie(frames_at) + _box(b"mdat", AAC_SILENCE * AAC_FRAMES)


def m4a() -> bytes:
    return mp4(major=b"M4A ", compatible=(b"M4A ", b"mp42", b"isom"))


def mp4_without_movie() -> bytes:
    return _box(b"ftyp", b"isom\0\0\x02\0isom") + _box(b"mdat", b"<html><script>alert(1)</script></html>")


def mp4_with_lying_box() -> bytes:
    """A movie box that claims to be longer than the file."""
    ftyp = _box(b"ftyp", b"isom\0\0\x02\0isom")
    movie = _movie(0)
    return ftyp + struct.pack(">I", len(movie) + 1000) + movie[4:]


def mp4_of_countless_boxes(count: int = 200_000) -> bytes:
    """A valid movie followed by more empty boxes than any recording has: each is cheap to make
    and costs a parser an object."""
    return mp4() + _box(b"free") * count


def mp3_behind_countless_tags(count: int = 200_000) -> bytes:
    """Tags stacked one after another, each one byte long, before the audio."""
    return (b"ID3\x04\x00\x00\x00\x00\x00\x01\0") * count + mp3(tagged=False)
