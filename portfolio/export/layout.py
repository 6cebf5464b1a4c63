"""WeasyPrint for the export's PDF, without Django: the document with the export's own small
defaults, the fetcher that loads nothing from outside the document, and one part of a PDF laid
out and drawn in a process of its own (`main`, in a process forked from the worker, or
`python -m portfolio.export.layout <folder> <part> <parent pid>`).

A long portfolio's PDF is laid out in parts side by side (portfolio.export.pdf starts the
processes and joins their PDFs). A part's page numbers depend on the parts before it, and the
contents page's on every part, so each process talks to its parent in JSON lines on
stdin/stdout:

- a part of the records (`part-N`) lays its pages out, then, before WeasyPrint makes the margin
  boxes (the footer's "page N of M"), says how many pages it has and on which of them each
  anchor is, and waits to be told the number of its first page and the total;
- the cover and contents (`front`), numbered apart (i, ii, ...), waits for the page of every
  anchor within the records and lays itself out once with those numbers written in;
- each then draws its PDF into the folder and says where its anchors and bookmarks are, so the
  joined PDF's links, named destinations and outline can be made.

WeasyPrint is told the numbers through two of its layout functions, replaced in this process only
(`_number_pages`). The process ends with its parent (PR_SET_PDEATHSIG on Linux) and whenever its
stdin closes, so a worker killed mid-build leaves no process behind.
"""

import contextlib
import ctypes
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import weasyprint
from PIL import ImageFile
from weasyprint.urls import URLFetcher

# Importing WeasyPrint set it to True: the portal never reads a truncated image (see pdf.py).
ImageFile.LOAD_TRUNCATED_IMAGES = False

SCALE = 0.75  # PDF points per CSS pixel, as WeasyPrint draws at zoom 1


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


class PortfolioDocument(weasyprint.HTML):
    """The portfolio's HTML with the export's own small defaults (user_agent.css) rather than
    WeasyPrint's stylesheet for every element of HTML."""

    def __init__(self, *args, user_agent: weasyprint.CSS, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_agent = user_agent

    def _ua_stylesheets(self, forms=False):
        return [self._user_agent]


# --- One part, in a process of its own.


def _number_pages(decide) -> None:
    """Once the pages are laid out and before their margin boxes are made, `decide(page_boxes)`
    returns (the number of the first page, the total), which the footers then show."""
    from weasyprint import layout

    laid_out: list = []
    numbering: dict[str, int] = {}
    make_all_pages, make_margin_boxes = layout.make_all_pages, layout.make_margin_boxes

    def all_pages(*args):
        pages = list(make_all_pages(*args))
        laid_out[:] = pages
        numbering.clear()  # laid out again: decide again
        yield from pages

    def margin_boxes(context, page, state):
        if not numbering:
            numbering["first"], numbering["total"] = decide(laid_out)
        counters = dict(state[1])
        counters["page"] = [numbering["first"] - 1 + context.current_page]
        counters["pages"] = [numbering["total"]]
        return make_margin_boxes(context, page, (state[0], counters, *state[2:]))

    layout.make_all_pages, layout.make_margin_boxes = all_pages, margin_boxes


def _keep_links_to_other_parts() -> None:
    """WeasyPrint drops a link to an anchor its document lacks; a part's links to the other parts
    stay, as named destinations, which the joined PDF defines."""
    from weasyprint import pdf

    def resolve_links(pages):
        for page in pages:
            anchors = [(name, x, y) for name, (x, y, _, _) in page.anchors.items()]
            yield page.links, anchors

    pdf.resolve_links = resolve_links


def _anchor_pages(page_boxes) -> dict[str, int]:
    from weasyprint.anchors import gather_anchors

    found: dict[str, int] = {}
    for index, box in enumerate(page_boxes):
        anchors: dict = {}
        gather_anchors(box, anchors, [], [], {None: []})
        for name in anchors:
            found.setdefault(name, index)
    return found


def _send(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _receive() -> dict:
    line = sys.stdin.readline()
    if not line:  # the parent has gone
        sys.exit(3)
    return json.loads(line)


def _end_with_parent(parent: int) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the closed stdin still ends it
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above
        sys.exit(3)


def _numbered(html: str, pages: dict[str, int]) -> str:
    """The contents page's links with the page each points to, shown by `a[data-page]::after`."""

    def number(link: re.Match) -> str:
        anchor = link[1]
        return f'{link[0]} data-page="{pages[anchor]}"' if anchor in pages else link[0]

    return re.sub(r'href="#([^"]+)"', number, html)


def _positions(document) -> tuple[dict, list]:
    """Each anchor's and each bookmark's page (from 0) and point, in PDF points from the bottom left."""
    anchors, bookmarks = {}, []
    for index, page in enumerate(document.pages):
        for name, (x, y, _, _) in page.anchors.items():
            anchors.setdefault(name, [index, x * SCALE, (page.height - y) * SCALE])
        for level, label, (x, y), state in page.bookmarks:
            bookmarks.append([level, label, index, x * SCALE, (page.height - y) * SCALE, state == "open"])
    return anchors, bookmarks


def main(folder: str, name: str, parent: str) -> None:
    _end_with_parent(int(parent))
    folder_path = Path(folder)
    fetcher = OwnDataOnly()
    stylesheet = weasyprint.CSS(string=(folder_path / f"{name}.css").read_text(encoding="utf-8"), url_fetcher=fetcher)
    defaults = weasyprint.CSS(string=(folder_path / "user_agent.css").read_text(encoding="utf-8"), url_fetcher=fetcher)
    html = (folder_path / f"{name}.html").read_text(encoding="utf-8")
    _keep_links_to_other_parts()

    def render(text: str, css=stylesheet):
        document = PortfolioDocument(string=text, url_fetcher=fetcher, base_url=None, user_agent=defaults)
        return document.render(stylesheets=[css])

    if name == "front":
        told = _receive()  # {"pages": {anchor: its page within the records, from 1}}
        rendered = render(_numbered(html, told["pages"]))
    else:

        def told_numbers(page_boxes):
            _send({"pages": len(page_boxes), "anchors": _anchor_pages(page_boxes), "cpu": time.process_time()})
            numbers = _receive()
            return numbers["first"], numbers["total"]

        _number_pages(told_numbers)
        rendered = render(html)
    rendered.write_pdf(folder_path / f"{name}.pdf")
    anchors, bookmarks = _positions(rendered)
    cpu = time.process_time()
    _send(
        {
            "done": True,
            "pages": len(rendered.pages),
            "anchors": anchors,
            "bookmarks": bookmarks,
            "refused": fetcher.refused,
            "cpu": cpu,
        }
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
    # Its PDF is written and its last line said: end now rather than free a laid-out document's
    # hundreds of thousands of objects one by one (0.2 s or so, which the parent would wait for).
    sys.stdout.flush()
    os._exit(0)
