"""Who may do what to which record. Every view, export, template and task asks this module.

It encodes PRODUCT.md's "who sees what" table. A person's relation to a participant's record
(their coach, their tutor, their head) is decided by the date-bounded periods in force on the
record's own date: when a participant moves school or an assignment ends, the old coach, tutor
or head sees none of the records dated afterwards, while what the history says they did stays.
A coach, tutor or head whose period has begun may also read (never change) the participant's
shared records from before it, so a new coach, tutor or school carries on from the portfolio
and the agreed logs; drafts and private notes are not passed on. Once a coach's, tutor's or
head's period has ended, its records stay readable to them as history, and they change nothing.

Each app registers its kinds of record here (`register`, from its AppConfig.ready), so subject
access, the audit trail and dashboards find every record of an enrolment (`records_of`) without
knowing the apps.

A refused read is a 404 (the record's existence is not revealed); a refused write is a 403.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from audit import trail
from programme.models import CoachAssignment, Enrolment, SchoolPlacement, StaffMembership, TutorAssignment


class Relation(StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"
    TUTOR = "tutor"
    HEAD = "head"
    PROGRAMME_LEADER = "programme_leader"
    EXTERNAL_EXAMINER = "external_examiner"
    # A tutor the programme leader assigned to second- or third-mark one submission (moderation):
    # held towards that participant from the submission's date while the moderation lasts.
    MARKER = "marker"


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
    # The participant's portfolio: evidence, their reflective journal, their enquiries.
    EVIDENCE = "evidence"
    REFLECTION = "reflection"
    ENQUIRY = "enquiry"
    # A summary of an enquiry for the research library (journey 7): written (or returned by the
    # tutor, or withdrawn), waiting for the tutor, approved, and published.
    LIBRARY_SUMMARY_DRAFT = "library_summary_draft"
    LIBRARY_SUMMARY_SENT = "library_summary_sent"
    LIBRARY_SUMMARY_APPROVED = "library_summary_approved"
    LIBRARY_SUMMARY_PUBLISHED = "library_summary_published"
    # A submission the participant is still building, and one submitted (a frozen snapshot).
    SUBMISSION_DRAFT = "submission_draft"
    SUBMISSION = "submission"
    MARKS_UNRELEASED = "marks_unreleased"
    MARKS_RELEASED = "marks_released"
    # The coach's supporting statement on a submission (Q9 g).
    SUPPORTING_STATEMENT = "supporting_statement"
    # The credit ledger as a whole (credits so far, phases confirmed), and a claim of prior
    # learning (APL) waiting for the tutor, then approved or not.
    CREDIT_LEDGER = "credit_ledger"
    PRIOR_LEARNING_CLAIMED = "prior_learning_claimed"
    PRIOR_LEARNING_DECIDED = "prior_learning_decided"
    # The external examiner's comment on a sampled submission, which the markers and the leader read.
    EXAMINER_COMMENT = "examiner_comment"
    # A copy of the participant's whole portfolio that they asked for (portfolio.export): theirs alone.
    PORTFOLIO_EXPORT = "portfolio_export"
    # A second or third marker's own marks (never released as such: the agreed mark is), and the
    # moderation of a submission: who was chosen to mark it, the notes and the agreed mark.
    SECOND_MARKS = "second_marks"
    MODERATION_RECORD = "moderation_record"


class Action(StrEnum):
    VIEW = "view"  # the whole record
    VIEW_SUMMARY = "view_summary"  # dates, duration and content areas; or outcome and credits
    CHANGE = "change"
    AGREE = "agree"  # the participant adds their reflection and agrees, or asks for a change
    NEW_VERSION = "new_version"  # change an agreed record by recording a new version
    ADD_STATEMENT = "add_statement"  # the coach's supporting statement on a submission
    ASSESS = "assess"  # mark a submission; confirm a phase complete on the credit ledger
    CLOSE = "close"  # mark an action step done or dropped
    ATTACH = "attach"  # attach a file of evidence to a record while it is being agreed
    APPROVE = "approve"  # the tutor approves a library summary for publishing (or returns it), or prior learning
    PUBLISH = "publish"  # the participant publishes an approved library summary
    # The participant takes a published library summary off the library, or takes back submitted
    # work (before its due date) to submit it again.
    WITHDRAW = "withdraw"
    COMMENT = "comment"  # the external examiner comments on sampled marks


class Protected(Protocol):
    """What a record tells the policy about itself. Optional too: `access_owner_id` (see
    _OWNER_ONLY), `access_author_id` (see _AUTHOR_ONLY) and, for a record that is not a registered
    model, `access_sampled` (whether it is in the external examiner's sample)."""

    access_kind: RecordKind  # may be a property: a draft log becomes an agreed one

    @property
    def access_enrolment_id(self) -> int: ...

    @property
    def access_date(self) -> datetime.date: ...


P = TypeVar("P", bound=Protected)
A = Action
R = Relation
_SAMPLED = "sampled"  # the external examiner may read it only when it is in a sample
_SAMPLED_COMMENT = "sampled, and comment"  # ... and comment on it there
# What each of those grants, once the record is in the examiner's sample.
_WHEN_SAMPLED: dict[str, frozenset[Action]] = {
    _SAMPLED: frozenset({Action.VIEW}),
    _SAMPLED_COMMENT: frozenset({Action.VIEW, Action.COMMENT}),
}

POLICY: dict[RecordKind, dict[Relation, frozenset[Action] | str]] = {
    RecordKind.ENROLMENT: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
        R.MARKER: frozenset({A.VIEW}),
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
        R.MARKER: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW_SUMMARY}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    # Only the coach who wrote it; see _AUTHOR_ONLY.
    RecordKind.PRIVATE_NOTE: {
        R.COACH: frozenset({A.VIEW, A.CHANGE}),
    },
    # Like a dialogue log: once agreed, the learning plan is revisited (NEW_VERSION) rather than changed.
    # Both attach evidence to the diagnosis while they agree it.
    RecordKind.DIAGNOSIS_DRAFT: {
        R.PARTICIPANT: frozenset({A.VIEW, A.AGREE, A.ATTACH}),
        R.COACH: frozenset({A.VIEW, A.CHANGE, A.ATTACH}),
    },
    RecordKind.DIAGNOSIS_AGREED: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW, A.NEW_VERSION}),
        R.TUTOR: frozenset({A.VIEW}),
        R.MARKER: frozenset({A.VIEW}),
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
        R.MARKER: frozenset({A.VIEW}),
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
        R.MARKER: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW_SUMMARY}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    # The portfolio is the participant's: their coach and tutor read it, the head and the programme
    # leader see none of it, the external examiner only inside a sampled submission.
    **{
        kind: {
            R.PARTICIPANT: frozenset({A.VIEW, A.CHANGE}),
            R.COACH: frozenset({A.VIEW}),
            R.TUTOR: frozenset({A.VIEW}),
            R.MARKER: frozenset({A.VIEW}),
            R.EXTERNAL_EXAMINER: _SAMPLED,
        }
        for kind in (RecordKind.EVIDENCE, RecordKind.REFLECTION, RecordKind.ENQUIRY)
    },
    # The research library: the participant writes and publishes, the tutor approves first, the
    # coach reads. Once published it is public, so the head, the leader and the examiner read it too.
    RecordKind.LIBRARY_SUMMARY_DRAFT: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CHANGE}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
    },
    RecordKind.LIBRARY_SUMMARY_SENT: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW, A.APPROVE}),
    },
    RecordKind.LIBRARY_SUMMARY_APPROVED: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CHANGE, A.PUBLISH}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
    },
    RecordKind.LIBRARY_SUMMARY_PUBLISHED: {
        R.PARTICIPANT: frozenset({A.VIEW, A.WITHDRAW}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: frozenset({A.VIEW}),
    },
    # A draft is the participant's alone until they submit it.
    RecordKind.SUBMISSION_DRAFT: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CHANGE}),
    },
    RecordKind.SUBMISSION: {
        R.PARTICIPANT: frozenset({A.VIEW, A.WITHDRAW}),
        R.COACH: frozenset({A.VIEW, A.ADD_STATEMENT}),
        R.TUTOR: frozenset({A.VIEW, A.ASSESS}),
        R.MARKER: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    RecordKind.MARKS_UNRELEASED: {
        R.TUTOR: frozenset({A.VIEW, A.CHANGE}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED_COMMENT,
    },
    RecordKind.MARKS_RELEASED: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
        R.MARKER: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED_COMMENT,
    },
    # The coach writes it (until marking starts: assessment.rules.statements); the head sees none of it.
    RecordKind.SUPPORTING_STATEMENT: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW, A.CHANGE}),
        R.TUTOR: frozenset({A.VIEW}),
        R.MARKER: frozenset({A.VIEW}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    # Credits: the participant claims prior learning, the tutor approves it and confirms phases
    # complete (ASSESS), the head sees the credits only (VIEW_SUMMARY).
    RecordKind.CREDIT_LEDGER: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW, A.ASSESS}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    RecordKind.PRIOR_LEARNING_CLAIMED: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CHANGE}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW, A.APPROVE}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    RecordKind.PRIOR_LEARNING_DECIDED: {
        R.PARTICIPANT: frozenset({A.VIEW}),
        R.COACH: frozenset({A.VIEW}),
        R.TUTOR: frozenset({A.VIEW}),
        R.HEAD: frozenset({A.VIEW_SUMMARY}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    # Written by an examiner on a submission in their sample (COMMENT on its marks); the markers (the
    # participant's tutor, and a second or third marker of that work) and the leader read it; the
    # participant, their coach and head do not (it is about the marking).
    RecordKind.EXAMINER_COMMENT: {
        R.TUTOR: frozenset({A.VIEW}),
        R.MARKER: frozenset({A.VIEW}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    # The participant's own copy of their data: they ask for it (CHANGE) and download it (VIEW);
    # nobody else, not even their coach or tutor, sees that it exists.
    RecordKind.PORTFOLIO_EXPORT: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CHANGE}),
    },
    # Moderation (second marking): the participant, their coach and head never see a second or
    # third marker's marks, nor the moderation's notes; what they see after release is the agreed
    # result (MARKS_RELEASED). The assigned marker writes their own marks (the services check it is
    # their marking) and the moderation's notes; the participant's tutor (the first marker) reads
    # them; the programme leader runs the moderation. A first marker's marks are MARKS_UNRELEASED,
    # which a MARKER does not read: when the task is not blind, the moderation's selectors show them.
    RecordKind.SECOND_MARKS: {
        R.TUTOR: frozenset({A.VIEW}),
        R.MARKER: frozenset({A.VIEW, A.CHANGE}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW}),
        R.EXTERNAL_EXAMINER: _SAMPLED,
    },
    RecordKind.MODERATION_RECORD: {
        R.TUTOR: frozenset({A.VIEW, A.CHANGE}),
        R.MARKER: frozenset({A.VIEW, A.CHANGE}),
        R.PROGRAMME_LEADER: frozenset({A.VIEW, A.CHANGE}),
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
    RecordKind.SUBMISSION_DRAFT,
}
_READS = frozenset({A.VIEW, A.VIEW_SUMMARY})
_NOTHING: frozenset[Action] = frozenset()


