"""Office documents: OOXML (DOCX, XLSX, PPTX) and OpenDocument (ODT) files are zip packages.

A package is first judged from the zip's central directory alone, which lists every entry with
its sizes, so a zip bomb is refused without expanding a byte of it. Only then are the few small
parts that say what the package is (the content types, the package relationships, the
OpenDocument mimetype) read, each with a hard cap on what is read.
"""

import posixpath
import zipfile
from typing import IO

from defusedxml import ElementTree
from django.conf import settings

from files.errors import FileRefused
from files.kinds import Kind

PART_CAP = 1024 * 1024  # the parts read here are a few kilobytes in any real document
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# What the package's main part (the one the package relationships call the office document)
# must be, by kind. A macro-enabled document or a template has a different one, so is refused.
OFFICE_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
OPENDOCUMENT = {"odt": "application/vnd.oasis.opendocument.text"}


def sniff(upload: IO[bytes]) -> str | None:
    """Which Office kind a zip says it is: the OpenDocument mimetype entry, or the content type
    declared for the main part of an OOXML package; None for any other zip. A zip bomb or a
    package with macros is refused here, before any part of it is read."""
    try:
        with _open(upload) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                declared = _read(package, "mimetype").decode("ascii", "replace").strip()
                return next((kind for kind, mime in OPENDOCUMENT.items() if mime == declared), None)
            if CONTENT_TYPES in names and PACKAGE_RELS in names:
                main = _main_part(package)
                found = _content_type(package, main) if main else None
                return next((kind for kind, mime in OFFICE_MAIN.items() if mime == found), None)
            return None
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def check_office(upload: IO[bytes], kind: Kind) -> None:
    try:
        with _open(upload) as package:
            names = set(package.namelist())
            if CONTENT_TYPES not in names or PACKAGE_RELS not in names:
                raise _broken(kind)
            main = _main_part(package)
            if main not in names or _content_type(package, main) != OFFICE_MAIN[kind.extension]:
                raise _broken(kind)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, EOFError) as error:
        raise _broken(kind) from error


def check_opendocument(upload: IO[bytes], kind: Kind) -> None:
    try:
        with _open(upload) as package:
            entries = package.infolist()
            # The mimetype comes first, stored uncompressed, so that tools can read it in place.
            first = entries[0] if entries else None
            if first is None or first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
                raise _broken(kind)
            if _read(package, "mimetype").decode("ascii", "replace") != OPENDOCUMENT[kind.extension]:
                raise _broken(kind)
            names = set(package.namelist())
            if "content.xml" not in names or "META-INF/manifest.xml" not in names:
                raise _broken(kind)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as error:
        raise _broken(kind) from error


def _open(upload: IO[bytes]) -> zipfile.ZipFile:
    """The package, once its directory alone shows nothing to fear: no bomb, no macros."""
    package = zipfile.ZipFile(upload)
    entries = package.infolist()
    expanded = sum(entry.file_size for entry in entries)
    if (
        len(entries) > settings.PRIVATE_FILE_ZIP_MAX_ENTRIES
        or expanded > settings.PRIVATE_FILE_ZIP_MAX_BYTES
        or expanded > settings.PRIVATE_FILE_ZIP_MAX_RATIO * max(upload_size(upload), 1)
    ):
        package.close()
        raise FileRefused(
            "This file would unpack to far more than its own size, so it cannot be checked safely. "
            "Save it again from the program that made it (or save it as a PDF) and attach the new copy."
        )
    if any(_is_macro(entry.filename) for entry in entries):
        package.close()
        raise FileRefused(
            "This document contains macros, which the portal does not accept. "
            "Save a copy without macros (as a plain document) and attach that."
        )
    return package


def _is_macro(name: str) -> bool:
    """A VBA project (Office), a Basic module or a script (OpenDocument). The library indexes an
    OpenDocument keeps even when it has no macros are not macros."""
    lowered = name.lower()
    if lowered.endswith("vbaproject.bin") or (lowered.startswith("scripts/") and not lowered.endswith("/")):
        return True
    return lowered.startswith("basic/") and lowered.endswith(".xml") and posixpath.basename(lowered) not in _INDEXES


_INDEXES = {"script-lc.xml", "dialog-lc.xml", "script-lb.xml", "dialog-lb.xml"}


def upload_size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, 2)
        upload.seek(0)
    return size


def _read(package: zipfile.ZipFile, name: str) -> bytes:
    with package.open(name) as part:
        data = part.read(PART_CAP + 1)
    if len(data) > PART_CAP:
        raise ValueError(f"{name} is far bigger than any real document's.")
    return data


def _main_part(package: zipfile.ZipFile) -> str | None:
    """The part the package relationships name as the office document, as a zip entry name."""
    rels = ElementTree.fromstring(_read(package, PACKAGE_RELS))
    for rel in rels.iter(f"{RELS}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode", "Internal") == "Internal":
            target = rel.get("Target", "")
            return posixpath.normpath(target.lstrip("/"))
    return None


def _content_type(package: zipfile.ZipFile, part: str) -> str | None:
    """A part's content type: its Override in [Content_Types].xml, else the Default for its extension.
    Part names compare without regard to case, as the packaging standard says."""
    types = ElementTree.fromstring(_read(package, CONTENT_TYPES))
    for override in types.iter(f"{CT}Override"):
        if override.get("PartName", "").lower() == f"/{part}".lower():
            return override.get("ContentType")
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    for default in types.iter(f"{CT}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


def _broken(kind: Kind) -> FileRefused:
    return FileRefused(
        f"This file's content claims to be {kind.label}, but it is not a complete document. "
        "Open it in the program that made it, save it again and attach the saved copy."
    )
