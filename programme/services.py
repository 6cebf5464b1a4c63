"""Writes to the programme: enrolments and the periods of who is where, and when.

Each service runs in one transaction and raises RuleError, naming the rule and the
field, when a programme rule is broken; nothing is saved then.
"""

import datetime
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from audit import trail
from programme.models import (
    CoachAssignment,
    Cohort,
    Enrolment,
    Phase,
    PhaseChange,
    School,
    SchoolPlacement,
    StaffMembership,
    TutorAssignment,
)
from programme.rules import assignments, eligibility, periods, timing
from programme.rules.phases import check_progression
from programme.selectors import school_at, summer_term_start
from ui.errors import RuleError

_DAY = datetime.timedelta(days=1)


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    # Serialises changes to one participant's periods, so two leaders cannot open overlapping ones.
    return Enrolment.objects.select_for_update().get(pk=enrolment.pk)


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_active(enrolment: Enrolment) -> None:
    """Who is where, and the phase, change only while the participant is on the programme."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise RuleError(
            f"{enrolment.participant}'s enrolment is {enrolment.get_status_display().lower()}; only an active "
            "enrolment can change school, coach, tutor or phase. Make it active again first if that is right.",
            rule="enrolment_not_active",
        )


def _open_period(model, *, owner_filter: dict, starts_on, ends_on, what: str, by: User | None, **fields):
    periods.check_dates(starts_on, ends_on)
    periods.check_no_overlap(
        starts_on=starts_on, ends_on=ends_on, existing=model.objects.filter(**owner_filter), what=what
    )
    period = model.objects.create(starts_on=starts_on, ends_on=ends_on, created_by=by, **owner_filter, **fields)
    trail.record(trail.Action.PERIOD_START, record=period, actor=by)
    return period


def _close_current(model, *, owner_filter: dict, from_day: datetime.date, what: str):
    """End the period that covers `from_day` the day before, so the next can start on it."""
    current = model.objects.filter(**owner_filter).covering(from_day).first()
    if current is None:
        return None
    if current.starts_on >= from_day:
        raise RuleError(
            f"The current {what} starts on {current.starts_on:%d/%m/%Y}; a change must start after that.",
            rule="period_overlap",
            field="starts_on",
        )
    current.ends_on = from_day - _DAY
    current.save(update_fields=["ends_on"])
    trail.record(trail.Action.PERIOD_END, record=current, detail={"ends_on": current.ends_on.isoformat()})
    return current


def _check_not_already(model, *, enrolment: Enrolment, person_field: str, person: User, on: datetime.date) -> None:
    """Re-assigning the current coach or tutor would only split their period in two."""
    if model.objects.filter(enrolment=enrolment, **{person_field: person}).covering(on).exists():
        raise RuleError(
            f"{person} is already the participant's {person_field} on {on:%d/%m/%Y}.",
            rule="period_overlap",
            field=person_field,
        )


@transaction.atomic
def staff_membership_start(
    *, user: User, school: School, role: str, starts_on: datetime.date, by: User | None = None
) -> StaffMembership:
    if role not in StaffMembership.StaffRole.values:
        raise RuleError(
            f"Only coaches and heads are members of a school's staff, not {role!r}.", rule="staff_role", field="role"
        )
    if role not in user.roles:
        label = StaffMembership.StaffRole(role).label.lower()
        raise RuleError(
            f"{user} does not hold the {label} role. Invite them with it first.", rule="staff_role", field="role"
        )
    return _open_period(
        StaffMembership,
        owner_filter={"user": user, "school": school, "role": role},
        starts_on=starts_on,
        ends_on=None,
        what="membership of this school",
        by=by,
    )


@transaction.atomic
def staff_membership_end(*, membership: StaffMembership, ends_on: datetime.date) -> StaffMembership:
    periods.check_dates(membership.starts_on, ends_on)
    # Moving an end date later must not run into the person's next membership of this school.
    periods.check_no_overlap(
        starts_on=membership.starts_on,
        ends_on=ends_on,
        existing=StaffMembership.objects.filter(
            user_id=membership.user_id, school_id=membership.school_id, role=membership.role
        ).exclude(pk=membership.pk),
        what="membership of this school",
    )
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on", "updated_at"])
    trail.record(trail.Action.PERIOD_END, record=membership, detail={"ends_on": ends_on.isoformat()})
    if membership.role == StaffMembership.StaffRole.COACH:
        _end_coaching_through(membership)
    return membership


def _end_coaching_through(membership: StaffMembership) -> None:
    """A coach who leaves a school stops coaching the participants they coached there, the same day."""
    ends_on = membership.ends_on
    open_assignments = (
        CoachAssignment.objects.filter(coach_id=membership.user_id)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=ends_on))
        .select_related("enrolment")
    )
    for assignment in open_assignments:
        school = assignment.partner_school or school_at(assignment.enrolment, assignment.starts_on)
        if school is None or school.pk != membership.school_id:
            continue
        if assignment.starts_on > ends_on:
            raise RuleError(
                f"{assignment.coach} is due to coach {assignment.enrolment.participant} from "
                f"{assignment.starts_on:%d/%m/%Y}, after this membership ends; end that assignment first.",
                rule="period_overlap",
                field="ends_on",
            )
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on"])
        trail.record(trail.Action.PERIOD_END, record=assignment, detail={"ends_on": ends_on.isoformat()})


@transaction.atomic
def enrolment_create(
    *,
    participant: User,
    cohort: Cohort,
    school: School,
    qts_awarded_on: datetime.date,
    first_post_started_on: datetime.date,
    programme_started_on: datetime.date,
    post: str,
    backdated_reason: str = "",
    by: User | None = None,
    today: datetime.date | None = None,
) -> Enrolment:
    """Check who is enrolled, eligibility and timing, reporting every broken rule at once; then enrol
    the participant at their school in phase 1. A start more than 30 days before `today` is backdated
    and needs a reason, kept with the enrolment (programme.rules.timing)."""
    today = today or timezone.localdate()
    broken = [
        *_who_may_enrol(participant=participant, cohort=cohort),
        *_eligibility(cohort=cohort, school=school, qts_awarded_on=qts_awarded_on, post=post),
        *_start_dates(
            cohort=cohort,
            qts_awarded_on=qts_awarded_on,
            first_post_started_on=first_post_started_on,
            programme_started_on=programme_started_on,
            backdated_reason=backdated_reason,
            today=today,
        ),
    ]
    if broken:
        raise RuleError.together(broken)
    backdated = timing.is_backdated(programme_started_on, today)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                participant=participant,
                cohort=cohort,
                qts_awarded_on=qts_awarded_on,
                first_post_started_on=first_post_started_on,
                programme_started_on=programme_started_on,
                post=post,
                current_phase=Phase.objects.get(number=1),
                backdated_reason=backdated_reason.strip() if backdated else "",
                created_by=by,
            )
    except IntegrityError:
        # Someone enrolled the participant between the check above and this insert; the database's
        # constraints refused the second enrolment. Say so as the check would have.
        if enrolled := _already_enrolled(participant=participant, cohort=cohort):
            raise RuleError.together(enrolled) from None
        raise
    SchoolPlacement.objects.create(enrolment=enrolment, school=school, starts_on=programme_started_on, created_by=by)
    trail.record(trail.Action.ENROLMENT_CREATE, record=enrolment, actor=by)
    return enrolment


def _who_may_enrol(*, participant: User, cohort: Cohort) -> list[RuleError]:
    broken = _already_enrolled(participant=participant, cohort=cohort)
    if Role.PARTICIPANT not in participant.roles:
        broken.insert(
            0,
            RuleError(
                f"{participant} has not been invited as a participant. Invite them with the participant role first.",
                rule="participant_role",
                field="participant",
            ),
        )
    return broken


def _eligibility(*, cohort: Cohort, school: School, qts_awarded_on: datetime.date, post: str) -> list[RuleError]:
    failures = eligibility.check_eligibility(
        list(cohort.eligibility_rules.all()),
        eligibility.Candidate(qts_year=qts_awarded_on.year, school=school, post=post),
    )
    if not failures:
        return []
    message = "Not eligible for this cohort: " + " ".join(f.message for f in failures)
    return [RuleError(message, rule="eligibility", field="cohort")]


def _start_dates(
    *,
    cohort: Cohort,
    qts_awarded_on: datetime.date,
    first_post_started_on: datetime.date,
    programme_started_on: datetime.date,
    backdated_reason: str,
    today: datetime.date,
) -> list[RuleError]:
    broken = []
    if first_post_started_on < timing.anniversary(qts_awarded_on, -1):
        broken.append(
            RuleError(
                "The first teaching post cannot start more than a year before qualified teacher status.",
                rule="dates",
                field="first_post_started_on",
            )
        )
    if programme_started_on < cohort.opens_on:
        broken.append(
            RuleError(
                f"{cohort} opens on {_day(cohort.opens_on)}; the programme cannot start before then.",
                rule="cohort_opens",
                field="programme_started_on",
            )
        )
    try:
        timing.check_programme_start(
            first_post_started_on=first_post_started_on,
            programme_started_on=programme_started_on,
            summer_term_start=summer_term_start(),
            recorded_on=today,
            backdated_reason=backdated_reason,
        )
    except RuleError as error:
        broken.append(error)
    return broken


def _already_enrolled(*, participant: User, cohort: Cohort) -> list[RuleError]:
    if Enrolment.objects.filter(participant=participant, status=Enrolment.Status.ACTIVE).exists():
        return [
            RuleError(
                f"{participant} already has an active enrolment.", rule="one_active_enrolment", field="participant"
            )
        ]
    if Enrolment.objects.filter(participant=participant, cohort=cohort).exists():
        return [
            RuleError(
                f"{participant} has already been enrolled in {cohort}.",
                rule="one_enrolment_per_cohort",
                field="cohort",
            )
        ]
    return []


@transaction.atomic
def coach_assign(
    *,
    enrolment: Enrolment,
    coach: User,
    starts_on: datetime.date,
    partner_school: School | None = None,
    by: User | None = None,
) -> CoachAssignment:
    """Make `coach` the participant's coach from `starts_on`, ending any current coach's period."""
    enrolment = _lock_enrolment(enrolment)
    _check_active(enrolment)
    assignments.check_coach(enrolment=enrolment, coach=coach, starts_on=starts_on, partner_school=partner_school)
    owner = {"enrolment": enrolment}
    _check_not_already(CoachAssignment, enrolment=enrolment, person_field="coach", person=coach, on=starts_on)
    _close_current(CoachAssignment, owner_filter=owner, from_day=starts_on, what="coach")
    return _open_period(
        CoachAssignment,
        owner_filter=owner,
        starts_on=starts_on,
        ends_on=None,
        what="coach assignment",
        by=by,
        coach=coach,
        partner_school=partner_school,
    )


@transaction.atomic
def tutor_assign(
    *, enrolment: Enrolment, tutor: User, starts_on: datetime.date, by: User | None = None
) -> TutorAssignment:
    enrolment = _lock_enrolment(enrolment)
    _check_active(enrolment)
    assignments.check_tutor(enrolment=enrolment, tutor=tutor)
    owner = {"enrolment": enrolment}
    _check_not_already(TutorAssignment, enrolment=enrolment, person_field="tutor", person=tutor, on=starts_on)
    _close_current(TutorAssignment, owner_filter=owner, from_day=starts_on, what="tutor")
    return _open_period(
        TutorAssignment,
        owner_filter=owner,
        starts_on=starts_on,
        ends_on=None,
        what="tutor assignment",
        by=by,
        tutor=tutor,
    )


@transaction.atomic
def assignment_end(*, assignment: CoachAssignment | TutorAssignment, ends_on: datetime.date) -> None:
    periods.check_dates(assignment.starts_on, ends_on)
    # Moving an end date later must not run into the next coach's or tutor's period.
    model = type(assignment)
    periods.check_no_overlap(
        starts_on=assignment.starts_on,
        ends_on=ends_on,
        existing=model.objects.filter(enrolment_id=assignment.enrolment_id).exclude(pk=assignment.pk),
        what="coach assignment" if model is CoachAssignment else "tutor assignment",
    )
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    trail.record(trail.Action.PERIOD_END, record=assignment, detail={"ends_on": ends_on.isoformat()})


@transaction.atomic
def school_move(
    *,
    enrolment: Enrolment,
    new_school: School,
    moves_on: datetime.date,
    new_coach: User | None = None,
    by: User | None = None,
) -> SchoolPlacement:
    """The participant moves school on `moves_on`. Portfolio, logs, marks and credits stay with them;
    the old school's coach period ends, and a new coach (at the new school) may start the same day."""
    enrolment = _lock_enrolment(enrolment)
    _check_active(enrolment)
    current = enrolment.school_placements.covering(moves_on).first()
    if current is not None and current.school_id == new_school.pk:
        raise RuleError(f"The participant is already at {new_school}.", rule="school_move", field="new_school")
    owner = {"enrolment": enrolment}
    _close_current(SchoolPlacement, owner_filter=owner, from_day=moves_on, what="school placement")
    placement = _open_period(
        SchoolPlacement,
        owner_filter=owner,
        starts_on=moves_on,
        ends_on=None,
        what="school placement",
        by=by,
        school=new_school,
    )
    if CoachAssignment.objects.filter(enrolment=enrolment, starts_on__gte=moves_on).exists():
        raise RuleError(
            "A coach assignment starts on or after the move; end it first.", rule="school_move", field="moves_on"
        )
    coach_period = CoachAssignment.objects.filter(enrolment=enrolment).covering(moves_on).first()
    if coach_period is not None:
        coach_period.ends_on = moves_on - _DAY
        coach_period.save(update_fields=["ends_on"])
        trail.record(trail.Action.PERIOD_END, record=coach_period, detail={"ends_on": coach_period.ends_on.isoformat()})
    if new_coach is not None:
        coach_assign(enrolment=enrolment, coach=new_coach, starts_on=moves_on, by=by)
    trail.record(trail.Action.SCHOOL_MOVE, record=placement, actor=by)
    for listener in _placement_listeners:
        listener(enrolment_ids=[enrolment.pk])
    return placement


