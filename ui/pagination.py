"""Long lists a page at a time. The page number travels as a GET parameter beside the list's
filters, so every page works without JavaScript and can be bookmarked; the page links keep the
filters (ui.templatetags.govuk.page_href)."""

from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 50


def page_of(items, request: HttpRequest, *, param: str = "page", per_page: int = PAGE_SIZE) -> Page:
    """The page the request asks for; the first for a missing or bad number, the last past the end."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


class _Length(Subquery):
    """How many rows a queryset gives, as a subquery that names nothing of the row it is in:
    PostgreSQL works it out once for the whole query (an InitPlan), not per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS listed)"
    output_field = IntegerField()


class _Counted(Paginator):
    """A paginator told its count, for a list the database counted as it read the page."""

    def __init__(self, count: int, per_page: int):
        super().__init__([], per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def page_of_ids(queryset: QuerySet, request: HttpRequest, *, param: str = "page", per_page: int = PAGE_SIZE) -> Page:
    """The ids of the page the request asks for, as `page_of` picks it, from an ordered queryset,
    counted and read in one query (`page_of_rows`). Its `object_list` is those ids, in order, for a
    selector to read the page's rows by."""
    page = page_of_rows(queryset.values_list("pk"), request, param=param, per_page=per_page)
    page.object_list = [pk for (pk,) in page.object_list]
    return page


def page_of_rows(rows: QuerySet, request: HttpRequest, *, param: str = "page", per_page: int = PAGE_SIZE) -> Page:
    """The page the request asks for, as `page_of` picks it, of an ordered `values_list` queryset,
    counted and read in one query: each row of the page carries the list's length, counted by a
    subquery the database runs once. Not `COUNT(*) OVER ()`: a window over the whole list makes
    PostgreSQL sort every row before it can take the page (at 50,000 participants the sort spilled to
    disk), where a page under `LIMIT` is a top-N sort in memory. Its `object_list` is the page's rows
    as `rows` gives them. A number past the end (or below 1) shows the last page, as
    `page_of` does (one more query, to count); one that is not a number, the first."""
    try:
        number = int(request.GET.get(param) or 1)
    except ValueError:
        number = 1
    counted = rows.annotate(_list_length=_Length(rows.order_by()))

    def read(number: int) -> list[tuple]:
        return list(counted[(number - 1) * per_page : number * per_page])

    page_rows = read(number) if number >= 1 else []
    if page_rows:
        paginator = _Counted(page_rows[0][-1], per_page)
    else:  # past the end, or below 1: the last page, as Django's `get_page` gives
        paginator = _Counted(rows.count() if number != 1 else 0, per_page)
        number = paginator.num_pages
        page_rows = read(number) if paginator.count else []
    page = paginator.page(number)
    page.object_list = [row[:-1] for row in page_rows]
    return page
