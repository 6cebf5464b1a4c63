"""The one rule that draws a sample from a task's marked submissions: for second marking, and for
the external examiner's pack (each asks here with its own `seed`).

A task says how (`AssessmentTask.second_marking` and the settings beside it):

- **every submission** (`all`): all are chosen;
- **a sample** (`sample`): a count worked out from the number marked, n: `sample_percent` of n
  rounded up, or the square root of n rounded up when `sample_sqrt` is ticked; never fewer than
  `sample_min` nor more than `sample_max` (when set), and never more than n. On top of that count,
  every fail, every borderline mark (`borderline_from` to `borderline_to`, inclusive) and every
  distinction are chosen, each as the task ticks it;
- **by hand** (`by_hand`): nothing is drawn; the programme leader chooses.

The sample is drawn per first marker and per band: the marks' (marker, band) groups take turns,
first a marker not yet in the sample, then a band not yet in it, then the marker and the group with
the smallest share drawn so far, so each marker and each band is in the sample where the count
allows and the rest falls in proportion (cases already chosen as fails, borderline marks or
distinctions count towards that). Within
a group the order is fixed by a hash of the seed and the submission's id, never a random number:
the same marks always give the same sample, and a new seed gives an independent one.

The answer says which submissions are chosen and every reason each one is (`Reason`)."""

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.db import models

from assessment.rules.marks import Outcome, band_for


class Method(models.TextChoices):
    # The same values as AssessmentTask.SecondMarking; kept here so this rule needs no model.
    ALL = "all", "Every submission"
    SAMPLE = "sample", "A sample"
    BY_HAND = "by_hand", "Chosen by hand"


class Reason(models.TextChoices):
    ALL = "all", "Every submission is chosen"
    SAMPLE = "sample", "Drawn in the sample"
    FAIL = "fail", "A fail"
    BORDERLINE = "borderline", "A borderline mark"
    DISTINCTION = "distinction", "A distinction"
    BY_HAND = "by_hand", "Added by hand"


class _Band(Protocol):
    name: str
    min_mark: int
    is_pass: bool


@dataclass(frozen=True)
class Rule:
    """How a task draws its sample (`Rule.for_task(task)` reads it from an AssessmentTask)."""

    method: str = Method.SAMPLE
    percent: int = 10
    minimum: int = 1
    maximum: int | None = None
    sqrt: bool = False
    include_fails: bool = True
    include_borderline: bool = True
    include_distinctions: bool = True
    borderline_from: int = 45
    borderline_to: int = 49

    @classmethod
    def for_task(cls, task) -> "Rule":
        return cls(
            method=task.second_marking,
            percent=task.sample_percent,
            minimum=task.sample_min,
            maximum=task.sample_max,
            sqrt=task.sample_sqrt,
            include_fails=task.include_fails,
            include_borderline=task.include_borderline,
            include_distinctions=task.include_distinctions,
            borderline_from=task.borderline_from,
            borderline_to=task.borderline_to,
        )


@dataclass(frozen=True)
class Candidate:
    """A marked submission as the rule sees it: who first marked it, its mark and outcome."""

    submission_id: int
    marker_id: int
    mark: int | None
    outcome: str = ""


@dataclass(frozen=True)
class Sample:
    """The submissions chosen, in the order the rule chose them, each with its reasons."""

    chosen: dict[int, tuple[Reason, ...]]
    size: int  # the count the sample itself aimed at (before fails, borderline marks, distinctions)
    considered: int  # how many marked submissions the rule looked at
    bands: dict[int, str] = field(default_factory=dict)  # submission id -> band name, for the page

    def __contains__(self, submission_id: int) -> bool:
        return submission_id in self.chosen

    def reasons(self, submission_id: int) -> tuple[Reason, ...]:
        return self.chosen.get(submission_id, ())


def sample_size(considered: int, rule: Rule) -> int:
    """How many the sample itself draws from `considered` marked submissions."""
    if considered <= 0 or rule.method == Method.BY_HAND:
        return 0
    if rule.method == Method.ALL:
        return considered
    wanted = math.ceil(math.sqrt(considered)) if rule.sqrt else math.ceil(considered * rule.percent / 100)
    wanted = max(wanted, rule.minimum)
    if rule.maximum is not None:
        wanted = min(wanted, rule.maximum)
    return max(0, min(wanted, considered))


