"""The demo coach's supporting statement on the demo participant's submitted work, written through
the statement service as the coach would write it (citing their agreed sessions), before the demo
tutor starts marking it (assessment.demo_marking). Safe to run again: a statement already written,
or work whose marking has begun, is left alone."""

import datetime

from assessment.models import Marking, Submission, SupportingStatement
from assessment.selectors.statements import citable_logs
from assessment.services.statements import StatementContent, statement_save
from programme.demo import participant_email
from programme.models import CoachAssignment

PRACTICE = (
    "Over the year I watched questioning change from a quick exchange with a few volunteers to a routine "
    "the whole class expects: a question, a deliberate pause, then answers from everyone on mini-whiteboards.\n\n"
    "After our second session the pause moved from one Year 9 class into every lesson on the timetable, and "
    "the follow-up questions began to build on what pupils had written rather than on the first hand up."
)
OUTCOMES = (
    "Pupils who rarely spoke now answer in full. In the lessons I observed, most of the class offered an "
    "answer by the end of the term where a handful had at the start, and the exit tickets showed who still "
    "needed help the same day, so misconceptions were picked up before the next lesson."
)


def seed_statement(*, today: datetime.date) -> SupportingStatement | None:
    """The statement; None when there is no submitted work, no coach on its date, marking has
    started, or the statement is there already."""
    submission = (
        Submission.objects.filter(enrolment__participant__email=participant_email(1), state=Submission.State.SUBMITTED)
        .select_related("enrolment")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if submission is None or Marking.objects.filter(submission=submission).exists():
        return None
    if SupportingStatement.objects.filter(submission=submission).exists():
        return None
    assignment = (
        CoachAssignment.objects.covering(submission.dated_on)
        .filter(enrolment_id=submission.enrolment_id)
        .select_related("coach")
        .first()
    )
    if assignment is None:
        return None
    coach = assignment.coach
    logs = tuple(choice.log.pk for choice in citable_logs(coach, submission)[:2])
    return statement_save(
        by=coach,
        submission=submission,
        version=None,
        content=StatementContent(practice=PRACTICE, outcomes=OUTCOMES, log_ids=logs),
    )
