"""Reads about rubrics: whether one is in use, and its versions."""

from assessment.models import Marking, Rubric, Submission


def rubric_in_use(rubric: Rubric) -> bool:
    """The one place that says a rubric is in use, and so is never changed in place: work has been
    submitted to a task set with it, or a marking has been made against it (a marking pins the
    rubric version it started with)."""
    return Submission.objects.filter(task__rubric=rubric).exists() or Marking.objects.filter(rubric=rubric).exists()


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
