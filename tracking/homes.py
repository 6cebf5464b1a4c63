"""Where each role lands: the participant's, coach's, tutor's and examiner's homes (the head's and
programme leader's dashboards are `tracking.views`), and the page that sends a person to theirs.
Thin: ask the policy and the selectors of the apps they show, render; they own no records."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from assessment.selectors.credits import ledger
from assessment.selectors.examiner import needs_of as examiner_needs
from assessment.selectors.examiner import samples_for as examiner_samples
from assessment.selectors.tutor import needs_of as tutor_needs
from coaching.needs_you import needs_you
from coaching.selectors import coachee_overview
from programme import access, selectors
from programme.access import Relation
from programme.models import ContentArea, ProgrammeSettings
from programme.rules import timing
from tracking.navigation import homes_for
from ui.links import link_maker
from ui.pagination import page_of, page_of_rows

PAGE_SIZE = 50


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send each person to their role's home; a person with several roles chooses."""
    homes = homes_for(request.user)
    if len(homes) == 1:
        return redirect(homes[0].url)
    return render(request, "tracking/dashboard.html", {"homes": homes})


@login_required
def participant_home(request: HttpRequest) -> HttpResponse:
    access.require_relation(request.user, Relation.PARTICIPANT)
    enrolment = selectors.enrolment_for_home(request.user)
    context: dict = {"enrolment": enrolment, "needs": needs_you(request.user)}
    if enrolment is not None:
        context["support"] = selectors.people_on([enrolment.pk])[enrolment.pk]
        start = enrolment.first_post_started_on
        settings = ProgrammeSettings.load()  # once, for the key dates and the ledger
        context["deadlines"] = [
            (
                "Programme activity may start from",
                timing.earliest_activity_date(start, selectors.summer_term_start(settings)),
            ),
            ("Latest start", timing.latest_start_date(start)),
            ("Complete the programme by", timing.completion_deadline(start)),
        ]
        context["today"] = timezone.localdate()
        context["ledger"] = ledger(enrolment, settings=settings)
    return render(request, "tracking/participant_home.html", context)


@login_required
def coach_home(request: HttpRequest) -> HttpResponse:
    """My coachees: for each, the last and next session, open and overdue action steps, and which
    content areas agreed logs have covered so far. A fixed number of queries per page."""
    access.require_relation(request.user, Relation.COACH)
    page = page_of_rows(selectors.enrolments_listed(request.user, Relation.COACH), request, per_page=PAGE_SIZE)
    coachees = selectors.enrolment_rows(page.object_list)
    overview = coachee_overview(request.user, coachees)
    areas = list(ContentArea.objects.order_by("number"))
    timeline, log_create, action_steps = (
        link_maker(f"coaching:{name}") for name in ("timeline", "log_create", "action_steps")
    )
    rows = [
        {
            "enrolment": e,
            "timeline": timeline(e.pk),
            "log_create": log_create(e.pk),
            "action_steps": action_steps(e.pk),
            "overview": overview[e.pk],
            "coverage": [(area, area.pk in overview[e.pk].covered_area_ids) for area in areas],
        }
        for e in coachees
    ]
    return render(
        request,
        "tracking/coach_home.html",
        {
            "page": page,
            "rows": rows,
            "title": "My coachees",
            "relation": Relation.COACH,
            "today": timezone.localdate(),
            "needs": needs_you(request.user),
        },
    )


@login_required
def tutor_home(request: HttpRequest) -> HttpResponse:
    """My participants, each with a link to their credits and progress (where the tutor confirms a
    phase complete), under what needs the tutor: work to mark, moderation, phases to confirm."""
    access.require_relation(request.user, Relation.TUTOR)
    page = page_of_rows(selectors.enrolments_listed(request.user, Relation.TUTOR), request, per_page=PAGE_SIZE)
    needs = needs_you(request.user)
    needs.more = tutor_needs(request.user)
    ledger_link = link_maker("credits:ledger")
    rows = [(e, ledger_link(e.pk)) for e in selectors.enrolment_rows(page.object_list)]
    context = {"page": page, "rows": rows, "title": "My participants", "relation": Relation.TUTOR, "needs": needs}
    return render(request, "tracking/tutor_home.html", context)


@login_required
def examiner_home(request: HttpRequest) -> HttpResponse:
    access.require_relation(request.user, Relation.EXTERNAL_EXAMINER)
    page = page_of(examiner_samples(request.user), request)
    needs = needs_you(request.user)
    needs.more = examiner_needs(request.user)
    return render(request, "tracking/examiner_home.html", {"needs": needs, "page": page})
