"""Reads for resubmission: whether referred work may be resubmitted (and until when), and what
changed between the referred attempt and the resubmission, snapshot to snapshot. Each in a fixed
number of queries however many records the two hold."""

import datetime
import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from assessment.models import Marking, Submission, SubmissionItem
from assessment.rules.deadlines import Window, resubmission_due_on, resubmission_window
from assessment.rules.marks import Outcome
from assessment.selectors.marking import plain, result_of

# --- May this work be resubmitted?


@dataclass(frozen=True)
class Offer:
    """A released referral of a first attempt: until when it may be resubmitted, whether that is
    still open, and the resubmission's latest attempt once started."""

    referred: Submission
    referral: Marking
    due_on: datetime.date
    window: Window
    resubmission: Submission | None

    @property
    def may_start(self) -> bool:
        return self.resubmission is None and self.window == Window.OPEN


def released_on(marking: Marking) -> datetime.date:
    return timezone.localdate(marking.released_at)


def offer_for(submission: Submission, *, today: datetime.date) -> Offer | None:
    """The resubmission open to `submission`'s participant, or None: only submitted work that is not
    itself a resubmission, whose result is released with the outcome refer."""
    if submission.state != Submission.State.SUBMITTED or submission.is_resubmission:
        return None
    referral = result_of(submission)
    if referral is None or not referral.is_released or referral.outcome != Outcome.REFER:
        return None
    due = resubmission_due_on(released_on=released_on(referral), weeks=submission.task.resubmission_weeks)
    latest = Submission.objects.filter(resubmission_of=submission).order_by("-attempt").first()
    return Offer(
        referred=submission,
        referral=referral,
        due_on=due,
        window=resubmission_window(due_on=due, on=today),
        resubmission=latest,
    )


def first_attempt(submission: Submission) -> Submission | None:
    """The referred work a resubmission answers."""
    if submission.resubmission_of_id is None:
        return None
    return Submission.objects.select_related("task").filter(pk=submission.resubmission_of_id).first()


# --- What changed between two snapshots.


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert", "delete"
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the commentary: unchanged, added, removed, or changed (word by word)."""

    kind: str  # "equal", "insert", "delete", "replace"
    segments: list[Segment]


_WORDS = re.compile(r"\S+\s*")


def _words_diff(old: str, new: str) -> list[Segment]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


def _paragraphs(html: str) -> list[str]:
    return [" ".join(p.split()) for p in plain(html).split("\n") if p.strip()]


def commentary_diff(old_html: str, new_html: str) -> list[Paragraph]:
    """The commentary compared paragraph by paragraph (difflib), and within a paragraph that was
    rewritten, word by word."""
    old, new = _paragraphs(old_html), _paragraphs(new_html)
    found: list[Paragraph] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            found += [Paragraph("equal", [Segment("equal", text)]) for text in old[i1:i2]]
        elif op == "replace" and i2 - i1 == j2 - j1:
            found += [Paragraph("replace", _words_diff(a, b)) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            found += [Paragraph("delete", [Segment("delete", text)]) for text in old[i1:i2]]
            found += [Paragraph("insert", [Segment("insert", text)]) for text in new[j1:j2]]
    return found


def item_key(item: SubmissionItem) -> tuple:
    """What makes two items the same record: its kind and source (a deleted source: its title)."""
    source = item.evidence_id or item.reflection_id or item.enquiry_id or item.log_id
    return (item.kind, source or f"title:{item.title}", item.section)


def _same(a: SubmissionItem, b: SubmissionItem) -> bool:
    keep = ("files",)  # a file is compared by its SHA-256, below
    meta_a = {k: v for k, v in a.meta.items() if k not in keep}
    meta_b = {k: v for k, v in b.meta.items() if k not in keep}
    hashes_a = [f.get("sha256") for f in a.meta.get("files", [])]
    hashes_b = [f.get("sha256") for f in b.meta.get("files", [])]
    return (a.title, a.body, meta_a, hashes_a) == (b.title, b.body, meta_b, hashes_b)


@dataclass
class Changes:
    earlier: Submission
    later: Submission
    commentary: list[Paragraph]
    added: list[SubmissionItem] = field(default_factory=list)
    removed: list[SubmissionItem] = field(default_factory=list)
    changed: list[tuple[SubmissionItem, SubmissionItem, list[Paragraph]]] = field(default_factory=list)
    unchanged: list[SubmissionItem] = field(default_factory=list)

    @property
    def commentary_changed(self) -> bool:
        return any(p.kind != "equal" for p in self.commentary)

    @property
    def words_difference(self) -> int:
        return self.later.word_count - self.earlier.word_count


def _with_items(pk: int) -> Submission | None:
    items = SubmissionItem.objects.order_by("sort_order", "pk")
    return (
        Submission.objects.select_related("task__phase", "enrolment__participant")
        .prefetch_related(Prefetch("items", queryset=items))
        .filter(pk=pk)
        .first()
    )


def resubmission_detail(pk: int) -> tuple[Submission, Submission] | None:
    """A frozen resubmission and the referred work it answers, each with its items (four queries)."""
    later = _with_items(pk)
    if later is None or later.resubmission_of_id is None or not later.is_frozen:
        return None
    earlier = _with_items(later.resubmission_of_id)
    return (earlier, later) if earlier is not None else None


def changes_between(earlier: Submission, later: Submission) -> Changes:
    """What changed from the earlier snapshot to the later one: the commentary, and each record
    added, removed, changed (with its text compared) or left as it was."""
    before = {item_key(item): item for item in earlier.items.all()}
    after = {item_key(item): item for item in later.items.all()}
    changes = Changes(earlier=earlier, later=later, commentary=commentary_diff(earlier.commentary, later.commentary))
    for key, item in after.items():
        old = before.get(key)
        if old is None:
            changes.added.append(item)
        elif _same(old, item):
            changes.unchanged.append(item)
        else:
            changes.changed.append((old, item, commentary_diff(old.body, item.body)))
    changes.removed = [item for key, item in before.items() if key not in after]
    return changes
