"""Reads for marking: the records a tutor may cite on one submission, the marking workspace, the
tutor's queue, and a released result as its participant sees it. Each in a fixed number of queries
however many logs, evidence, submissions or citations there are."""

import html
from dataclasses import dataclass, field

import nh3
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from assessment.models import Citation, CommentBankEntry, CriterionMark, Marking, Submission, SubmissionItem
from coaching import richtext
from coaching.models import ActionStep, AgreementStatus, DialogueLog, DialogueLogVersion
from portfolio.models import Enquiry
from programme import access
from programme.access import Action, RecordKind
from programme.models import ContentArea


def plain(text: str) -> str:
    """Rich text as plain text: what a citation keeps of what it cites."""
    cleaned = nh3.clean((text or "").replace("</p>", "</p>\n").replace("<br>", "\n"), tags=set())
    return html.unescape(cleaned).strip()


@dataclass(frozen=True)
class Citable:
    """A record the marker may cite: `key` is what the form posts, `text` what the citation keeps."""

    key: str
    kind: str  # Citation.Kind
    label: str
    text: str
    areas: frozenset[str] = frozenset()  # content area labels, for the filter
    source: object = None  # the version, step, item or enquiry
    section: str = ""


def _log_text(version: DialogueLogVersion) -> str:
    parts = []
    for name in (*DialogueLogVersion.RECORD_FIELDS, "participant_reflection"):
        value = plain(getattr(version, name))
        if value:
            heading = str(DialogueLogVersion._meta.get_field(name).verbose_name)
            parts.append(f"{heading[:1].upper()}{heading[1:]}: {value}")
    return "\n\n".join(parts)


def citable(user, submission: Submission) -> list[Citable]:
    """Everything on this submission the person may cite: the frozen items, the participant's
    agreed dialogue logs (each at its latest agreed version) and their action steps, and the written
    sections of their enquiries, each only if the access policy lets the person read it in full.
    The one list the workspace offers and the service checks a posted citation against."""
    enrolment_id = submission.enrolment_id
    found: list[Citable] = []
    for item in submission.items.all():
        found.append(
            Citable(
                key=f"item:{item.pk}",
                kind=Citation.Kind.ITEM,
                label=f"{item.get_kind_display()}: {item.title}",
                text=plain(item.body),
                areas=frozenset(item.meta.get("content_areas", [])),
                source=item,
            )
        )
    logs = (
        DialogueLog.objects.filter(enrolment_id=enrolment_id, status=AgreementStatus.AGREED)
        .prefetch_related("content_areas")
        .order_by("-session_on", "-pk")
    )
    readable_logs = {log.pk: log for log, actions in access.judge(user, logs) if Action.VIEW in actions}
    versions = DialogueLogVersion.objects.filter(log_id__in=list(readable_logs), number=F("log__agreed_version"))
    for version in sorted(versions, key=lambda v: (readable_logs[v.log_id].session_on, v.log_id), reverse=True):
        log = readable_logs[version.log_id]
        found.append(
            Citable(
                key=f"log:{version.pk}",
                kind=Citation.Kind.LOG,
                label=f"{log} (version {version.number})",
                text=_log_text(version),
                areas=frozenset(str(area) for area in log.content_areas.all()),
                source=version,
            )
        )
    steps = ActionStep.objects.filter(log_id__in=list(readable_logs)).select_related("log").order_by("due_on", "pk")
    for step, actions in access.judge(user, steps):
        if Action.VIEW in actions:
            log = readable_logs[step.log_id]
            found.append(
                Citable(
                    key=f"step:{step.pk}",
                    kind=Citation.Kind.ACTION_STEP,
                    label=f"Action step from {log}: {step.description[:80]}",
                    text=step.description,
                    areas=frozenset(str(area) for area in log.content_areas.all()),
                    source=step,
                )
            )
    enquiries = Enquiry.objects.filter(enrolment_id=enrolment_id).prefetch_related("content_areas")
    for enquiry, actions in access.judge(user, enquiries):
        if Action.VIEW not in actions:
            continue
        for name, heading, _ in Enquiry.SECTIONS:
            if richtext.is_blank(getattr(enquiry, name)):
                continue
            found.append(
                Citable(
                    key=f"section:{enquiry.pk}:{name}",
                    kind=Citation.Kind.ENQUIRY_SECTION,
                    label=f"{enquiry.title}: {heading}",
                    text=plain(getattr(enquiry, name)),
                    areas=frozenset(str(area) for area in enquiry.content_areas.all()),
                    source=enquiry,
                    section=name,
                )
            )
    return found


# --- The workspace.


def _criterion_marks() -> Prefetch:
    return Prefetch(
        "criterion_marks",
        queryset=CriterionMark.objects.select_related("criterion", "band")
        .prefetch_related("citations")
        .order_by("criterion__sort_order", "criterion__pk"),
    )