def _order_key(seed: str, submission_id: int) -> str:
    return hashlib.sha256(f"{seed}:{submission_id}".encode()).hexdigest()


def _top_band(bands: Sequence[_Band]) -> _Band | None:
    """The distinction band: the highest band, if it is a pass and not the only band."""
    if len(bands) < 2:
        return None
    top = max(bands, key=lambda band: band.min_mark)
    return top if top.is_pass else None


def is_borderline(mark: int | None, rule: Rule) -> bool:
    return mark is not None and rule.borderline_from <= mark <= rule.borderline_to


def draw_sample(candidates: Iterable[Candidate], *, rule: Rule, bands: Sequence[_Band], seed: str) -> Sample:
    """Choose from `candidates` (a task's marked submissions) by `rule`; `bands` are the rubric's
    grade bands (a fail is a mark in a band that is not a pass, or a refer or fail outcome; a
    distinction is a mark in the highest band). `seed` fixes the order (e.g. "second:<task id>")."""
    candidates = sorted(candidates, key=lambda c: c.submission_id)
    considered = len(candidates)
    band_of: dict[int, str] = {}
    top = _top_band(bands)
    chosen: dict[int, list[Reason]] = {}

    def choose(candidate: Candidate, reason: Reason) -> None:
        chosen.setdefault(candidate.submission_id, []).append(reason)

    for candidate in candidates:
        band = band_for(candidate.mark, bands) if candidate.mark is not None else None
        band_of[candidate.submission_id] = band.name if band is not None else ""
        if rule.method == Method.ALL:
            choose(candidate, Reason.ALL)
        if rule.method != Method.SAMPLE:
            continue
        failed = candidate.outcome in (Outcome.REFER, Outcome.FAIL) or (band is not None and not band.is_pass)
        if rule.include_fails and failed:
            choose(candidate, Reason.FAIL)
        if rule.include_borderline and is_borderline(candidate.mark, rule):
            choose(candidate, Reason.BORDERLINE)
        if rule.include_distinctions and top is not None and band is top:
            choose(candidate, Reason.DISTINCTION)

    size = sample_size(considered, rule)
    if rule.method == Method.SAMPLE and size:
        _draw_by_groups(candidates, chosen, band_of, size=size, seed=seed)

    return Sample(
        chosen={sid: tuple(reasons) for sid, reasons in chosen.items()},
        size=size,
        considered=considered,
        bands=band_of,
    )


def _draw_by_groups(
    candidates: list[Candidate], chosen: dict[int, list[Reason]], band_of: dict[int, str], *, size: int, seed: str
) -> None:
    """Add `size` candidates not yet chosen, with Reason.SAMPLE, taking turns between the
    (first marker, band) groups so that each marker, then each band, is represented where possible."""
    groups: dict[tuple[int, str], list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault((candidate.marker_id, band_of[candidate.submission_id]), []).append(candidate)
    for members in groups.values():
        members.sort(key=lambda c: _order_key(seed, c.submission_id))
    marker_total = Counter(candidate.marker_id for candidate in candidates)
    by_marker: Counter[int] = Counter()
    by_band: Counter[str] = Counter()
    by_group: Counter[tuple[int, str]] = Counter()
    for candidate in candidates:
        if candidate.submission_id in chosen:
            key = (candidate.marker_id, band_of[candidate.submission_id])
            by_marker[key[0]] += 1
            by_band[key[1]] += 1
            by_group[key] += 1
    waiting = {key: [c for c in members if c.submission_id not in chosen] for key, members in groups.items()}

    def turn(key: tuple[int, str]) -> tuple:
        marker, band = key
        return (
            by_marker[marker] > 0,  # a marker not yet in the sample first
            by_band[band] > 0,  # then a band not yet in it
            by_marker[marker] / marker_total[marker],  # then the marker with the smallest share drawn
            by_group[key] / len(groups[key]),  # then the group with the smallest share drawn
            _order_key(seed, groups[key][0].submission_id),  # then a fixed, seeded order
        )

    for _ in range(size):
        open_groups = [key for key, members in waiting.items() if members]
        if not open_groups:
            return
        key = min(open_groups, key=turn)
        candidate = waiting[key].pop(0)
        chosen[candidate.submission_id] = [Reason.SAMPLE]
        by_marker[key[0]] += 1
        by_band[key[1]] += 1
        by_group[key] += 1
