"""Reads about rubrics: whether one is in use, and its versions."""

from django.apps import apps

from assessment.models import Rubric


def _model(name: str):
    """A model the later parts of the assessment app add (submissions, marking): None until it exists."""
    try:
        return apps.get_model("assessment", name)
    except LookupError:
        return None


def rubric_in_use(rubric: Rubric) -> bool:
    """The one place that says a rubric is in use, and so is never changed in place: a task set with
    it has submissions, or a marking has been made against it. The marking part adds its models here."""
    submission = _model("Submission")
    if submission is not None and submission.objects.filter(task__rubric=rubric).exists():
        return True
    criterion_mark = _model("CriterionMark")
    return criterion_mark is not None and criterion_mark.objects.filter(criterion__rubric=rubric).exists()


def latest_version(rubric: Rubric) -> Rubric:
    """The newest version in the line `rubric` belongs to."""
    while (newer := Rubric.objects.filter(previous=rubric).first()) is not None:
        rubric = newer
    return rubric


def current_rubrics():
    """The rubrics a new task may use: the latest version of each."""
    return Rubric.objects.filter(revisions__isnull=True)


def lineage_ids(rubric: Rubric) -> set[int]:
    """Every version in `rubric`'s line, older and newer."""
    ids = {rubric.pk}
    older = rubric
    while older.previous_id is not None:
        ids.add(older.previous_id)
        older = Rubric.objects.only("previous_id").get(pk=older.previous_id)
    newer = latest_version(rubric)
    while newer.pk not in ids:
        ids.add(newer.pk)
        newer = newer.previous
    return ids
