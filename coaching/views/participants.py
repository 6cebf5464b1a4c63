"""The coaching someone follows, and one participant's timeline and summary."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from coaching import selectors
from coaching.forms import ParticipantSearchForm, TimelineFilterForm
from coaching.views._common import fetch_enrolment, new_log_for
from programme import access
from programme.access import Action, EnrolmentRecord, Relation
from programme.models import Enrolment
from ui.pagination import page_of


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The participants whose coaching this person follows, by how they relate to them."""
    user = request.user
    if access.held_relations(user) == {Relation.PARTICIPANT}:
        mine = access.enrolments_for(user, Relation.PARTICIPANT).first()
        if mine is not None:
            return redirect("coaching:timeline", enrolment_id=mine.pk)
    search = ParticipantSearchForm(request.GET or None)
    name = search.cleaned_data["name"] if search.is_valid() else ""
    groups = []
    for relation, title in [
        (Relation.PARTICIPANT, "Your own coaching"),
        (Relation.COACH, "Participants you coach"),
        (Relation.TUTOR, "Participants you tutor"),
        (Relation.HEAD, "Participants at your school"),
        (Relation.PROGRAMME_LEADER, "Every participant"),
    ]:
        if not access.holds(user, relation):
            continue
        # Each list pages on its own, so a head who also coaches can page through both. The database
        # counts and reads one page of names; the rows are made for that page alone.
        param = f"{relation.value}_page"
        page = page_of(selectors.followed(user, relation, name=name), request, param=param)
        page.object_list = selectors.listed_participants(relation, page.object_list)
        groups.append({"title": title, "relation": relation, "page": page, "page_param": param})
    if not groups:
        raise Http404("There is no coaching to show you.")
    return render(request, "coaching/index.html", {"groups": groups, "search": search, "name": name})


@login_required
def timeline(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The participant's coaching sessions, for the participant, their coach and their tutor.
    Someone who may see only a summary of the sessions is sent to the summary."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant", "current_phase"), pk=enrolment_id)
    filters = TimelineFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.timeline(
        request.user,
        enrolment,
        content_area_id=chosen["area"].pk if chosen.get("area") else None,
        standard_id=chosen["standard"].pk if chosen.get("standard") else None,
    )
    filtered = bool(chosen.get("area") or chosen.get("standard"))
    enrolment_actions = access.allowed_actions(request.user, EnrolmentRecord(enrolment))
    today = timezone.localdate()
    if not entries and not (filtered and selectors.timeline(request.user, enrolment)):
        if not enrolment_actions:
            raise Http404("No such participant.")
        if access.relations(request.user, enrolment.pk, today) <= {Relation.HEAD, Relation.PROGRAMME_LEADER}:
            return redirect("coaching:summary", enrolment_id=enrolment.pk)
    return render(
        request,
        "coaching/timeline.html",
        {
            "enrolment": enrolment,
            "entries": entries,
            "filters": filters,
            "filtered": filtered,
            "may_record": access.can(request.user, Action.CHANGE, new_log_for(enrolment)),
            "is_participant": enrolment.participant_id == request.user.pk,
            "today": today,
        },
    )


@login_required
def summary(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Dates, durations, kinds and content areas of agreed sessions; never what was said."""
    enrolment, _ = fetch_enrolment(request, enrolment_id)
    return render(
        request,
        "coaching/summary.html",
        {"enrolment": enrolment, "summary": selectors.summary(request.user, enrolment)},
    )
