"""Creating and revising rubrics. A rubric in use (`rubric_in_use`) is never changed in place:
revising it makes the next version, which replaces it for new tasks, while tasks and marked work
keep the version they have."""

from django.db import transaction

from accounts.models import User
from assessment.models import Criterion, Descriptor, GradeBand, Rubric
from assessment.rules.rubrics import BandContent, CriterionContent, RubricContent, check_rubric
from assessment.selectors.rubrics import lineage_ids, rubric_in_use
from audit import trail
from ui.errors import RuleError


def _check(content: RubricContent, *, line: set[int]) -> None:
    broken = check_rubric(content)
    taken = Rubric.objects.filter(name__iexact=content.name.strip()).exclude(pk__in=line)
    if content.name.strip() and taken.exists():
        message = "Another rubric has this name. Choose a different one."
        broken.append(RuleError(message, rule="rubric_name", field="name"))
    if broken:
        raise RuleError.together(broken)


def _fill(rubric: Rubric, content: RubricContent) -> None:
    """Give a saved rubric exactly the bands, criteria and descriptors of `content`."""
    rubric.criteria.all().delete()
    rubric.bands.all().delete()
    bands = {}
    for order, band in enumerate(content.bands):
        bands[band.name.strip()] = GradeBand.objects.create(
            rubric=rubric, name=band.name.strip(), min_mark=band.min_mark, is_pass=band.is_pass, sort_order=order
        )
    for order, item in enumerate(content.criteria):
        criterion = Criterion.objects.create(
            rubric=rubric,
            title=item.title.strip(),
            guidance=(item.guidance or "").strip(),
            weight=item.weight,
            sort_order=order,
        )
        Descriptor.objects.bulk_create(
            Descriptor(criterion=criterion, band=bands[name.strip()], text=text.strip(), sort_order=position)
            for position, (name, text) in enumerate(item.descriptors.items())
            if name.strip() in bands and (text or "").strip()
        )


@transaction.atomic
def rubric_create(*, content: RubricContent, by: User | None) -> Rubric:
    _check(content, line=set())
    rubric = Rubric.objects.create(name=content.name.strip(), version=1)
    _fill(rubric, content)
    trail.record(trail.Action.RUBRIC_CREATE, record=rubric, actor=by, detail={"version": 1})
    return rubric


@transaction.atomic
def rubric_revise(*, rubric: Rubric, content: RubricContent, by: User | None) -> Rubric:
    """Change a rubric: in place while nothing uses it, otherwise as version + 1 (returned).
    Only the latest version may be revised, so the versions stay one line."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    newer = Rubric.objects.filter(previous=rubric).first()
    if newer is not None:
        raise RuleError(
            f"This is an old version of the rubric; version {newer.version} replaced it. Make your changes to "
            "the latest version.",
            rule="rubric_superseded",
        )
    _check(content, line=lineage_ids(rubric))
    if not rubric_in_use(rubric):
        rubric.name = content.name.strip()
        rubric.save(update_fields=["name"])
        _fill(rubric, content)
        trail.record(trail.Action.RUBRIC_CHANGE, record=rubric, actor=by, detail={"version": rubric.version})
        return rubric
    revised = Rubric.objects.create(name=content.name.strip(), version=rubric.version + 1, previous=rubric)
    _fill(revised, content)
    trail.record(
        trail.Action.RUBRIC_REVISE, record=revised, actor=by, detail={"version": revised.version, "replaces": rubric.pk}
    )
    return revised


def content_of(rubric: Rubric) -> RubricContent:
    """A saved rubric as content, to revise from (the seed, the CMS and the tests start here)."""
    bands = list(rubric.bands.all())
    criteria = rubric.criteria.prefetch_related("descriptors__band")
    return RubricContent(
        name=rubric.name,
        bands=[BandContent(name=b.name, min_mark=b.min_mark, is_pass=b.is_pass) for b in bands],
        criteria=[
            CriterionContent(
                title=c.title,
                guidance=c.guidance,
                weight=c.weight,
                descriptors={d.band.name: d.text for d in c.descriptors.all()},
            )
            for c in criteria
        ],
    )