# --- Which relations a person can hold at all: the role behind each.

_ROLE_OF: dict[Relation, Role] = {
    R.PARTICIPANT: Role.PARTICIPANT,
    R.COACH: Role.COACH,
    R.TUTOR: Role.TUTOR,
    R.HEAD: Role.HEAD,
    R.PROGRAMME_LEADER: Role.PROGRAMME_LEADER,
    R.EXTERNAL_EXAMINER: Role.EXTERNAL_EXAMINER,
    R.MARKER: Role.TUTOR,
}


def held_relations(user) -> frozenset[Relation]:
    """The relations this person's roles let them hold towards a participant: which pages are theirs.
    Whom they hold each towards, and when, is `enrolments_for` and `relations`."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = user.roles
    return frozenset(relation for relation, role in _ROLE_OF.items() if role in roles)


def holds(user, relation: Relation) -> bool:
    return relation in held_relations(user)


def require_relation(user, relation: Relation) -> None:
    """A page for one relation (the tutor's logs, the head's school): a 404 for anyone else."""
    if not holds(user, relation):
        raise Http404("This page is not part of your role.")


def headships(user, on: datetime.date | None = None) -> QuerySet[StaffMembership]:
    """The one place that decides who is head where: this person's headships, only those covering
    `on` when a day is given."""
    found = StaffMembership.objects.filter(user=user, role=StaffMembership.StaffRole.HEAD)
    return found if on is None else found.covering(on)


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


@dataclass(frozen=True)
class _Standing:
    """How a person stands towards the records of one participant dated one day."""

    in_force: frozenset[Relation]  # a period of theirs covers the day (or they hold it whatever the day)
    ended: frozenset[Relation]  # of those, the ones whose period covering the day is over: history now
    earlier: frozenset[Relation]  # their period began after the day: they carry on from what went before


def _covers(span: _Span, day: datetime.date) -> bool:
    return span[0] <= day and (span[1] is None or day <= span[1])


def relations(user, enrolment_id: int, on: datetime.date) -> frozenset[Relation]:
    """The relations in force on `on`: the periods covering that day (plus the participant, the
    programme leader and the external examiner, who hold theirs whatever the day)."""
    periods = _periods(user, [enrolment_id]).get(enrolment_id)
    if periods is None:
        return frozenset()
    return _standing_on(periods, on, timezone.localdate()).in_force


def _standing_on(periods: _Periods, on: datetime.date, today: datetime.date) -> _Standing:
    in_force = set(periods.always)
    ended: set[Relation] = set()
    earlier: set[Relation] = set()
    for relation, found in periods.spans.items():
        covering = [span for span in found if _covers(span, on)]
        if covering:
            in_force.add(relation)
            if all(span[1] is not None and span[1] < today for span in covering):
                ended.add(relation)
        # A coach, tutor or head whose period has begun reads what the participant did before it:
        # the portfolio and agreed logs carry on with a new coach, tutor or school (Q24).
        if any(on < span[0] <= today for span in found):
            earlier.add(relation)
    return _Standing(frozenset(in_force), frozenset(ended), frozenset(earlier - in_force))


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


# Relations whose periods another app keeps (the moderation's markers, in assessment): given the
# person and some enrolment ids, (enrolment id, starts on, ends on or None) for each period.
PeriodSource = Callable[[Any, set[int]], Iterable[tuple[int, datetime.date, datetime.date | None]]]
_PERIOD_SOURCES: dict[Relation, PeriodSource] = {}


def register_periods(relation: Relation, source: PeriodSource) -> None:
    """Called from an AppConfig.ready(): where a relation's periods come from (one query each)."""
    _PERIOD_SOURCES[Relation(relation)] = source