# What other apps keep per school placement (coaching's summed release time) is rewritten through
# these, in the transaction that changed the placements; programme never imports those apps.
_placement_listeners: list[Callable[..., None]] = []


def on_placements_changed(listener: Callable[..., None]) -> None:
    """Call `listener(enrolment_ids=[...])` whenever a participant's school placements change."""
    if listener not in _placement_listeners:
        _placement_listeners.append(listener)


@transaction.atomic
def phase_progress(*, enrolment: Enrolment, to_phase: Phase, by: User | None = None, note: str = "") -> Enrolment:
    """Move the participant on to the next phase, recording who decided and why. Programme leaders
    call this from the CMS; the tutor's progression decision will call it too."""
    enrolment = _lock_enrolment(enrolment)
    _check_active(enrolment)
    from_phase = enrolment.current_phase
    check_progression(current=from_phase.number, to=to_phase.number)
    enrolment.current_phase = to_phase
    enrolment.save(update_fields=["current_phase"])
    change = PhaseChange.objects.create(
        enrolment=enrolment, from_phase=from_phase, to_phase=to_phase, decided_by=by, note=note.strip()
    )
    trail.record(trail.Action.PHASE_PROGRESS, record=change, actor=by, detail={"to_phase": to_phase.number})
    return enrolment


