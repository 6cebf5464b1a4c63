"""Release time kept summed (programme Q33): the rows the release-time pages read, rewritten from the
agreed logs of the participants concerned whenever a log is agreed or changed, or a participant's
placements change, in that same transaction. Each term is the one `Term.of` gives the session's day;
each school is where the participant was placed that day."""

from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum

from coaching.models import person_name, school_name
from programme.rules.terms import Term

_BATCH = 500


def _live_models() -> SimpleNamespace:
    from coaching.models import CoachingTime, DialogueLog, ReleaseTimeTotal
    from programme.models import Enrolment, SchoolPlacement

    return SimpleNamespace(
        Enrolment=Enrolment,
        SchoolPlacement=SchoolPlacement,
        DialogueLog=DialogueLog,
        CoachingTime=CoachingTime,
        ReleaseTimeTotal=ReleaseTimeTotal,
        User=get_user_model(),
    )


@transaction.atomic
def release_time_recount(*, enrolment_ids: Iterable[int] | None = None) -> None:
    """Rewrite the summed release time of these enrolments (of every one when None) from their
    agreed logs, and the programme leader's rows of their participants and coaches."""
    recount(_live_models(), None if enrolment_ids is None else set(enrolment_ids), lock=True)


def recount(m: SimpleNamespace, enrolment_ids: set[int] | None, *, lock: bool = False) -> None:
    """The recount itself, on the models given (the live ones, or a migration's)."""
    enrolments = (
        m.Enrolment.objects.all() if enrolment_ids is None else m.Enrolment.objects.filter(pk__in=enrolment_ids)
    )
    participants = set(enrolments.values_list("participant_id", flat=True))
    if enrolment_ids is not None and lock:
        # Every enrolment of these participants, so two recounts of one person's rows take turns.
        list(m.Enrolment.objects.select_for_update().filter(participant_id__in=participants).order_by("pk"))
    mine = (
        m.CoachingTime.objects.all()
        if enrolment_ids is None
        else m.CoachingTime.objects.filter(enrolment__in=enrolments)
    )
    coaches = set(mine.values_list("coach_id", flat=True))
    logs = m.DialogueLog.objects.filter(status="agreed").values_list(
        "enrolment_id", "coach_id", "session_on", "duration_minutes"
    )
    placements = m.SchoolPlacement.objects.values_list("enrolment_id", "starts_on", "ends_on", "school_id")
    if enrolment_ids is not None:
        logs = logs.filter(enrolment_id__in=enrolment_ids)
        placements = placements.filter(enrolment_id__in=enrolment_ids)
    placed = defaultdict(list)
    for enrolment_id, starts_on, ends_on, school_id in placements:
        placed[enrolment_id].append((starts_on, ends_on, school_id))
    rows: dict[tuple, list] = {}
    for enrolment_id, coach_id, day, minutes in logs:
        school_id = next(
            (s for starts, ends, s in placed[enrolment_id] if starts <= day and (ends is None or ends >= day)), None
        )
        term = Term.of(day)
        key = (enrolment_id, coach_id, school_id, term.school_year, term.order)
        row = rows.setdefault(key, [day, day, 0, 0])
        row[0], row[1] = min(row[0], day), max(row[1], day)
        row[2] += 1
        row[3] += minutes
        coaches.add(coach_id)
    if lock and coaches:
        # A coach's total sums several participants' rows: one recount at a time writes it.
        list(m.User.objects.select_for_update().filter(pk__in=coaches).order_by("pk"))
    mine.delete()
    m.CoachingTime.objects.bulk_create(
        [
            m.CoachingTime(
                enrolment_id=e,
                coach_id=c,
                school_id=s,
                school_year=y,
                term_order=t,
                first_on=first,
                last_on=last,
                sessions=sessions,
                minutes=minutes,
            )
            for (e, c, s, y, t), (first, last, sessions, minutes) in rows.items()
        ],
        batch_size=_BATCH,
    )
    _total(m, 0, "enrolment__participant", None if enrolment_ids is None else participants)
    _total(m, 1, "coach_id", None if enrolment_ids is None else coaches)


def _total(m: SimpleNamespace, role: int, person: str, people: set[int] | None) -> None:
    """Rewrite the leader's rows of one role for these people (everyone when None)."""
    old = m.ReleaseTimeTotal.objects.filter(role=role)
    found = m.CoachingTime.objects.all()
    if people is not None:
        old = old.filter(person_id__in=people)
        found = found.filter(**{f"{person}__in": people})
    old.delete()
    sums = (
        found.values("school_year", "term_order", "school_id", person)
        .annotate(sessions=Sum("sessions"), minutes=Sum("minutes"))
        .order_by()
    )
    # The names the page sorts by (from coaching/0015; the earlier migration that fills the rows
    # knows no such columns).
    named = {f.name for f in m.ReleaseTimeTotal._meta.get_fields()} >= {"sort_school", "sort_name"}
    if named:
        sums = sums.annotate(sort_school=school_name("school"), sort_name=person_name(person.removesuffix("_id")))
    m.ReleaseTimeTotal.objects.bulk_create(
        [
            m.ReleaseTimeTotal(
                school_year=s["school_year"],
                term_order=s["term_order"],
                school_id=s["school_id"],
                role=role,
                person_id=s[person],
                sessions=s["sessions"],
                minutes=s["minutes"],
                **({"sort_school": s["sort_school"], "sort_name": s["sort_name"]} if named else {}),
            )
            for s in sums
        ],
        batch_size=_BATCH,
    )
