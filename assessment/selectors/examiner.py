"""Reads for the external examiner's samples: the examiner's list of samples, a sample's work, one
sampled submission's pack (the frozen work, every marking with its citations, the changes and
moderation notes, the comments), a cited log's version, and the leader's view of a task's sample.
Each in a fixed number of queries however many samples, submissions or citations there are.

Whether the examiner may read a record is the access policy's answer (through
`assessment.registry`'s sample look-ups); these only gather what the pages show."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    Citation,
    CriterionMark,
    ExaminerComment,
    ExaminerCommentRevision,
    ExaminerSample,
    MarkChange,
    Marking,
    SampledSubmission,
    Submission,
    SubmissionItem,
)
from assessment.rules.marks import band_for
from programme import access
from programme.access import Action


def samples_for(examiner) -> QuerySet[ExaminerSample]:
    """The confirmed samples this examiner is named on, newest first, with how much work each holds
    and how many of those they have commented on. Take a page of it (ui.pagination.page_of)."""
    return (
        ExaminerSample.objects.filter(examiners=examiner, state=ExaminerSample.State.CONFIRMED)
        .select_related("task__cohort", "task__phase")
        .annotate(
            size=Count("entries", filter=Q(entries__removed_at__isnull=True), distinct=True),
            commented=Count(
                "comments", filter=Q(comments__author=examiner, comments__submission__isnull=False), distinct=True
            ),
        )
        .order_by("-confirmed_at", "-pk")
    )


def needs_of(examiner) -> list[tuple[str, list]]:
    """What the examiner's home asks of them (coaching.needs_you's "What needs you"): each confirmed
    sample with work they have not yet commented on, and each whose overall report they have not yet
    written, oldest first. Two queries however many samples or pieces of work."""
    from coaching.needs_you import Need

    samples = list(
        samples_for(examiner)
        .annotate(
            reported=Exists(ExaminerComment.objects.filter(sample=OuterRef("pk"), submission=None, author=examiner))
        )
        .order_by("confirmed_at", "pk")
    )
    comments, reports = [], []
    for sample in samples:
        url = reverse("examiner:sample", kwargs={"pk": sample.pk})
        who = f"{sample.task.cohort}, {sample.task.phase}"
        on = timezone.localdate(sample.confirmed_at)
        left = sample.size - sample.commented
        if left > 0:
            pieces = f"{left} piece{'s' if left != 1 else ''} of work"
            comments.append(Need(f"Comment on {pieces} in the sample of {sample.task.title}", who, on, url))
        if not sample.reported:
            reports.append(Need(f"Write your overall report on {sample.task.title}", who, on, f"{url}#report"))
    return [("Sampled work waiting for your comments", comments), ("Overall reports due from you", reports)]


def sample_for_examiner(examiner, pk: int) -> ExaminerSample | None:
    return (
        ExaminerSample.objects.filter(pk=pk, examiners=examiner, state=ExaminerSample.State.CONFIRMED)
        .select_related("task__cohort", "task__phase", "task__rubric")
        .first()
    )


def _markings() -> Prefetch:
    return Prefetch(
        "submission__markings",
        queryset=Marking.objects.select_related("marker").order_by("pk"),
    )


def entries(sample: ExaminerSample, *, author=None) -> QuerySet[SampledSubmission]:
    """The work in the sample (not removed), in the order it was added, each with its submission,
    participant and markings; with `author`, whether they have commented on it (`commented`)."""
    found = (
        sample.entries.filter(removed_at__isnull=True)
        .select_related("submission__enrolment__participant", "submission__task", "added_by")
        .prefetch_related(_markings())
        .order_by("pk")
    )
    if author is not None:
        mine = ExaminerComment.objects.filter(sample=sample, submission=OuterRef("submission_id"), author=author)
        found = found.annotate(commented=Exists(mine))
    return found


@dataclass
class Row:
    """A sampled submission as a list shows it: the marks that count, their band, the first marker."""

    entry: SampledSubmission
    mark: int | None
    band: str
    marker: object
    outcome: str
    state: str


def rows(entries_page, bands) -> list[Row]:
    """Rows for a page of `entries` (their markings already fetched); `bands` the rubric's bands."""
    found = []
    for entry in entries_page:
        markings = {m.role: m for m in entry.submission.markings.all()}
        first = markings.get(Marking.Role.FIRST)
        counted = markings.get(Marking.Role.AGREED) or first
        mark = counted.mark if counted else None
        band = band_for(mark, bands) if mark is not None else None
        found.append(
            Row(
                entry=entry,
                mark=mark,
                band=band.name if band else "",
                marker=first.marker if first else None,
                outcome=counted.get_outcome_display() if counted else "",
                state=first.get_state_display() if first else "",
            )
        )
    return found


# --- One sampled submission's pack.


@dataclass
class Pack:
    sample: ExaminerSample
    submission: Submission
    markings: list[Marking]  # every marking of the work the examiner may read: first, second, third, agreed
    changes: list[MarkChange]
    cited_logs: list[Citation]  # one citation per log version cited, for the links
    comments: list[ExaminerComment]  # every examiner's comment on this work
    own: ExaminerComment | None = None
    moderation: list = field(default_factory=list)  # the moderation record's notes, once moderation exists
    statement: object = None
    revisions: list[ExaminerCommentRevision] = field(default_factory=list)