@transaction.atomic
def enrolment_status_change(*, enrolment: Enrolment, status: str, status_was: str) -> Enrolment:
    """Set the status only if nobody has changed it since `status_was` was read, so two leaders
    cannot silently overwrite each other. Periods and phase are left alone."""
    if status == Enrolment.Status.ACTIVE and _other_active(enrolment).exists():
        raise _already_active(enrolment)
    # A participant who leaves (withdraws or completes) starts the retention period; returning clears it.
    ended = status in (Enrolment.Status.WITHDRAWN, Enrolment.Status.COMPLETED)
    ended_on = timezone.localdate() if ended else None
    try:
        with transaction.atomic():
            changed = Enrolment.objects.filter(pk=enrolment.pk, status=status_was).update(
                status=status, ended_on=ended_on
            )
    except IntegrityError:
        # Another enrolment was made active meanwhile; the database's constraint refused this one.
        raise _already_active(enrolment) from None
    if not changed:
        current = Enrolment.objects.get(pk=enrolment.pk)
        raise RuleError(
            f"Someone else changed the status to {current.get_status_display()} while you were editing. "
            "Check it and save again if you still want to change it.",
            rule="stale_edit",
            field="status",
        )
    enrolment.status, enrolment.ended_on = status, ended_on
    trail.record(trail.Action.ENROLMENT_STATUS, record=enrolment, detail={"from": status_was, "to": status})
    return enrolment


def _other_active(enrolment: Enrolment):
    return Enrolment.objects.filter(participant_id=enrolment.participant_id, status=Enrolment.Status.ACTIVE).exclude(
        pk=enrolment.pk
    )


def _already_active(enrolment: Enrolment) -> RuleError:
    other = _other_active(enrolment).select_related("cohort").first()
    where = f" in {other.cohort}" if other else ""
    return RuleError(
        f"{enrolment.participant} already has an active enrolment{where}; a participant has one at a time.",
        rule="one_active_enrolment",
        field="status",
    )
