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
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, TypeVar

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
    # The initial diagnosis with the learning plan it produces, as drafted and once both agreed it.
    DIAGNOSIS_DRAFT = "diagnosis_draft"
    DIAGNOSIS_AGREED = "diagnosis_agreed"
    # An action step in a log not yet agreed, and one in an agreed log (the participant is working on it).
    ACTION_STEP_DRAFT = "action_step_draft"
    ACTION_STEP_AGREED = "action_step_agreed"
    # A learning opportunity the coach arranged, and one discussed in an agreed log.
    LEARNING_OPPORTUNITY_ARRANGED = "learning_opportunity_arranged"
    LEARNING_OPPORTUNITY_AGREED = "learning_opportunity_agreed"
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
    CLOSE = "close"  # mark an action step done or dropped


class Protected(Protocol):
    """What a record tells the policy about itself."""

    access_kind: RecordKind  # may be a property: a draft log becomes an agreed one

    @property
    def access_enrolment_id(self) -> int: ...

    @property
    def access_date(self) -> datetime.date: ...

    def in_examiner_sample(self) -> bool: ...


P = TypeVar("P", bound=Protected)
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
    # Like a dialogue log: once agreed, the learning plan is revisited (NEW_VERSION) rather than changed.
    RecordKind.DIAGNOSIS_DRAFT: {
        R.PARTICIPANT: frozenset({A.VIEW, A.AGREE}),
        R.COACH: frozenset({A.VIEW, A.CHANGE}),
    },
    RecordKind.DIAGNOSIS_AGREED: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW, A.NEW_VERSION}),
        R.TUTOR: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW_SUMMARY}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    # Part of the coaching dialogue: a head or programme leader sees no action step at all.
    # The participant closes only the steps they own; see _OWNER_ONLY.
    RecordKind.ACTION_STEP_DRAFT: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW, A.CHANGE, A.CLOSE}),
    },
    RecordKind.ACTION_STEP_AGREED: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CLOSE}),
        R.COACH: frozenset({A.VIEW, A.CLOSE}),
        R.TUTOR: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    # Arranged, not yet discussed in an agreed log: between coach and participant.
    RecordKind.LEARNING_OPPORTUNITY_ARRANGED: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW, A.CHANGE}),
    },
    RecordKind.LEARNING_OPPORTUNITY_AGREED: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW, A.NEW_VERSION}),
        R.TUTOR: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW_SUMMARY}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
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
# Actions a participant holds on a record only when they own it (`access_owner_id`): they close
# their own action steps, not the coach's.
_OWNER_ONLY: dict[Relation, frozenset[Action]] = {R.PARTICIPANT: frozenset({A.CLOSE})}
# Records a new coach, tutor or head may read from before their period began. Drafts and private
# notes stay between the people who wrote them.
_PASSED_ON = frozenset(RecordKind) - {
    RecordKind.DIALOGUE_LOG_DRAFT,
    RecordKind.PRIVATE_NOTE,
    RecordKind.DIAGNOSIS_DRAFT,
    RecordKind.ACTION_STEP_DRAFT,
    RecordKind.LEARNING_OPPORTUNITY_ARRANGED,
}
_READS = frozenset({A.VIEW, A.VIEW_SUMMARY})
_NOTHING: frozenset[Action] = frozenset()


# --- Relations: who this person is to a participant on a given day.
#
# A person's standing towards a participant is read once per request from their periods (coach and
# tutor assignments, headships crossed with the participant's school placements): a handful of
# queries, however many participants and records are judged (see `judge`). Which relations hold on
# a given day is then worked out from those periods without asking the database again.

_Span = tuple[datetime.date, datetime.date | None]


@dataclass(frozen=True)
class _Periods:
    """Everything the policy needs to know about one person and one participant."""

    always: frozenset[Relation]  # participant, programme leader, external examiner: whatever the day
    spans: dict[Relation, list[_Span]] = field(default_factory=dict)  # coach, tutor, head: date-bounded


def _covers(span: _Span, day: datetime.date) -> bool:
    return span[0] <= day and (span[1] is None or day <= span[1])


def relations(user, enrolment_id: int, on: datetime.date) -> frozenset[Relation]:
    """The relations in force on `on`: the periods covering that day (plus the participant, the
    programme leader and the external examiner, who hold theirs whatever the day)."""
    return _standing(user, enrolment_id, on)[0]


def _standing(user, enrolment_id: int, on: datetime.date) -> tuple[frozenset[Relation], frozenset[Relation]]:
    """(relations in force on `on`, relations that may read the participant's earlier records)."""
    periods = _periods(user, [enrolment_id]).get(enrolment_id)
    if periods is None:
        return frozenset(), frozenset()
    return _standing_on(periods, on, timezone.localdate())


def _standing_on(
    periods: _Periods, on: datetime.date, today: datetime.date
) -> tuple[frozenset[Relation], frozenset[Relation]]:
    in_force = set(periods.always)
    earlier: set[Relation] = set()
    for relation, found in periods.spans.items():
        if any(_covers(span, on) for span in found):
            in_force.add(relation)
        # A coach, tutor or head whose period has begun reads what the participant did before it:
        # the portfolio and agreed logs carry on with a new coach, tutor or school (Q24).
        if any(on < span[0] <= today for span in found):
            earlier.add(relation)
    return frozenset(in_force), frozenset(earlier - in_force)