def _read_periods(user, enrolment_ids: set[int]) -> dict[int, _Periods]:
    """At most seven queries, for any number of participants."""
    held = held_relations(user)
    always = held & {R.PROGRAMME_LEADER, R.EXTERNAL_EXAMINER}
    own: set[int] = set()
    if R.PARTICIPANT in held:
        own = set(Enrolment.objects.filter(pk__in=enrolment_ids, participant=user).values_list("pk", flat=True))
    spans: dict[int, dict[Relation, list[_Span]]] = {pk: {} for pk in enrolment_ids}
    for relation, assignments in (
        (R.COACH, CoachAssignment.objects.filter(coach=user)),
        (R.TUTOR, TutorAssignment.objects.filter(tutor=user)),
    ):
        if relation not in held:
            continue
        for pk in enrolment_ids:
            spans[pk][relation] = []
        rows = assignments.filter(enrolment_id__in=enrolment_ids).values_list("enrolment_id", "starts_on", "ends_on")
        for enrolment_id, starts_on, ends_on in rows:
            spans[enrolment_id][relation].append((starts_on, ends_on))
    if R.HEAD in held:
        for enrolment_id, found in _headship_spans(user, enrolment_ids).items():
            spans[enrolment_id][R.HEAD] = found
    for relation, source in _PERIOD_SOURCES.items():
        if relation not in held:
            continue
        for pk in enrolment_ids:
            spans[pk][relation] = []
        for enrolment_id, starts_on, ends_on in source(user, enrolment_ids):
            spans[enrolment_id][relation].append((starts_on, ends_on))
    return {
        pk: _Periods(always=frozenset(always | ({R.PARTICIPANT} if pk in own else set())), spans=spans[pk])
        for pk in enrolment_ids
    }