def _criterion_marks() -> Prefetch:
    return Prefetch(
        "criterion_marks",
        queryset=CriterionMark.objects.select_related("criterion", "band")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.order_by("pk")))
        .order_by("criterion__sort_order", "criterion__pk"),
    )


def sampled_submission(sample: ExaminerSample, submission_id: int) -> Submission | None:
    """The submission, if it is in the sample (not removed), with its frozen items and files."""
    if not sample.entries.filter(submission_id=submission_id, removed_at__isnull=True).exists():
        return None
    items = SubmissionItem.objects.order_by("sort_order", "pk").prefetch_related("files")
    return (
        Submission.objects.filter(pk=submission_id)
        .select_related("task__rubric", "task__phase", "enrolment__participant")
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )


def _moderation_record(user, submission: Submission) -> list:
    """The moderation record's notes this person may read, when the moderation part of the portal
    provides them (assessment.selectors.moderation.moderation_record)."""
    try:
        from assessment.selectors import moderation
    except ImportError:
        return []
    notes = moderation.moderation_record(submission)
    return [note for note, actions in access.judge(user, notes) if Action.VIEW in actions]


def _readable(user, record):
    """The record if this person may read it in full, else None (the coach's supporting statement)."""
    return record if record is not None and access.can(user, Action.VIEW, record) else None


def pack(user, sample: ExaminerSample, submission: Submission) -> Pack:
    markings = list(
        Marking.objects.filter(submission=submission)
        .select_related("marker", "rubric", "submission__task")
        .prefetch_related(_criterion_marks())
        .order_by("pk")
    )
    readable = [m for m, actions in access.judge(user, markings) if Action.VIEW in actions]
    changes = list(
        MarkChange.objects.filter(marking__in=[m.pk for m in readable])
        .select_related("changed_by", "criterion", "marking")
        .order_by("changed_at", "pk")
    )
    seen: set[int] = set()
    cited_logs = []
    for marking in readable:
        for row in marking.criterion_marks.all():
            for citation in row.citations.all():
                if citation.kind == Citation.Kind.LOG and citation.log_version_id not in seen:
                    seen.add(citation.log_version_id)
                    cited_logs.append(citation)
    comments = list(
        ExaminerComment.objects.filter(sample=sample, submission=submission)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    own = next((c for c in comments if c.author_id == user.pk), None)
    from assessment.selectors.marking import supporting_statement

    return Pack(
        sample=sample,
        submission=submission,
        markings=readable,
        changes=changes,
        cited_logs=cited_logs,
        comments=comments,
        own=own,
        moderation=_moderation_record(user, submission),
        statement=_readable(user, supporting_statement(submission)),
        revisions=list(own.revisions.select_related("saved_by").order_by("number")) if own else [],
    )


def cited_version(sample: ExaminerSample, version_id: int):
    """A dialogue log's version cited in the marks of work in this sample, with the citations that
    cite it there; None if it is not cited in this sample."""
    from coaching.models import DialogueLogVersion

    in_sample = sample.entries.filter(removed_at__isnull=True).values("submission_id")
    citations = list(
        Citation.objects.filter(log_version_id=version_id, criterion_mark__marking__submission_id__in=in_sample)
        .select_related("criterion_mark__criterion", "criterion_mark__marking__submission")
        .order_by("pk")
    )
    if not citations:
        return None, []
    version = DialogueLogVersion.objects.select_related("log__enrolment__participant").get(pk=version_id)
    return version, citations


def report(sample: ExaminerSample, author) -> ExaminerComment | None:
    return ExaminerComment.objects.filter(sample=sample, submission__isnull=True, author=author).first()


# --- The leader's view of a task's sample, and the comments the markers read.


def sample_of_task(task) -> ExaminerSample | None:
    return (
        ExaminerSample.objects.filter(task=task)
        .select_related("drawn_by", "confirmed_by", "task__rubric")
        .prefetch_related("examiners")
        .first()
    )


def removed(sample: ExaminerSample) -> QuerySet[SampledSubmission]:
    return (
        sample.entries.filter(removed_at__isnull=False)
        .select_related("submission__enrolment__participant", "removed_by")
        .order_by("removed_at", "pk")
    )


def marker_ids(sample: ExaminerSample) -> set[int]:
    """Everyone who marked work of the sample's task (any role): they read the overall report."""
    return set(Marking.objects.filter(submission__task_id=sample.task_id).values_list("marker_id", flat=True))


def comments_for(user, sample: ExaminerSample) -> list[ExaminerComment]:
    """The examiners' comments on the sample's work that this person may read (the leader every
    one; a tutor those on their participants' work), with their submissions."""
    found = (
        ExaminerComment.objects.filter(sample=sample, submission__isnull=False)
        .select_related("author", "submission__enrolment__participant")
        .order_by("submission_id", "pk")
    )
    return [c for c, actions in access.judge(user, found) if Action.VIEW in actions]


def reports(sample: ExaminerSample) -> list[ExaminerComment]:
    return list(
        ExaminerComment.objects.filter(sample=sample, submission__isnull=True).select_related("author").order_by("pk")
    )


def samples_commented_for(user) -> QuerySet[ExaminerSample]:
    """Confirmed samples of tasks whose work this person marked: where a marker reads the comments."""
    marked = Marking.objects.filter(marker=user, submission__task=OuterRef("task_id"))
    return (
        ExaminerSample.objects.filter(state=ExaminerSample.State.CONFIRMED)
        .filter(Exists(marked))
        .select_related("task__cohort", "task__phase")
        .order_by("-confirmed_at", "-pk")
    )
