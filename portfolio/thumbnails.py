"""The small copy of a photo that the portfolio's export shows in its PDF.

Made once, when the photo is uploaded (portfolio.services.evidence), and kept beside it in private
storage, so an export reads 40 small files instead of decoding 40 photos of several megabytes each
time (about 2 s of processor time on bench/export.sh's portfolio). A photo kept before thumbnails
were, or one whose thumbnail could not be made, gets one made at export time instead;
`manage.py portfolio_thumbnails` makes the missing ones.
"""

import base64
import io

from django.core.files.base import ContentFile
from PIL import Image

from portfolio.models import EvidenceFile

SIZE = (480, 480)  # pixels: an image of evidence is shown this big at most
KINDS = ("image/png", "image/jpeg")


def make(stream) -> bytes:
    """A JPEG of the image, at most SIZE, or b"" when it cannot be read."""
    try:
        with Image.open(stream) as image:
            image.draft("RGB", SIZE)  # a JPEG decodes at a fraction of its size: much cheaper
            image.thumbnail(SIZE)
            small = _on_white(image)
    except (OSError, ValueError, Image.DecompressionBombError):
        return b""
    out = io.BytesIO()
    small.save(out, "JPEG", quality=75)
    return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    """The image as RGB, its transparent parts white as on the page (a plain conversion would
    turn them black: a transparent pixel's colour is usually black)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def made_from(kept: EvidenceFile) -> bytes:
    """A thumbnail made now from the kept file (b"" when it is not an image that can be read)."""
    if kept.content_type not in KINDS:
        return b""
    with kept.file.open("rb") as source:
        return make(source)


def keep(kept: EvidenceFile) -> bool:
    """Make the file's thumbnail and store it with the record, unless it has one or is no image.
    In the caller's transaction; if saving the record fails, the stored thumbnail is removed again.
    Returns whether one was stored."""
    if kept.thumbnail:
        return False
    small = made_from(kept)
    if not small:
        return False
    kept.thumbnail.save("small.jpg", ContentFile(small), save=False)
    try:
        stored = EvidenceFile.objects.filter(pk=kept.pk, thumbnail="").update(thumbnail=kept.thumbnail.name)
    except Exception:
        kept.thumbnail.delete(save=False)
        raise
    if not stored:  # another run stored one first
        kept.thumbnail.delete(save=False)
    return bool(stored)


def data_uri(small: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(small).decode("ascii") if small else ""


def kept_or_made(kept: EvidenceFile) -> bytes:
    """The stored thumbnail's bytes, or one made now when there is none (not stored: the caller
    may be a read-only job)."""
    if kept.thumbnail:
        try:
            with kept.thumbnail.open("rb") as stored:
                return stored.read()
        except OSError:
            pass  # gone from storage: make it again
    return made_from(kept)
