"""The head's and the programme leader's dashboards. Thin: ask the policy and the selectors, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from coaching.needs_you import needs_you
from programme import access
from programme import selectors as programme_selectors
from programme.access import Relation
from programme.models import ContentArea, Phase
from tracking import export_jobs, exports, selectors
from tracking.forms import HeadFilterForm, LeaderFilterForm
from tracking.models import ListExport
from tracking.risks import Thresholds
from ui.pagination import page_of_ids


def _headers(request: HttpRequest, sort: str, descending: bool) -> list[dict]:
    """Each column's heading: a link that sorts by it (the other way when it is the sort already),
    keeping the filters and going back to the first page; aria-sort on the column sorted by."""
    headers = []
    for column in selectors.COLUMNS:
        header = {"label": column.label, "numeric": column.numeric, "href": None, "aria_sort": None}
        if column.order:
            query = request.GET.copy()
            query.pop("page", None)
            query["sort"] = f"-{column.key}" if column.key == sort and not descending else column.key
            header["href"] = "?" + query.urlencode()
            if column.key == sort:
                header["aria_sort"] = "descending" if descending else "ascending"
        headers.append(header)
    return headers


def _found(request: HttpRequest, relation: Relation, form: HeadFilterForm, t: Thresholds):
    sort, descending = selectors.parse_sort(request.GET.get("sort"))
    return selectors.participants(request.user, relation, filters=form.filters(), sort=sort, descending=descending, t=t)


def _export_query(request: HttpRequest) -> str:
    """This view's filters and sort, without the page: the export is every page of it."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _table(request: HttpRequest, relation: Relation, form: HeadFilterForm) -> dict:
    t = Thresholds.load(timezone.localdate())
    sort, descending = selectors.parse_sort(request.GET.get("sort"))
    page = page_of_ids(_found(request, relation, form, t), request)
    export = "tracking:head_export" if relation == Relation.HEAD else "tracking:leader_export"
    query = _export_query(request)
    return {
        "exports": [
            (label, reverse(export, args=[kind]) + (f"?{query}" if query else ""))
            for kind, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)"))
        ],
        "export_in_background": page.paginator.count > export_jobs.direct_max_rows(),
        "export_limit": export_jobs.direct_max_rows(),
        "form": form,
        "filtered": form.filtered,
        "sort": request.GET.get("sort", ""),
        "page": page,
        "rows": selectors.rows(request.user, page.object_list, t),
        "headers": _headers(request, sort, descending),
        "thresholds": t,
        "areas_total": ContentArea.objects.count(),
    }


@login_required
def head_home(request: HttpRequest) -> HttpResponse:
    """The head's school's participants today: a sortable, filterable table with who is at risk and why."""
    access.require_relation(request.user, Relation.HEAD)
    context = _table(request, Relation.HEAD, HeadFilterForm(request.GET))
    context.update(title="My school's participants", needs=needs_you(request.user), relation=Relation.HEAD)
    return render(request, "tracking/head_home.html", context)


@login_required
def leader_home(request: HttpRequest) -> HttpResponse:
    """Counts across every school, then the same table as the head's for every participant."""
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    overview = programme_selectors.programme_overview()
    phases = [(phase, overview["by_phase"].get(phase.number, 0)) for phase in Phase.objects.all()]
    context = _table(request, Relation.PROGRAMME_LEADER, LeaderFilterForm(request.GET))
    context.update(overview=overview, phases=phases, title="Participants in every school")
    return render(request, "tracking/leader_home.html", context)


EXPORTS = {
    Relation.HEAD: (HeadFilterForm, "school-participants"),
    Relation.PROGRAMME_LEADER: (LeaderFilterForm, "programme-participants"),
}


def _export(request: HttpRequest, relation: Relation, kind: str) -> HttpResponse:
    """The table's rows for these filters and sort, every page of them, as CSV (streamed) or XLSX;
    more rows than TRACKING_EXPORT_DIRECT_MAX_ROWS are written in the background instead: a page
    says how many and asks to go ahead (a POST), then shows how far the file has got."""
    access.require_relation(request.user, relation)
    form_class, name = EXPORTS[relation]
    t = Thresholds.load(timezone.localdate())
    found = _found(request, relation, form_class(request.GET), t)
    count = found.count()
    if count > export_jobs.direct_max_rows():
        if request.method == "POST":
            job = export_jobs.list_export_request(by=request.user, relation=relation, query=request.GET, kind=kind)
            return redirect(job)
        home = "tracking:head_home" if relation == Relation.HEAD else "tracking:leader_home"
        query = _export_query(request)
        context = {
            "count": count,
            "kind": ListExport.Kind(kind).label,
            "limit": export_jobs.direct_max_rows(),
            "valid_days": export_jobs.valid_days(),
            "back": reverse(home) + (f"?{query}" if query else ""),
            "title": "Prepare your download",
        }
        return render(request, "tracking/export_confirm.html", context)
    rows = selectors.iter_rows(request.user, found, t)
    filename = f"{name}-{t.today.isoformat()}"
    if kind == "csv":
        response = StreamingHttpResponse(exports.csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.xlsx_bytes(rows, title="Participants"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def head_export(request: HttpRequest, kind: str) -> HttpResponse:
    return _export(request, Relation.HEAD, kind)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def leader_export(request: HttpRequest, kind: str) -> HttpResponse:
    return _export(request, Relation.PROGRAMME_LEADER, kind)
