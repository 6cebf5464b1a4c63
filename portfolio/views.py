"""The portfolio's pages: thin. Each asks the access policy for the record, sends a valid form to
its service (ui.errors.saved puts a refusal beside the fields) and renders."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from audit import trail
from portfolio import coverage as coverage_selector
from portfolio import search as portfolio_search
from portfolio import selectors, services
from portfolio.forms import EnquiryForm, EvidenceForm, FilterForm, ReflectionForm, SearchForm, SectionForm
from portfolio.models import Enquiry, Evidence, LibrarySummary
from programme import access
from programme.access import Action, Relation
from programme.models import Enrolment
from ui.errors import saved


def _enrolment(enrolment_id: int) -> Enrolment:
    return get_object_or_404(Enrolment.objects.select_related("participant", "current_phase"), pk=enrolment_id)


def _may_add(request: HttpRequest, enrolment: Enrolment) -> bool:
    return access.can(request.user, Action.CHANGE, Evidence(enrolment=enrolment, relates_to=timezone.localdate()))


def _require_add(request: HttpRequest, enrolment: Enrolment) -> None:
    access.require(request.user, Action.CHANGE, Evidence(enrolment=enrolment, relates_to=timezone.localdate()))


def _fetch(request: HttpRequest, found, action: Action):
    """The record for this person: 404 if it is not there or not theirs to read, 403 if they may
    read it but not do `action`."""
    if found is None:
        raise Http404("No such record.")
    return found, access.require(request.user, action, found)


# --- The portfolio's home.


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """A participant's own portfolio; coaches and tutors reach a participant's from their coaching pages."""
    mine = access.enrolments_for(request.user, Relation.PARTICIPANT).order_by("-pk").first()
    if mine is None:
        raise Http404("You have no portfolio.")
    return redirect("portfolio:home", enrolment_id=mine.pk)


@login_required
def home(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The participant's evidence, reflections and enquiries, for them to keep and for their coach
    and tutor to read; filtered by content area and phase with GET parameters."""
    enrolment = _enrolment(enrolment_id)
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.portfolio(
        request.user,
        enrolment,
        content_area_id=chosen["area"].pk if chosen.get("area") else None,
        phase_id=chosen["phase"].pk if chosen.get("phase") else None,
        pages={name: request.GET.get(f"{name}_page") for name in ("evidence", "reflections", "enquiries")},
    )
    may_add = _may_add(request, enrolment)
    readable_now = access.can(request.user, Action.VIEW, Evidence(enrolment=enrolment, relates_to=timezone.localdate()))
    held = any(page.paginator.count for page in (found.evidence, found.reflections, found.enquiries))
    if not (may_add or readable_now or held):
        raise Http404("No such portfolio.")
    if request.user.pk != enrolment.participant_id:
        # The lists name each record (its title and dates), so each one shown to the coach or tutor
        # is a read of its summary, all in one INSERT; opening a record is a full read.
        shown = (*found.evidence.object_list, *found.reflections.object_list, *found.enquiries.object_list)
        trail.record_many(trail.Action.READ_SUMMARY, shown)
    return render(
        request,
        "portfolio/home.html",
        {
            "enrolment": enrolment,
            "portfolio": found,
            "filters": filters,
            "filtered": bool(chosen.get("area") or chosen.get("phase")),
            "may_add": may_add,
            "is_participant": enrolment.participant_id == request.user.pk,
            "query": request.GET,
        },
    )


