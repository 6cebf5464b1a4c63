"""The research library's pages: finding (or making) the library index, searching it, and
publishing or unpublishing one summary's page through Wagtail's revisions, so the CMS's history
shows who published what and when. portfolio.services.library decides whether it may happen."""

from dataclasses import dataclass

from django.utils.html import escape
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, Site

from handbook.models import HomePage, LibraryIndexPage, LibraryPage
from programme.models import ContentArea
from ui.pagination import page_of

LIBRARY_TITLE = "Research library"
LIBRARY_SLUG = "research-library"
LIBRARY_INTRO = (
    "<p>Summaries of the research participants carried out in their own classrooms in the final phase of "
    "the programme, published with their consent once their tutor approved them. None holds pupils' data.</p>"
)
PER_PAGE = 10


def library_index() -> LibraryIndexPage:
    """The library index, made under the home page (or the default site's root) the first time it
    is needed, so a fresh site has somewhere to publish."""
    found = LibraryIndexPage.objects.first()
    if found is not None:
        return found
    parent = HomePage.objects.first()
    if parent is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        parent = site.root_page if site is not None else Page.get_first_root_node()
    page = LibraryIndexPage(title=LIBRARY_TITLE, slug=LIBRARY_SLUG, intro=LIBRARY_INTRO)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def paragraphs(text: str) -> str:
    """Plain text as the HTML of a rich-text field: a paragraph for each blank-line-separated block."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return "".join("<p>{}</p>".format(escape(block).replace("\n", "<br>")) for block in blocks)


@dataclass(frozen=True)
class PageContent:
    title: str
    author_name: str
    summary: str
    findings: str  # plain text
    implications: str  # plain text
    content_area_ids: tuple[int, ...]


def publish(*, page: LibraryPage | None, content: PageContent, by) -> LibraryPage:
    """Make (or bring up to date) the summary's page under the library index and publish it as a
    new revision by `by`."""
    if page is None:
        page = LibraryPage(title=content.title, slug=_free_slug(content.title))
        page.owner = by
        _fill(page, content)
        library_index().add_child(instance=page)
    else:
        page = page.specific
        _fill(page, content)
    revision = page.save_revision(user=by, log_action=True)
    # The access policy already decided (PUBLISH): a participant holds no CMS permissions.
    revision.publish(user=by, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def unpublish(*, page: LibraryPage, by) -> None:
    """Take the page off the public site at once: its address answers 404 from now on."""
    # The access policy already decided (WITHDRAW); Wagtail's action logs who did it.
    UnpublishPageAction(page.specific, user=by).execute(skip_permission_checks=True)


def _fill(page: LibraryPage, content: PageContent) -> None:
    page.title = content.title
    page.draft_title = content.title
    page.author_name = content.author_name
    page.summary = content.summary
    page.findings = paragraphs(content.findings)
    page.implications = paragraphs(content.implications)
    page.content_areas = list(ContentArea.objects.filter(pk__in=content.content_area_ids))


def _free_slug(title: str) -> str:
    from django.utils.text import slugify

    base = (slugify(title) or "summary")[:200]
    taken = set(LibraryPage.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def search(index: LibraryIndexPage, request) -> dict:
    """The index page's context: the published summaries matching `?q=` and `?area=`, a page at a time."""
    query = request.GET.get("q", "").strip()[:200]
    area = request.GET.get("area", "")
    chosen = ContentArea.objects.filter(pk=int(area)).first() if area.isdigit() else None
    found = LibraryPage.objects.child_of(index).live().public()
    if chosen is not None:
        # Wagtail's search filters only on indexed fields, so the area is a list of page ids.
        found = found.filter(pk__in=list(found.filter(content_areas=chosen).values_list("pk", flat=True)))
    results = found.search(query) if query else found.order_by("-first_published_at", "-pk")
    page = page_of(results, request, per_page=PER_PAGE)
    ids = [p.pk for p in page.object_list]
    areas = {p.pk: p for p in LibraryPage.objects.filter(pk__in=ids).prefetch_related("content_areas")}
    page.object_list = [areas[pk] for pk in ids if pk in areas]
    return {
        "query": query,
        "chosen_area": chosen,
        "areas": ContentArea.objects.all(),
        "results": page,
        "searched": bool(query or chosen),
    }


__all__ = ["PageContent", "library_index", "paragraphs", "publish", "search", "unpublish"]