def _headship_spans(user, enrolment_ids: set[int]) -> dict[int, list[_Span]]:
    """For each participant, the days on which this person was head of the school they were placed at."""
    found: dict[int, list[_Span]] = {pk: [] for pk in enrolment_ids}
    held = list(headships(user).values_list("school_id", "starts_on", "ends_on"))
    if not held:
        return found
    placements = SchoolPlacement.objects.filter(
        enrolment_id__in=enrolment_ids, school_id__in={school_id for school_id, _, _ in held}
    ).values_list("enrolment_id", "school_id", "starts_on", "ends_on")
    for enrolment_id, school_id, p_start, p_end in placements:
        for h_school_id, h_start, h_end in held:
            if h_school_id != school_id:
                continue
            start = max(p_start, h_start)
            ends = [e for e in (p_end, h_end) if e is not None]
            end = min(ends) if ends else None
            if end is None or start <= end:
                found[enrolment_id].append((start, end))
    return found


def _head_placements(user, on: datetime.date) -> QuerySet[SchoolPlacement]:
    # The schools first, so the database reads only their placements.
    return SchoolPlacement.objects.covering(on).filter(school_id__in=headships(user, on).values("school_id"))


# --- Decisions about one record, and about a list of them.


def _decide(
    user, record: Protected, periods: _Periods | None, today: datetime.date, *, sampled: bool
) -> frozenset[Action]:
    if periods is None:
        return _NOTHING
    kind = record.access_kind
    rules = POLICY[kind]
    standing = _standing_on(periods, record.access_date, today)
    granted: set[Action] = set()
    for relation in standing.in_force | (standing.earlier if kind in _PASSED_ON else frozenset()):
        rule = rules.get(relation)
        if rule is None:
            continue
        if isinstance(rule, str):
            if sampled:
                granted |= _WHEN_SAMPLED[rule]
            continue
        # Before their period began, or once it has ended, a coach, tutor or head only reads:
        # what was done outside their time is not theirs to change (issue 8.1).
        if relation in standing.earlier or relation in standing.ended:
            rule = rule & _READS
        if relation in _OWNER_ONLY and getattr(record, "access_owner_id", None) != user.pk:
            rule = rule - _OWNER_ONLY[relation]
        granted |= rule
    if kind in _AUTHOR_ONLY and getattr(record, "access_author_id", None) != user.pk:
        return _NOTHING
    return frozenset(granted)