@login_required
def coverage(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Content areas by phases: what the participant has, and what is thin."""
    enrolment = _enrolment(enrolment_id)
    found = coverage_selector.coverage(request.user, enrolment)
    readable_now = access.can(request.user, Action.VIEW, Evidence(enrolment=enrolment, relates_to=timezone.localdate()))
    if not readable_now and not any(cell.total for row in found.rows for cell in row.cells):
        raise Http404("No such portfolio.")
    return render(
        request,
        "portfolio/coverage.html",
        {"enrolment": enrolment, "coverage": found, "is_participant": enrolment.participant_id == request.user.pk},
    )


# --- Search.


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Words across the portfolios and agreed logs this person may read in full, optionally one
    participant's only. A head or programme leader has no search page (404)."""
    if not portfolio_search.may_search(request.user):
        raise Http404("This page is not part of your role.")
    form = SearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        filters = form.filters()
        found = portfolio_search.search(request.user, form.cleaned_data["q"], filters, page=request.GET.get("page"))
        # A snippet shows a record's words: each one shown to someone other than its participant is
        # recorded, in one INSERT for the page.
        trail.record_many(
            trail.Action.SEARCH_RESULT, [r.record for r in found.object_list if r.participant.pk != request.user.pk]
        )
    scope = None
    participant_id = form.cleaned_data.get("participant") if form.is_valid() else None
    if participant_id:
        enrolment = Enrolment.objects.select_related("participant").filter(pk=participant_id).first()
        if enrolment and access.can(request.user, Action.VIEW, access.EnrolmentRecord(enrolment)):
            scope = enrolment
    return render(
        request,
        "portfolio/search.html",
        {
            "form": form,
            "found": found,
            "scope": scope,
            "is_participant": access.holds(request.user, Relation.PARTICIPANT),
            "reads_others": bool(access.held_relations(request.user) & {Relation.COACH, Relation.TUTOR}),
            "filtered": form.is_valid() and any(form.cleaned_data.get(name) for name in ("kind", "phase", "area")),
        },
    )


# --- Evidence.


def _evidence_form_page(request, form, enrolment, title, evidence=None) -> HttpResponse:
    return render(
        request,
        "portfolio/evidence_form.html",
        {"form": form, "enrolment": enrolment, "title": title, "evidence": evidence},
    )


@login_required
def evidence_create(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(enrolment_id)
    _require_add(request, enrolment)
    links = selectors.link_choices(request.user, enrolment)
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, links=links)
        evidence = saved(
            request,
            form,
            lambda: services.evidence_create(by=request.user, enrolment=enrolment, content=form.content()),
            message="Evidence added to your portfolio.",
        )
        if evidence:
            return redirect("portfolio:evidence_detail", pk=evidence.pk)
    else:
        form = EvidenceForm(
            links=links, initial={"relates_to": timezone.localdate(), "phase": enrolment.current_phase_id}
        )
    return _evidence_form_page(request, form, enrolment, "Add evidence")


@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence, actions = _fetch(request, selectors.evidence_detail(pk), Action.VIEW)
    trail.read(evidence, participant_id=evidence.enrolment.participant_id)
    return render(
        request,
        "portfolio/evidence_detail.html",
        {
            "evidence": evidence,
            "enrolment": evidence.enrolment,
            "may_change": Action.CHANGE in actions,
            "logs": selectors.visible(request.user, evidence.logs.all()),
            "reflections": selectors.visible(request.user, evidence.reflections.all()),
        },
    )


@login_required
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evidence, _ = _fetch(request, selectors.evidence_detail(pk), Action.CHANGE)
    links = selectors.link_choices(request.user, evidence.enrolment)
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, links=links)
        updated = saved(
            request,
            form,
            lambda: services.evidence_update(
                by=request.user, evidence=evidence, version=form.cleaned_data["version"] or 0, content=form.content()
            ),
            message="Evidence saved.",
        )
        if updated:
            return redirect("portfolio:evidence_detail", pk=updated.pk)
    else:
        form = EvidenceForm(links=links, initial=EvidenceForm.initial_for(evidence))
    return _evidence_form_page(request, form, evidence.enrolment, "Change the evidence", evidence)


# --- Reflections.


def _reflection_form_page(request, form, enrolment, title, reflection=None) -> HttpResponse:
    return render(
        request,
        "portfolio/reflection_form.html",
        {"form": form, "enrolment": enrolment, "title": title, "reflection": reflection},
    )