def marking_for(submission: Submission, role: str = Marking.Role.FIRST) -> Marking | None:
    """The marking of `role` on the submission. For the first marker's workspace, the agreed result
    once moderation has agreed or decided one: that is the result the participant sees, so it is the
    one amended after release (the first marks it replaced stay as they were)."""
    roles = [Marking.Role.FIRST, Marking.Role.AGREED] if role == Marking.Role.FIRST else [role]
    found = {
        m.role: m
        for m in Marking.objects.filter(submission=submission, role__in=roles)
        .select_related("rubric", "marker", "submission__task")
        .prefetch_related(_criterion_marks(), "rubric__bands")
    }
    return found.get(Marking.Role.AGREED) or found.get(role)


def submission_for_marking(pk: int) -> Submission | None:
    items = SubmissionItem.objects.order_by("sort_order", "pk").prefetch_related("files")
    return (
        Submission.objects.filter(pk=pk, state=Submission.State.SUBMITTED)
        .select_related("task__rubric", "task__phase", "enrolment__participant")
        .prefetch_related(Prefetch("items", queryset=items), "task__content_areas")
        .first()
    )


@dataclass
class CriterionRow:
    """One criterion of the rubric the work is marked against, with its mark if there is one."""

    criterion: object
    mark: CriterionMark | None
    descriptors: list = field(default_factory=list)

    @property
    def cited_keys(self) -> set[str]:
        return {citation.key for citation in self.mark.citations.all()} if self.mark else set()


@dataclass
class Workspace:
    submission: Submission
    marking: Marking | None
    criteria: list[CriterionRow]
    citables: list[Citable]
    areas: list[ContentArea]
    comments: list[CommentBankEntry]
    statement: object = None  # the coach's supporting statement, when there is one

    def shown(self, *, area: str | None) -> list[Citable]:
        return [c for c in self.citables if area is None or area in c.areas]


def _rubric_rows(rubric, marking: Marking | None) -> list[CriterionRow]:
    marks = {m.criterion_id: m for m in marking.criterion_marks.all()} if marking else {}
    criteria = rubric.criteria.order_by("sort_order", "pk").prefetch_related("descriptors__band")
    return [
        CriterionRow(criterion, marks.get(criterion.pk), list(criterion.descriptors.all())) for criterion in criteria
    ]


def supporting_statement(submission: Submission):
    """The coach's supporting statement with its citations (assessment.selectors.statements), or
    None. The tutor who may assess the work reads it (SUPPORTING_STATEMENT in the access policy)."""
    from assessment.selectors.statements import statement_for

    return statement_for(submission)


def workspace(user, submission: Submission, role: str = Marking.Role.FIRST) -> Workspace:
    """The workspace of the marker doing `role`'s marking: only that marking is read, so a second
    marker on a blind task is shown nothing of the first marks (assessment.selectors.moderation)."""
    marking = marking_for(submission, role)
    rubric = marking.rubric if marking else submission.task.rubric
    return Workspace(
        submission=submission,
        marking=marking,
        criteria=_rubric_rows(rubric, marking),
        citables=citable(user, submission),
        areas=list(ContentArea.objects.order_by("number")),
        comments=list(CommentBankEntry.objects.filter(tutor=user).order_by("title")),
    )


# --- The tutor's queue.


def queue(user) -> QuerySet[Submission]:
    """Submitted work of the participants this person assesses, oldest submitted first (marked in
    turn), each with its first marking's state. Take a page of it (ui.pagination.page_of)."""
    readable = access.readable_where(user, RecordKind.SUBMISSION, enrolment="enrolment", on="dated_on")
    first = Marking.objects.filter(submission=OuterRef("pk"), role=Marking.Role.FIRST)
    return (
        Submission.objects.filter(
            state=Submission.State.SUBMITTED, enrolment__in=access.enrolments_for(user, access.Relation.TUTOR)
        )
        .filter(readable)
        .select_related("task", "enrolment__participant")
        # By pk, not Marking's default order, which sorts through the submission's own order and so
        # joins its task, cohort, phase and participant: planning that took longer than running it.
        .annotate(marking_state=Subquery(first.order_by("pk").values("state")[:1]))
        .order_by("submitted_at", "pk")
    )


# --- A result as the participant (or coach, head, leader) sees it.


def result_of(submission: Submission) -> Marking | None:
    """The marks that decide a submission's result: the agreed marks after moderation, otherwise
    the first marker's."""
    markings = (
        Marking.objects.filter(submission=submission, role__in=[Marking.Role.AGREED, Marking.Role.FIRST])
        .select_related("rubric", "submission__task", "submission__enrolment__participant")
        .prefetch_related(_criterion_marks())
    )
    found = {m.role: m for m in markings}
    return found.get(Marking.Role.AGREED) or found.get(Marking.Role.FIRST)


def released_results() -> QuerySet[Marking]:
    """Every released result as its participant sees it (`result_of` for many): the agreed marks
    where moderation agreed or decided a mark, otherwise the first marker's. The first marks that
    an agreed result replaced are left out, so their outcome counts for nothing."""
    agreed = Marking.objects.filter(submission=OuterRef("submission"), role=Marking.Role.AGREED)
    return Marking.objects.filter(state="released", role__in=[Marking.Role.AGREED, Marking.Role.FIRST]).exclude(
        Q(role=Marking.Role.FIRST) & Q(Exists(agreed))
    )


def changes(marking: Marking):
    return marking.changes.select_related("changed_by", "criterion").order_by("changed_at", "pk")
