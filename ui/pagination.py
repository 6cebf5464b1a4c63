"""Long lists a page at a time. The page number travels as a GET parameter beside the list's
filters, so every page works without JavaScript and can be bookmarked; the page links keep the
filters (ui.templatetags.govuk.page_href)."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(items, request: HttpRequest, *, param: str = "page", per_page: int = PAGE_SIZE) -> Page:
    """The page the request asks for; the first for a missing or bad number, the last past the end."""
    return Paginator(items, per_page).get_page(request.GET.get(param))