@login_required
def reflection_create(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(enrolment_id)
    _require_add(request, enrolment)
    links = selectors.link_choices(request.user, enrolment)
    if request.method == "POST":
        form = ReflectionForm(request.POST, links=links)
        reflection = saved(
            request,
            form,
            lambda: services.reflection_create(by=request.user, enrolment=enrolment, content=form.content()),
            message="Reflection added to your journal.",
        )
        if reflection:
            return redirect("portfolio:reflection_detail", pk=reflection.pk)
    else:
        form = ReflectionForm(
            links=links, initial={"written_on": timezone.localdate(), "phase": enrolment.current_phase_id}
        )
    return _reflection_form_page(request, form, enrolment, "Add a reflection")


@login_required
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection, actions = _fetch(request, selectors.reflection_detail(pk), Action.VIEW)
    trail.read(reflection, participant_id=reflection.enrolment.participant_id)
    return render(
        request,
        "portfolio/reflection_detail.html",
        {
            "reflection": reflection,
            "enrolment": reflection.enrolment,
            "may_change": Action.CHANGE in actions,
            "evidence": selectors.visible(request.user, reflection.evidence.all()),
            "logs": selectors.visible(request.user, reflection.logs.all()),
            "action_steps": selectors.visible(request.user, reflection.action_steps.all()),
        },
    )


@login_required
def reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reflection, _ = _fetch(request, selectors.reflection_detail(pk), Action.CHANGE)
    links = selectors.link_choices(request.user, reflection.enrolment)
    if request.method == "POST":
        form = ReflectionForm(request.POST, links=links)
        updated = saved(
            request,
            form,
            lambda: services.reflection_update(
                by=request.user,
                reflection=reflection,
                version=form.cleaned_data["version"] or 0,
                content=form.content(),
            ),
            message="Reflection saved.",
        )
        if updated:
            return redirect("portfolio:reflection_detail", pk=updated.pk)
    else:
        form = ReflectionForm(links=links, initial=ReflectionForm.initial_for(reflection))
    return _reflection_form_page(request, form, reflection.enrolment, "Change the reflection", reflection)


# --- Enquiries.


def _enquiry_form_page(request, form, enrolment, title, enquiry=None) -> HttpResponse:
    return render(
        request,
        "portfolio/enquiry_form.html",
        {"form": form, "enrolment": enrolment, "title": title, "enquiry": enquiry},
    )


@login_required
def enquiry_create(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(enrolment_id)
    _require_add(request, enrolment)
    if request.method == "POST":
        form = EnquiryForm(request.POST)
        enquiry = saved(
            request,
            form,
            lambda: services.enquiry_create(by=request.user, enrolment=enrolment, content=form.content()),
            message="Enquiry started. Write its sections one at a time.",
        )
        if enquiry:
            return redirect("portfolio:enquiry_detail", pk=enquiry.pk)
    else:
        form = EnquiryForm(initial={"started_on": timezone.localdate(), "phase": enrolment.current_phase_id})
    return _enquiry_form_page(request, form, enrolment, "Start an enquiry")


@login_required
def enquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry, actions = _fetch(request, selectors.enquiry_detail(pk), Action.VIEW)
    trail.read(enquiry, participant_id=enquiry.enrolment.participant_id)
    return render(
        request,
        "portfolio/enquiry_detail.html",
        {
            "enquiry": enquiry,
            "enrolment": enquiry.enrolment,
            "may_change": Action.CHANGE in actions,
            "sections": selectors.sections(request.user, enquiry),
            "library_summary": LibrarySummary.objects.filter(enquiry=enquiry).first(),
        },
    )


@login_required
def enquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry, _ = _fetch(request, selectors.enquiry_detail(pk), Action.CHANGE)
    if request.method == "POST":
        form = EnquiryForm(request.POST)
        updated = saved(
            request,
            form,
            lambda: services.enquiry_update(
                by=request.user, enquiry=enquiry, version=form.cleaned_data["version"] or 0, content=form.content()
            ),
            message="Enquiry saved.",
        )
        if updated:
            return redirect("portfolio:enquiry_detail", pk=updated.pk)
    else:
        form = EnquiryForm(initial=EnquiryForm.initial_for(enquiry))
    return _enquiry_form_page(request, form, enquiry.enrolment, "Change the enquiry", enquiry)


@login_required
def enquiry_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    enquiry, _ = _fetch(request, selectors.enquiry_detail(pk), Action.CHANGE)
    heading, hint = next(((h, t) for name, h, t in Enquiry.SECTIONS if name == section), (None, None))
    if heading is None:
        raise Http404("No such section.")
    kwargs = {
        "section": section,
        "heading": heading,
        "hint": hint,
        "links": selectors.link_choices(request.user, enquiry.enrolment),
    }
    if request.method == "POST":
        form = SectionForm(request.POST, **kwargs)
        updated = saved(
            request,
            form,
            lambda: services.enquiry_section_save(
                by=request.user,
                enquiry=enquiry,
                section=section,
                version=form.cleaned_data["version"] or 0,
                content=form.content(),
            ),
            message=f"{heading} saved.",
        )
        if updated:
            return redirect(f"{updated.get_absolute_url()}#{section}")
    else:
        form = SectionForm(initial=SectionForm.initial_for(enquiry, section), **kwargs)
    return render(
        request,
        "portfolio/section_form.html",
        {"form": form, "enrolment": enquiry.enrolment, "enquiry": enquiry, "heading": heading},
    )
