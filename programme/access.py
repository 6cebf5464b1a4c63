"""Who may do what to which record. Every view, export, template and task asks this module.

It encodes PRODUCT.md's "who sees what" table. A person's relation to a participant's record
(their coach, their tutor, their head) is decided by the date-bounded periods in force on the
record's own date: when a participant moves school or an assignment ends, the old coach, tutor
or head sees none of the records dated afterwards, while what the history says they did stays.
A coach, tutor or head whose period has begun may also read (never change) the participant's
shared records from before it, so a new coach, tutor or school carries on from the portfolio
and the agreed logs; drafts and private notes are not passed on.

A refused read is a 404 (the record's existence is not revealed); a refused write is a 403.
"""

import datetime
from enum import StrEnum
from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from programme.models import CoachAssignment, Enrolment, SchoolPlacement, StaffMembership, TutorAssignment


class Relation(StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"
    TUTOR = "tutor"
    HEAD = "head"
    PROGRAMME_LEADER = "programme_leader"
    EXTERNAL_EXAMINER = "external_examiner"


class RecordKind(StrEnum):
    ENROLMENT = "enrolment"
    DIALOGUE_LOG_DRAFT = "dialogue_log_draft"
    DIALOGUE_LOG_AGREED = "dialogue_log_agreed"
    PRIVATE_NOTE = "private_note"
    EVIDENCE = "evidence"
    SUBMISSION = "submission"
    MARKS_UNRELEASED = "marks_unreleased"
    MARKS_RELEASED = "marks_released"


class Action(StrEnum):
    VIEW = "view"  # the whole record
    VIEW_SUMMARY = "view_summary"  # dates, duration and content areas; or outcome and credits
    CHANGE = "change"
    AGREE = "agree"  # the participant adds their reflection and agrees, or asks for a change
    NEW_VERSION = "new_version"  # change an agreed record by recording a new version
    ADD_STATEMENT = "add_statement"  # the coach's supporting statement on a submission
    ASSESS = "assess"


class Protected(Protocol):
    """What a record tells the policy about itself."""

    access_kind: RecordKind  # may be a property: a draft log becomes an agreed one

    @property
    def access_enrolment_id(self) -> int: ...

    @property
    def access_date(self) -> datetime.date: ...

    def in_examiner_sample(self) -> bool: ...


A = Action
R = Relation
_SAMPLED = "sampled"  # the external examiner may read it only when it is in a sample

POLICY: dict[RecordKind, dict[Relation, frozenset[Action] | str]] = {
    RecordKind.ENROLMENT: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW, A.CHANGE}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    RecordKind.DIALOGUE_LOG_DRAFT: {
        R.PARTICIPANT: frozenset({A.VIEW, A.AGREE}),
        R.COACH: frozenset({A.VIEW, A.CHANGE}),
    },
    RecordKind.DIALOGUE_LOG_AGREED: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW, A.NEW_VERSION}),
        R.TUTOR: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW_SUMMARY}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    # Only the coach who wrote it; see _AUTHOR_ONLY.
    RecordKind.PRIVATE_NOTE: {
        R.COACH: frozenset({A.VIEW, A.CHANGE}),
    },
    RecordKind.EVIDENCE: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CHANGE}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    RecordKind.SUBMISSION: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW, A.ADD_STATEMENT}),
        R.TUTOR: frozenset({A.VIEW, A.ASSESS}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    RecordKind.MARKS_UNRELEASED: {
        R.TUTOR: frozenset({A.VIEW, A.CHANGE}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    RecordKind.MARKS_RELEASED: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
}

_AUTHOR_ONLY = frozenset({RecordKind.PRIVATE_NOTE})
# Records a new coach, tutor or head may read from before their period began. Drafts and private
# notes stay between the people who wrote them.
_PASSED_ON = frozenset(RecordKind) - {RecordKind.DIALOGUE_LOG_DRAFT, RecordKind.PRIVATE_NOTE}
_READS = frozenset({A.VIEW, A.VIEW_SUMMARY})
_NOTHING: frozenset[Action] = frozenset()


# --- Relations: who this person is to a participant on a given day.


def relations(user, enrolment_id: int, on: datetime.date) -> frozenset[Relation]:
    """The relations in force on `on`: the periods covering that day (plus the participant, the
    programme leader and the external examiner, who hold theirs whatever the day)."""
    return _standing(user, enrolment_id, on)[0]


def _standing(user, enrolment_id: int, on: datetime.date) -> tuple[frozenset[Relation], frozenset[Relation]]:
    """(relations in force on `on`, relations that may read the participant's earlier records).

    Memoised on the user object, so one request asks the database once per participant and day."""
    if not user.is_authenticated or not user.is_active:
        return frozenset(), frozenset()
    memo = user.__dict__.setdefault("_access_relations", {})
    key = (enrolment_id, on)
    if key not in memo:
        memo[key] = _compute_standing(user, enrolment_id, on)
    return memo[key]


_Span = tuple[datetime.date, datetime.date | None]


def _covers(span: _Span, day: datetime.date) -> bool:
    return span[0] <= day and (span[1] is None or day <= span[1])


def _compute_standing(user, enrolment_id: int, on: datetime.date) -> tuple[frozenset[Relation], frozenset[Relation]]:
    roles = user.roles
    today = timezone.localdate()
    spans: dict[Relation, list[_Span]] = {}
    in_force: set[Relation] = set()
    if Role.PROGRAMME_LEADER in roles:
        in_force.add(R.PROGRAMME_LEADER)
    if Role.EXTERNAL_EXAMINER in roles:
        in_force.add(R.EXTERNAL_EXAMINER)
    if Role.PARTICIPANT in roles and Enrolment.objects.filter(pk=enrolment_id, participant=user).exists():
        in_force.add(R.PARTICIPANT)
    if Role.COACH in roles:
        spans[R.COACH] = list(
            CoachAssignment.objects.filter(enrolment_id=enrolment_id, coach=user).values_list("starts_on", "ends_on")
        )
    if Role.TUTOR in roles:
        spans[R.TUTOR] = list(
            TutorAssignment.objects.filter(enrolment_id=enrolment_id, tutor=user).values_list("starts_on", "ends_on")
        )
    if Role.HEAD in roles:
        spans[R.HEAD] = _headship_spans(user, enrolment_id)
    earlier: set[Relation] = set()
    for relation, found in spans.items():
        if any(_covers(span, on) for span in found):
            in_force.add(relation)
        # A coach, tutor or head whose period has begun reads what the participant did before it:
        # the portfolio and agreed logs carry on with a new coach, tutor or school (Q24).
        if any(on < span[0] <= today for span in found):
            earlier.add(relation)
    return frozenset(in_force), frozenset(earlier - in_force)


def _headship_spans(user, enrolment_id: int) -> list[_Span]:
    """The days on which this person was head of the school the participant was placed at."""
    headships = list(
        StaffMembership.objects.filter(user=user, role=StaffMembership.StaffRole.HEAD).values_list(
            "school_id", "starts_on", "ends_on"
        )
    )
    if not headships:
        return []
    placements = SchoolPlacement.objects.filter(
        enrolment_id=enrolment_id, school_id__in={school_id for school_id, _, _ in headships}
    ).values_list("school_id", "starts_on", "ends_on")
    spans = []
    for school_id, p_start, p_end in placements:
        for h_school_id, h_start, h_end in headships:
            if h_school_id != school_id:
                continue
            start = max(p_start, h_start)
            ends = [e for e in (p_end, h_end) if e is not None]
            end = min(ends) if ends else None
            if end is None or start <= end:
                spans.append((start, end))
    return spans


def _head_placements(user, on: datetime.date) -> QuerySet[SchoolPlacement]:
    headship = StaffMembership.objects.covering(on).filter(
        user=user, role=StaffMembership.StaffRole.HEAD, school=OuterRef("school")
    )
    return SchoolPlacement.objects.covering(on).filter(Exists(headship))


# --- Decisions about one record.


def allowed_actions(user, record: Protected) -> frozenset[Action]:
    kind = record.access_kind
    rules = POLICY[kind]
    in_force, earlier = _standing(user, record.access_enrolment_id, record.access_date)
    granted: set[Action] = set()
    for relation in in_force | (earlier if kind in _PASSED_ON else frozenset()):
        rule = rules.get(relation)
        if rule is None:
            continue
        if rule == _SAMPLED:
            if record.in_examiner_sample():
                granted.add(A.VIEW)
            continue
        # Before their period began a coach, tutor or head only reads; what was done then is not theirs to change.
        granted |= rule if relation in in_force else rule & _READS
    if kind in _AUTHOR_ONLY and getattr(record, "access_author_id", None) != user.pk:
        return _NOTHING
    return frozenset(granted)


def can(user, action: Action | str, record: Protected) -> bool:
    return Action(action) in allowed_actions(user, record)


def require(user, action: Action | str, record: Protected) -> frozenset[Action]:
    """Raise Http404 if the user may not even see the record, PermissionDenied if they may see it
    but not do `action`. Returns everything they may do, for the template."""
    actions = allowed_actions(user, record)
    if not actions & _READS:
        raise Http404("No such record.")
    if Action(action) not in actions:
        raise PermissionDenied("You cannot do that to this record.")
    return actions


# --- Lists: which participants a person sees in a role, on a day (today by default).


def enrolments_for(user, relation: Relation, on: datetime.date | None = None) -> QuerySet[Enrolment]:
    """The enrolments this person holds `relation` to, as a queryset for lists and exports."""
    on = on or timezone.localdate()
    qs = Enrolment.objects.all()
    roles = user.roles if user.is_authenticated and user.is_active else frozenset()
    if relation == R.PARTICIPANT and Role.PARTICIPANT in roles:
        return qs.filter(participant=user)
    # `pk__in` a subquery on the person's own periods: the database reads those few rows first,
    # rather than testing every enrolment against them.
    if relation == R.COACH and Role.COACH in roles:
        return qs.filter(pk__in=CoachAssignment.objects.covering(on).filter(coach=user).values("enrolment_id"))
    if relation == R.TUTOR and Role.TUTOR in roles:
        return qs.filter(pk__in=TutorAssignment.objects.covering(on).filter(tutor=user).values("enrolment_id"))
    if relation == R.HEAD and Role.HEAD in roles:
        return qs.filter(pk__in=_head_placements(user, on).values("enrolment_id"))
    if relation == R.PROGRAMME_LEADER and Role.PROGRAMME_LEADER in roles:
        return qs
    return qs.none()


class EnrolmentRecord:
    """The enrolment seen as a record: access is judged on today's relations."""

    access_kind = RecordKind.ENROLMENT

    def __init__(self, enrolment: Enrolment, *, sampled: bool = False):
        self.enrolment = enrolment
        self._sampled = sampled

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment.pk

    @property
    def access_date(self) -> datetime.date:
        return timezone.localdate()

    def in_examiner_sample(self) -> bool:
        return self._sampled