def allowed_actions(user, record: Protected) -> frozenset[Action]:
    return judge(user, [record])[0][1]


def judge(user, records: Iterable[P]) -> list[tuple[P, frozenset[Action]]]:
    """Each record with what the person may do to it: the same answer as `allowed_actions`, for a
    list of records of any number of participants in a fixed number of queries."""
    records = list(records)
    periods = _periods(user, {record.access_enrolment_id for record in records})
    today = timezone.localdate()
    sampled = _in_examiner_sample(user, records)
    return [
        (record, _decide(user, record, periods.get(record.access_enrolment_id), today, sampled=in_sample))
        for record, in_sample in zip(records, sampled, strict=True)
    ]


def readable(user, records: Iterable[P]) -> list[tuple[P, frozenset[Action]]]:
    """The records the person may read at all (in full or as a summary), with what they may do."""
    return [(record, actions) for record, actions in judge(user, records) if actions & _READS]


def readable_where(user, kind: RecordKind, *, enrolment: str, on: str, action: Action | None = None) -> Q:
    """The records of `kind` this person may read, as a filter for a queryset of them (`enrolment`
    and `on` name the record's enrolment and date fields): the same answer `readable` gives record
    by record, so a list or a sum over thousands of records is worked out by the database. With
    `action` (VIEW: read in full), only the records they may do that to, so a head or programme
    leader who sees an agreed log's dates and content areas is left out of a search of its words.
    For kinds read without an owner or an author; the external examiner's sample is not consulted
    (no page that uses this is theirs), so a sampled record is left out."""
    reading = _reading(user, kind, action)
    if reading & {R.PROGRAMME_LEADER}:
        return Q()
    found = Q(pk__in=[])
    if R.PARTICIPANT in reading:
        found |= Q(**{f"{enrolment}__participant": user})
    day, today = OuterRef(on), timezone.localdate()
    passed_on = kind in _PASSED_ON
    for relation, assignments in (
        (R.COACH, CoachAssignment.objects.filter(coach=user)),
        (R.TUTOR, TutorAssignment.objects.filter(tutor=user)),
    ):
        if relation in reading:
            # In force on the day (`_covers`), or begun since it (`_standing_on`'s "earlier").
            spans = Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            if passed_on:
                spans |= Q(starts_on__gt=day, starts_on__lte=today)
            found |= Q(Exists(assignments.filter(spans, enrolment=OuterRef(enrolment))))
    if R.HEAD in reading:
        # A headship crossed with the participant's placement at that school (`_headship_spans`):
        # the span runs from the later start to the earlier end.
        p = "school__placements__"
        covering = (
            Q(starts_on__lte=day, **{f"{p}starts_on__lte": day})
            & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            & (Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": day}))
        )
        if passed_on:
            overlapping = (Q(ends_on__isnull=True) | Q(ends_on__gte=F(f"{p}starts_on"))) & (
                Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": F("starts_on")})
            )
            begun_since = (Q(starts_on__gt=day) | Q(**{f"{p}starts_on__gt": day})) & Q(
                starts_on__lte=today, **{f"{p}starts_on__lte": today}
            )
            covering |= overlapping & begun_since
        found |= Q(Exists(headships(user).filter(covering, **{f"{p}enrolment": OuterRef(enrolment)})))
    return found


def _reading(user, kind: RecordKind, action: Action | None = None) -> set[Relation]:
    """The relations through which this person may read some records of `kind` (only those that
    may do `action`, when it is given: VIEW leaves out a summary)."""
    if kind in _AUTHOR_ONLY:
        raise ValueError(f"{kind} is read by its author only: judge each record.")
    rules = POLICY[kind]
    wanted = _READS if action is None else frozenset({Action(action)})
    return {
        relation
        for relation in held_relations(user)
        if isinstance(rules.get(relation), frozenset) and rules[relation] & wanted
    }


def reads_all(user, kind: RecordKind) -> bool:
    """Whether this person may read every record of `kind` (a programme leader reads every agreed
    log's summary): then `readable_where` filters nothing."""
    return R.PROGRAMME_LEADER in _reading(user, kind)


def readable_throughout_where(user, kind: RecordKind, *, enrolment: str, starts: str, ends: str) -> Q:
    """A filter for rows that stand for records of `kind` dated from `starts` to `ends` (release time
    summed per term): it keeps a row only where this person may read every record dated in that span,
    as `readable_where` would judge each one, through one period that covers the span or began since.
    A row left out may still be partly readable: its records must then be judged themselves."""
    reading = _reading(user, kind)
    if reading & {R.PROGRAMME_LEADER}:
        return Q()
    found = Q(pk__in=[])
    if R.PARTICIPANT in reading:
        found |= Q(**{f"{enrolment}__participant": user})
    first, last, today = OuterRef(starts), OuterRef(ends), timezone.localdate()
    passed_on = kind in _PASSED_ON
    for relation, assignments in (
        (R.COACH, CoachAssignment.objects.filter(coach=user)),
        (R.TUTOR, TutorAssignment.objects.filter(tutor=user)),
    ):
        if relation in reading:
            lasting = Q(ends_on__isnull=True) | Q(ends_on__gte=last)
            # Passed on: the days before the period began are read as "begun since", the rest as in force.
            spans = lasting & (Q(starts_on__lte=today) if passed_on else Q(starts_on__lte=first))
            found |= Q(Exists(assignments.filter(spans, enrolment=OuterRef(enrolment))))
    if R.HEAD in reading:
        p = "school__placements__"
        lasting = (Q(ends_on__isnull=True) | Q(ends_on__gte=last)) & (
            Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": last})
        )
        if passed_on:
            overlapping = (Q(ends_on__isnull=True) | Q(ends_on__gte=F(f"{p}starts_on"))) & (
                Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": F("starts_on")})
            )
            spans = lasting & overlapping & Q(starts_on__lte=today, **{f"{p}starts_on__lte": today})
        else:
            spans = lasting & Q(starts_on__lte=first, **{f"{p}starts_on__lte": first})
        found |= Q(Exists(headships(user).filter(spans, **{f"{p}enrolment": OuterRef(enrolment)})))
    return found


def reads_in_full(user, kinds: Iterable[RecordKind]) -> bool:
    """Whether this person's roles let them read some record of these kinds in full (whose, and
    dated when, is still each record's answer): a page that searches or lists the words of such
    records is theirs; for anyone else it is not part of their role."""
    held = held_relations(user)
    return any(
        isinstance(rule, frozenset) and A.VIEW in rule
        for kind in kinds
        for relation, rule in POLICY[kind].items()
        if relation in held
    )


def permitted(user, action: Action, queryset: QuerySet) -> QuerySet:
    """The records of `queryset` this person may do `action` to, as a queryset: what a form's
    choice list of records is built from, so a choice the policy does not allow is not offered
    and, posted anyway, is refused as not in the list."""
    allowed = [record.pk for record, actions in judge(user, queryset) if action in actions]
    return queryset.filter(pk__in=allowed)


def can(user, action: Action | str, record: Protected) -> bool:
    return Action(action) in allowed_actions(user, record)


def require(user, action: Action | str, record: Protected) -> frozenset[Action]:
    """Raise Http404 if the user may not even see the record, PermissionDenied if they may see it
    but not do `action`. Returns everything they may do, for the template. Views call it before
    they show a form; services call it again before they change anything, so no caller skips it."""
    actions = allowed_actions(user, record)
    if not actions & _READS:
        trail.refused_read(record, actor=user)
        raise Http404("No such record.")
    if Action(action) not in actions:
        raise PermissionDenied(refusal_reason(user, Action(action), record, actions))
    return actions


_ROLE_NAMES = {R.COACH: "coach", R.TUTOR: "tutor", R.HEAD: "head"}
REFUSED = "You cannot do that to this record."


def refusal_reason(user, action: Action, record: Protected, actions: frozenset[Action]) -> str:
    """Why a person who may see a record may not do `action` to it, in words they can act on; the
    403 page shows it. Falls back to a plain refusal where there is nothing they could do."""
    if action == A.CHANGE and A.NEW_VERSION in actions:
        return "Both of you have agreed this record, so it is not changed in place. Make a new version instead."
    periods = _periods(user, [record.access_enrolment_id]).get(record.access_enrolment_id)
    if periods is not None:
        for relation in _standing_on(periods, record.access_date, timezone.localdate()).ended:
            ends = max(span[1] for span in periods.spans[relation] if _covers(span, record.access_date) and span[1])
            return (
                f"Your time as this participant's {_ROLE_NAMES.get(relation, relation)} ended on "
                f"{ends:%-d %B %Y}. You can still read the records of that time, but not change them."
            )
    return REFUSED


# --- Lists: which participants a person sees in a role, on a day (today by default).


def enrolments_for(user, relation: Relation, on: datetime.date | None = None) -> QuerySet[Enrolment]:
    """The enrolments this person holds `relation` to, as a queryset for lists and exports."""
    on = on or timezone.localdate()
    qs = Enrolment.objects.all()
    if not holds(user, relation):
        return qs.none()
    if relation == R.PARTICIPANT:
        return qs.filter(participant=user)
    # `pk__in` a subquery on the person's own periods: the database reads those few rows first,
    # rather than testing every enrolment against them.
    if relation == R.COACH:
        return qs.filter(pk__in=CoachAssignment.objects.covering(on).filter(coach=user).values("enrolment_id"))
    if relation == R.TUTOR:
        return qs.filter(pk__in=TutorAssignment.objects.covering(on).filter(tutor=user).values("enrolment_id"))
    if relation == R.HEAD:
        return qs.filter(pk__in=_head_placements(user, on).values("enrolment_id"))
    if relation == R.PROGRAMME_LEADER:
        return qs
    return qs.none()


class EnrolmentRecord:
    """The enrolment seen as a record: access is judged on today's relations."""

    access_kind = RecordKind.ENROLMENT

    def __init__(self, enrolment: Enrolment, *, sampled: bool = False):
        self.enrolment = enrolment
        self.access_sampled = sampled

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment.pk

    @property
    def access_date(self) -> datetime.date:
        return timezone.localdate()


# --- The registry: every app's kinds of record, so others can ask about them without knowing the app.

# Given the external examiner and the ids of some records of one model, the ids in their sample.
SampleLookup = Callable[[Any, list[int]], set[int]]


@dataclass(frozen=True)
class Registration:
    model: type[Model]
    kinds: frozenset[RecordKind]  # the kinds its records can be (a log is a draft, then agreed)
    enrolment: str  # the lookup from the model to the participant's enrolment, e.g. "log__enrolment"
    date: str  # the lookup to the date the policy judges it on, e.g. "log__session_on"
    sample: SampleLookup | None = None  # none: no record of this model is ever in a sample


_REGISTRY: dict[type[Model], Registration] = {}


def register(
    model: type[Model],
    *,
    kinds: Iterable[RecordKind],
    enrolment: str,
    date: str,
    sample: SampleLookup | None = None,
) -> Registration:
    """Called by each app's AppConfig.ready() for each model whose rows belong to a participant.
    A part of a record (a diagnosed need, a goal) is registered with the kinds of its record."""
    kinds = frozenset(RecordKind(kind) for kind in kinds)
    if not kinds:
        raise ImproperlyConfigured(f"{model.__name__} is registered with no kind of record.")
    found = Registration(model=model, kinds=kinds, enrolment=enrolment, date=date, sample=sample)
    _REGISTRY[model] = found
    return found


def sample_with(model: type[Model], lookup: SampleLookup) -> Registration:
    """Give a model another app registered its sample look-up: assessment keeps the samples, so it
    says which logs, steps and evidence are cited in or part of a sampled submission."""
    found = _REGISTRY.get(model)
    if found is None:
        raise ImproperlyConfigured(f"{model.__name__} is not registered with the access policy.")
    _REGISTRY[model] = replace(found, sample=lookup)
    return _REGISTRY[model]


# Given the external examiner and some enrolment ids, those with a submission in their sample.
_enrolments_in_sample: SampleLookup | None = None


def sample_enrolments_with(lookup: SampleLookup) -> None:
    """How to tell which participants have work in an examiner's sample: records that stand for a
    participant as a whole (EnrolmentRecord, the credit ledger) are in the sample through them."""
    global _enrolments_in_sample  # noqa: PLW0603 - set once, from AssessmentConfig.ready
    _enrolments_in_sample = lookup


def registrations() -> tuple[Registration, ...]:
    return tuple(_REGISTRY.values())


def registration(model: type[Model]) -> Registration | None:
    return _REGISTRY.get(model)


def records_of(
    enrolment: Enrolment | int,
    *,
    dated_from: datetime.date | None = None,
    dated_to: datetime.date | None = None,
) -> dict[type[Model], QuerySet]:
    """Every registered record of one participant's enrolment (optionally dated within a span): a
    queryset per model, unevaluated, for subject access, the audit trail and dashboards. What a
    given person may do to each is still `judge`'s answer."""
    pk = enrolment.pk if isinstance(enrolment, Enrolment) else enrolment
    found = {}
    for model, reg in _REGISTRY.items():
        qs = model._default_manager.filter(**{reg.enrolment: pk})
        if dated_from is not None:
            qs = qs.filter(**{f"{reg.date}__gte": dated_from})
        if dated_to is not None:
            qs = qs.filter(**{f"{reg.date}__lte": dated_to})
        found[model] = qs
    return found


def _in_examiner_sample(user, records: Sequence[Protected]) -> list[bool]:
    """Whether each record is in the external examiner's sample: one look-up per registered model
    among the records (none for anyone who is not an external examiner), however many records."""
    if not holds(user, R.EXTERNAL_EXAMINER):
        return [False] * len(records)
    sampled = [bool(getattr(record, "access_sampled", False)) for record in records]
    by_model: dict[Registration, list[int]] = defaultdict(list)
    whole: list[int] = []  # records standing for a participant as a whole
    for index, record in enumerate(records):
        if sampled[index]:
            continue
        reg = _REGISTRY.get(type(record))
        if reg is not None and reg.sample is not None:
            by_model[reg].append(index)
        elif reg is None and record.access_kind in _WHOLE_PARTICIPANT:
            whole.append(index)
    for reg, indexes in by_model.items():
        in_sample = reg.sample(user, [records[i].pk for i in indexes])
        for i in indexes:
            sampled[i] = records[i].pk in in_sample
    if whole and _enrolments_in_sample is not None:
        in_sample = _enrolments_in_sample(user, sorted({records[i].access_enrolment_id for i in whole}))
        for i in whole:
            sampled[i] = records[i].access_enrolment_id in in_sample
    return sampled


# Kinds whose records (not models) stand for a participant as a whole: in a sample when some of
# the participant's work is.
_WHOLE_PARTICIPANT = frozenset({RecordKind.ENROLMENT, RecordKind.CREDIT_LEDGER})


# --- The external examiner's overall report on a task: not a record of one participant.


def examiner_report_actions(
    user, *, examiner_ids: Iterable[int], marker_ids: Iterable[int], confirmed: bool
) -> frozenset[Action]:
    """What this person may do to the overall report on a task's sample: its examiners write it
    (COMMENT) once the sample is confirmed and read it; the programme leader and the task's markers
    read it; nobody else sees it."""
    held = held_relations(user)
    found: set[Action] = set()
    if R.PROGRAMME_LEADER in held:
        found.add(A.VIEW)
    if R.EXTERNAL_EXAMINER in held and confirmed and user.pk in set(examiner_ids):
        found |= {A.VIEW, A.COMMENT}
    if R.TUTOR in held and user.pk in set(marker_ids):
        found.add(A.VIEW)
    return frozenset(found)


# --- A participants' table written to a file in the background (tracking.models.ListExport): the
# rows were chosen by the access policy when it was written; the file itself is one person's.


# The relations that have a table of participants to download: the head's school, the leader's programme.
_TRACKING = frozenset({R.HEAD, R.PROGRAMME_LEADER})


def list_export_actions(user, *, requested_by_id: int, relation: str) -> frozenset[Action]:
    """What this person may do to a file of a dashboard's table made for them in the background:
    the person who asked for it reads it (VIEW) while they still hold the relation it was made in
    (a head who is head no longer, or a disabled account, loses it); nobody else sees it, another
    programme leader included, since it is that person's own choice of rows."""
    if relation not in _TRACKING or user.pk != requested_by_id or not holds(user, Relation(relation)):
        return _NOTHING
    return frozenset({A.VIEW})


# --- Data protection: a subject access export is about a person, not a record of one participant.


def subject_access_actions(user) -> frozenset[Action]:
    """What this person may do with subject access exports (privacy): the programme leader, who
    answers such requests for the provider, asks for them (CHANGE) and reads them (VIEW); nobody
    else sees them, not even the person they are about, who asks the provider and is sent theirs
    once the provider has checked who is asking."""
    if R.PROGRAMME_LEADER in held_relations(user):
        return frozenset({A.VIEW, A.CHANGE})
    return frozenset()


def require_subject_access(user, action: Action) -> None:
    """For the subject access pages: a 404 for anyone the policy does not let do `action`."""
    if action not in subject_access_actions(user):
        raise Http404("This page is not part of your role.")
