"""What is thin: a participant's records counted by content area and phase, with the gaps named
and the topics to look at next. A selector: every record counted is one this person may read,
judged by the access policy, in a fixed number of queries however many records there are."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from coaching.models import AgreementStatus, DialogueLog
from portfolio.models import Enquiry, Evidence, Reflection
from programme import access
from programme.access import Action
from programme.models import ContentArea, Enrolment, Phase, PhaseChange, Standard, Topic

KINDS = ("evidence", "reflections", "enquiry_sections", "logs")


@dataclass
class Cell:
    area: ContentArea
    phase: Phase
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Row:
    area: ContentArea
    cells: list[Cell]
    topics: list[Topic]


@dataclass
class StandardCount:
    standard: Standard
    evidence: int
    logs: int


@dataclass
class Coverage:
    phases: list[Phase]
    rows: list[Row]
    gaps: list[str]
    next_topics: list[Row]  # areas with no evidence yet in the current phase, with their topics
    standards: list[StandardCount] = field(default_factory=list)  # of the frameworks in use

    @property
    def standards_without_evidence(self) -> list[Standard]:
        return [count.standard for count in self.standards if not count.evidence]


def _readable(user, records) -> list:
    return [record for record, actions in access.judge(user, records) if Action.VIEW in actions]


def _areas_of(model, enrolment: Enrolment, owner: str) -> dict[int, set[int]]:
    """Each record's content areas, from the link table: one query for all of them."""
    through = model.content_areas.through
    links = through.objects.filter(**{f"{owner}__enrolment": enrolment}).values_list(f"{owner}_id", "contentarea_id")
    found: dict[int, set[int]] = defaultdict(set)
    for record_id, area_id in links:
        found[record_id].add(area_id)
    return found


def _phase_on(enrolment: Enrolment, changes: list[PhaseChange], first_phase_id: int):
    """The phase the participant was in on a day, from their recorded phase changes."""

    def on(day: datetime.date) -> int:
        phase_id = changes[0].from_phase_id if changes else enrolment.current_phase_id or first_phase_id
        for change in changes:
            if timezone.localdate(change.decided_at) <= day:
                phase_id = change.to_phase_id
        return phase_id

    return on


def phase_on_session_day(enrolment: str = "enrolment", day: str = "session_on") -> Coalesce:
    """`_phase_on` as a database expression over dialogue logs (the search's phase filter): the
    phase of the latest change decided on or before the session's day, else the phase the first
    change left, else the current phase. A test holds the two to the same answer."""
    changes = PhaseChange.objects.filter(enrolment=OuterRef(enrolment)).order_by()
    return Coalesce(
        Subquery(
            changes.filter(decided_at__date__lte=OuterRef(day)).order_by("-decided_at", "-pk").values("to_phase")[:1]
        ),
        Subquery(changes.order_by("decided_at", "pk").values("from_phase")[:1]),
        F(f"{enrolment}__current_phase"),
        output_field=BigIntegerField(),
    )


def coverage(user, enrolment: Enrolment) -> Coverage:
    phases = list(Phase.objects.all())
    areas = list(ContentArea.objects.prefetch_related("topics"))
    cells = {(a.pk, p.pk): Cell(area=a, phase=p) for a in areas for p in phases}

    def add(kind: str, area_ids, phase_id: int, amount: int = 1) -> None:
        for area_id in area_ids:
            if (area_id, phase_id) in cells:
                cells[(area_id, phase_id)].counts[kind] += amount

    evidence = Evidence.objects.filter(enrolment=enrolment).only("pk", "enrolment_id", "relates_to", "phase_id")
    evidence_areas = _areas_of(Evidence, enrolment, "evidence")
    readable_evidence = _readable(user, evidence)
    for record in readable_evidence:
        add("evidence", evidence_areas[record.pk], record.phase_id)

    reflections = Reflection.objects.filter(enrolment=enrolment).only("pk", "enrolment_id", "written_on", "phase_id")
    reflection_areas = _areas_of(Reflection, enrolment, "reflection")
    for record in _readable(user, reflections):
        add("reflections", reflection_areas[record.pk], record.phase_id)

    enquiries = Enquiry.objects.filter(enrolment=enrolment).only(
        "pk", "enrolment_id", "started_on", "phase_id", *Enquiry.SECTION_NAMES
    )
    enquiry_areas = _areas_of(Enquiry, enrolment, "enquiry")
    for record in _readable(user, enquiries):
        written = sum(1 for name in Enquiry.SECTION_NAMES if getattr(record, name).strip())
        add("enquiry_sections", enquiry_areas[record.pk], record.phase_id, written)

    # A coaching session belongs to the phase the participant was in on the day it was held.
    changes = list(PhaseChange.objects.filter(enrolment=enrolment).order_by("decided_at", "pk"))
    phase_on = _phase_on(enrolment, changes, phases[0].pk)
    logs = DialogueLog.objects.filter(enrolment=enrolment, status=AgreementStatus.AGREED).only(
        "pk", "enrolment_id", "session_on", "status"
    )
    log_areas: dict[int, set[int]] = defaultdict(set)
    for log_id, area_id in DialogueLog.content_areas.through.objects.filter(
        dialoguelog__enrolment=enrolment
    ).values_list("dialoguelog_id", "contentarea_id"):
        log_areas[log_id].add(area_id)
    readable_logs = _readable(user, logs)
    for log in readable_logs:
        add("logs", log_areas[log.pk], phase_on(log.session_on))

    rows = [Row(area=a, cells=[cells[(a.pk, p.pk)] for p in phases], topics=list(a.topics.all())) for a in areas]
    current = next((p for p in phases if p.pk == enrolment.current_phase_id), phases[0])
    gaps: list[str] = []
    for phase in phases:
        if phase.number > current.number:
            continue
        for row in rows:
            cell = cells[(row.area.pk, phase.pk)]
            where = f"content area {row.area.number} ({row.area.short_name}) in phase {phase.number}"
            if cell.total == 0:
                gaps.append(f"Nothing yet for {where}.")
            elif cell.counts["evidence"] == 0:
                gaps.append(f"No evidence yet for {where}.")
    thin = [row for row in rows if cells[(row.area.pk, current.pk)].counts["evidence"] == 0]
    standards = _standards(enrolment, {e.pk for e in readable_evidence}, {log.pk for log in readable_logs})
    return Coverage(phases=phases, rows=rows, gaps=gaps, next_topics=thin, standards=standards)


def _standards(enrolment: Enrolment, evidence_ids: set[int], log_ids: set[int]) -> list[StandardCount]:
    """Each standard of the frameworks in use, with the readable evidence and agreed sessions tagged to it."""
    evidence: dict[int, int] = defaultdict(int)
    for record_id, standard_id in Evidence.standards.through.objects.filter(evidence__enrolment=enrolment).values_list(
        "evidence_id", "standard_id"
    ):
        if record_id in evidence_ids:
            evidence[standard_id] += 1
    logs: dict[int, int] = defaultdict(int)
    for log_id, standard_id in DialogueLog.standards.through.objects.filter(
        dialoguelog__enrolment=enrolment
    ).values_list("dialoguelog_id", "standard_id"):
        if log_id in log_ids:
            logs[standard_id] += 1
    return [
        StandardCount(standard=s, evidence=evidence[s.pk], logs=logs[s.pk])
        for s in Standard.objects.filter(framework__is_active=True).select_related("framework")
    ]