def _periods(user, enrolment_ids: Iterable[int]) -> dict[int, _Periods]:
    """The person's periods towards each participant, memoised on the user object: one request
    asks the database once for all the participants it judges, not once per record."""
    if not user.is_authenticated or not user.is_active:
        return {}
    memo: dict[int, _Periods] = user.__dict__.setdefault("_access_relations", {})
    missing = {pk for pk in enrolment_ids if pk not in memo}
    if missing:
        memo.update(_read_periods(user, missing))
    return memo


def _read_periods(user, enrolment_ids: set[int]) -> dict[int, _Periods]:
    """At most six queries, for any number of participants."""
    roles = user.roles
    always = set()
    if Role.PROGRAMME_LEADER in roles:
        always.add(R.PROGRAMME_LEADER)
    if Role.EXTERNAL_EXAMINER in roles:
        always.add(R.EXTERNAL_EXAMINER)
    own: set[int] = set()
    if Role.PARTICIPANT in roles:
        own = set(Enrolment.objects.filter(pk__in=enrolment_ids, participant=user).values_list("pk", flat=True))
    spans: dict[int, dict[Relation, list[_Span]]] = {pk: {} for pk in enrolment_ids}
    if Role.COACH in roles:
        for pk in enrolment_ids:
            spans[pk][R.COACH] = []
        rows = CoachAssignment.objects.filter(enrolment_id__in=enrolment_ids, coach=user)
        for enrolment_id, starts_on, ends_on in rows.values_list("enrolment_id", "starts_on", "ends_on"):
            spans[enrolment_id][R.COACH].append((starts_on, ends_on))
    if Role.TUTOR in roles:
        for pk in enrolment_ids:
            spans[pk][R.TUTOR] = []
        rows = TutorAssignment.objects.filter(enrolment_id__in=enrolment_ids, tutor=user)
        for enrolment_id, starts_on, ends_on in rows.values_list("enrolment_id", "starts_on", "ends_on"):
            spans[enrolment_id][R.TUTOR].append((starts_on, ends_on))
    if Role.HEAD in roles:
        for enrolment_id, found in _headship_spans(user, enrolment_ids).items():
            spans[enrolment_id][R.HEAD] = found
    return {
        pk: _Periods(always=frozenset(always | ({R.PARTICIPANT} if pk in own else set())), spans=spans[pk])
        for pk in enrolment_ids
    }


def _headship_spans(user, enrolment_ids: set[int]) -> dict[int, list[_Span]]:
    """For each participant, the days on which this person was head of the school they were placed at."""
    headships = list(
        StaffMembership.objects.filter(user=user, role=StaffMembership.StaffRole.HEAD).values_list(
            "school_id", "starts_on", "ends_on"
        )
    )
    found: dict[int, list[_Span]] = {pk: [] for pk in enrolment_ids}
    if not headships:
        return found
    placements = SchoolPlacement.objects.filter(
        enrolment_id__in=enrolment_ids, school_id__in={school_id for school_id, _, _ in headships}
    ).values_list("enrolment_id", "school_id", "starts_on", "ends_on")
    for enrolment_id, school_id, p_start, p_end in placements:
        for h_school_id, h_start, h_end in headships:
            if h_school_id != school_id:
                continue
            start = max(p_start, h_start)
            ends = [e for e in (p_end, h_end) if e is not None]
            end = min(ends) if ends else None
            if end is None or start <= end:
                found[enrolment_id].append((start, end))
    return found


def _head_placements(user, on: datetime.date) -> QuerySet[SchoolPlacement]:
    headship = StaffMembership.objects.covering(on).filter(
        user=user, role=StaffMembership.StaffRole.HEAD, school=OuterRef("school")
    )
    return SchoolPlacement.objects.covering(on).filter(Exists(headship))


# --- Decisions about one record, and about a list of them.


def _decide(user, record: Protected, periods: _Periods | None, today: datetime.date) -> frozenset[Action]:
    if periods is None:
        return _NOTHING
    kind = record.access_kind
    rules = POLICY[kind]
    in_force, earlier = _standing_on(periods, record.access_date, today)
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
        rule = rule if relation in in_force else rule & _READS
        if relation in _OWNER_ONLY and getattr(record, "access_owner_id", None) != user.pk:
            rule = rule - _OWNER_ONLY[relation]
        granted |= rule
    if kind in _AUTHOR_ONLY and getattr(record, "access_author_id", None) != user.pk:
        return _NOTHING
    return frozenset(granted)


def allowed_actions(user, record: Protected) -> frozenset[Action]:
    enrolment_id = record.access_enrolment_id
    return _decide(user, record, _periods(user, [enrolment_id]).get(enrolment_id), timezone.localdate())


def judge(user, records: Iterable[P]) -> list[tuple[P, frozenset[Action]]]:
    """Each record with what the person may do to it: the same answer as `allowed_actions`, for a
    list of records of any number of participants in a fixed number of queries."""
    records = list(records)
    periods = _periods(user, {record.access_enrolment_id for record in records})
    today = timezone.localdate()
    return [(record, _decide(user, record, periods.get(record.access_enrolment_id), today)) for record in records]


def readable(user, records: Iterable[P]) -> list[tuple[P, frozenset[Action]]]:
    """The records the person may read at all (in full or as a summary), with what they may do."""
    return [(record, actions) for record, actions in judge(user, records) if actions & _READS]


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
