"""The export's PDF: one HTML document (a cover, a contents page, every record) laid out by
WeasyPrint with the fonts installed on the machine (DejaVu), fetching nothing: the only resources
it may load are the images embedded in the document itself as `data:` URIs.

Importing WeasyPrint sets Pillow's ImageFile.LOAD_TRUNCATED_IMAGES to True for the whole process,
which would let a cut-short image through the upload checks (files.images). This module puts it
back as soon as WeasyPrint is imported, and again after each PDF it writes. Only the worker that
builds an export imports it (portfolio.services.exports imports the archive when it builds).
"""

import base64
import io
import logging

import weasyprint
from django.template.loader import render_to_string
from PIL import Image, ImageFile
from weasyprint.urls import URLFetcher

from portfolio.export.contents import Contents

# Importing WeasyPrint set it to True: the portal never reads a truncated image.
ImageFile.LOAD_TRUNCATED_IMAGES = False
# A line for every page laid out is no use in the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

THUMBNAIL = (480, 480)  # pixels: an image of evidence is shown this big at most, embedded
_STYLESHEET = "portfolio/export/portfolio.css"
_USER_AGENT = "portfolio/export/user_agent.css"


class OwnDataOnly(URLFetcher):
    """Refuses every URL but the `data:` images the document embeds: no network, no local file.
    What it refused is kept, for the tests."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            self.refused.append(url)
            raise ValueError("The portfolio export loads nothing from outside its own document.")
        return super().fetch(url, headers)


def thumbnail(stream) -> str:
    """A small JPEG of an image, as a data URI, or "" when it cannot be read."""
    try:
        with Image.open(stream) as image:
            image.draft("RGB", THUMBNAIL)  # a JPEG decodes at a fraction of its size: much cheaper
            image.thumbnail(THUMBNAIL)
            small = image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    out = io.BytesIO()
    small.save(out, "JPEG", quality=75)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


class _Document(weasyprint.HTML):
    """The portfolio's HTML with the export's own small defaults (user_agent.css) rather than
    WeasyPrint's stylesheet for every element of HTML."""

    def __init__(self, *args, user_agent: weasyprint.CSS, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_agent = user_agent

    def _ua_stylesheets(self, forms=False):
        return [self._user_agent]


def html(contents: Contents) -> str:
    return render_to_string("portfolio/export/portfolio.html", {"c": contents})


def write(contents: Contents, *, fetcher: OwnDataOnly | None = None) -> bytes:
    """The PDF of the whole portfolio."""
    fetcher = fetcher or OwnDataOnly()
    css = weasyprint.CSS(string=render_to_string(_STYLESHEET), url_fetcher=fetcher)
    defaults = weasyprint.CSS(string=render_to_string(_USER_AGENT), url_fetcher=fetcher)
    try:
        document = _Document(string=html(contents), url_fetcher=fetcher, base_url=None, user_agent=defaults)
        return document.write_pdf(stylesheets=[css])
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
