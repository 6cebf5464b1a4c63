"""The one place coaching rich text is cleaned. Everything stored in a log's record passes
through `sanitise`, and templates show it through the `coaching_html` filter, which calls it again."""

import html
import re

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4", "blockquote", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_TAG = re.compile(r"<[a-zA-Z/!]")


def sanitise(text: str) -> str:
    """Clean rich text to the allow-list. Plain text (typed without a rich-text editor, as on a
    page without JavaScript) becomes paragraphs, with its own angle brackets shown as typed."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        text = linebreaks(text, autoescape=True)
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def is_blank(text: str) -> bool:
    """True when the text has no words once the markup is taken away."""
    return not html.unescape(nh3.clean(text or "", tags=set())).strip()
