"""What makes a rubric sound: named bands that place every mark from 0 to 100 in exactly one band,
passes above fails, and at least one criterion with a descriptor for every band."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from ui.errors import RuleError
from ui.limits import NOTE_MAX, SHORT_TEXT_MAX


@dataclass(frozen=True)
class BandContent:
    name: str
    min_mark: int
    is_pass: bool


@dataclass(frozen=True)
class CriterionContent:
    title: str
    guidance: str = ""
    weight: int = 1
    descriptors: dict[str, str] = field(default_factory=dict)  # band name -> what work in that band shows


@dataclass(frozen=True)
class RubricContent:
    name: str
    bands: Sequence[BandContent]
    criteria: Sequence[CriterionContent]


def _error(message: str, field: str, rule: str) -> RuleError:
    return RuleError(message, rule=rule, field=field)


def _criteria_error(message: str) -> RuleError:
    return RuleError(message, rule="rubric_criteria", field="criteria")


def check_bands(bands: Sequence[BandContent]) -> list[RuleError]:
    if not bands:
        return [_error("Add at least one grade band.", "bands", "rubric_bands")]
    broken = []
    names = [band.name.strip().lower() for band in bands]
    if any(not name for name in names):
        broken.append(_error("Give every grade band a name.", "bands", "rubric_bands"))
    if len(set(names)) != len(names):
        broken.append(_error("Give each grade band a different name.", "bands", "rubric_bands"))
    marks = [band.min_mark for band in bands]
    if any(mark is None or not 0 <= mark <= 100 for mark in marks):
        broken.append(_error("A band's lowest mark must be from 0 to 100.", "bands", "rubric_bands"))
        return broken
    if len(set(marks)) != len(marks):
        broken.append(_error("Give each grade band a different lowest mark.", "bands", "rubric_bands"))
    if 0 not in marks:
        broken.append(_error("One band must start at 0, so that every mark falls in a band.", "bands", "rubric_bands"))
    passes = [band.min_mark for band in bands if band.is_pass]
    fails = [band.min_mark for band in bands if not band.is_pass]
    if not passes:
        broken.append(_error("At least one band must be a pass.", "bands", "rubric_bands"))
    elif fails and min(passes) < max(fails):
        broken.append(_error("Every passing band must start above every failing band.", "bands", "rubric_bands"))
    return broken


def check_criteria(criteria: Sequence[CriterionContent], bands: Sequence[BandContent]) -> list[RuleError]:
    if not criteria:
        return [_criteria_error("Add at least one criterion.")]
    broken = []
    band_names = {band.name.strip() for band in bands}
    for number, criterion in enumerate(criteria, start=1):
        label = criterion.title.strip() or f"Criterion {number}"
        if not criterion.title.strip():
            broken.append(_criteria_error(f"Give criterion {number} a title."))
        elif len(criterion.title) > 200:
            broken.append(_criteria_error(f"Keep the title of {label} to 200 characters."))
        if len(criterion.guidance or "") > NOTE_MAX:
            broken.append(_criteria_error(f"Keep the guidance of {label} to {NOTE_MAX:,} characters."))
        if criterion.weight is None or criterion.weight < 1:
            broken.append(_criteria_error(f"Give {label} a weight of 1 or more."))
        written = {name.strip(): text for name, text in criterion.descriptors.items() if (text or "").strip()}
        missing = [name for name in band_names if name and name not in written]
        if missing:
            broken.append(
                _error(
                    f"Describe work at each band for {label}. Missing: {', '.join(sorted(missing))}.",
                    "criteria",
                    "rubric_criteria",
                )
            )
        if any(len(text) > SHORT_TEXT_MAX for text in written.values()):
            broken.append(_criteria_error(f"Keep each descriptor of {label} to {SHORT_TEXT_MAX:,} characters."))
    return broken


def check_rubric(content: RubricContent) -> list[RuleError]:
    broken = []
    if not content.name.strip():
        broken.append(_error("Enter the rubric's name.", "name", "rubric_name"))
    elif len(content.name) > 200:
        broken.append(_error("Keep the name to 200 characters or fewer.", "name", "rubric_name"))
    return broken + check_bands(content.bands) + check_criteria(content.criteria, content.bands)
