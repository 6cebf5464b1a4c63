"""Time the programme leader's progression, tutors' marking and coaches' caseload pages (and the
head's progression) on a database of N participants (bench/leader.sh seeds it, and `fill` below adds
sessions and marked work). One line per request: median and worst of a few runs in milliseconds, and
the queries of one."""

import datetime
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessment.models import AssessmentTask, Marking, Submission
from assessment.workflow import State
from coaching.models import AgreementStatus, DialogueLog, SessionKind, SessionSetting
from programme.demo import demo_email
from programme.models import CoachAssignment, Enrolment, TutorAssignment

REQUESTS = [
    ("leader", "tracking:progression", {}),
    ("leader", "tracking:tutors", {}),
    ("leader", "tracking:tutors", {"sort": "-waiting"}),
    ("leader", "tracking:coaches", {}),
    ("leader", "tracking:coaches", {"sort": "-last"}),
    ("head", "tracking:head_progression", {}),
    ("leader", "tracking:leader_chart", {"slug": "history"}),
]
REPEATS = 5
SESSIONS_EACH = 12  # agreed sessions per participant over the last 180 days, added before timing


def fill() -> None:
    """The demo seeds few sessions and little marked work: add, in bulk, SESSIONS_EACH agreed
    sessions per participant by their coach today and, for each of the cohort's first two tasks, a
    submission with a first marking by their tutor today (one marked some days later, one waiting or
    not started), so the counts have rows to count. Not through the services: only the columns these
    pages read are filled."""
    today = timezone.localdate()
    coach_of = dict(CoachAssignment.objects.covering(today).values_list("enrolment", "coach"))
    tutor_of = dict(TutorAssignment.objects.covering(today).values_list("enrolment", "tutor"))
    tasks = {}
    for task in AssessmentTask.objects.order_by("due_on", "pk"):
        tasks.setdefault(task.cohort_id, []).append(task)
    logs, submissions = [], []
    for n, (pk, cohort_id) in enumerate(Enrolment.objects.values_list("pk", "cohort").iterator()):
        if pk in coach_of:
            for i in range(SESSIONS_EACH):
                day = today - datetime.timedelta(days=(n + 15 * i) % 180)
                logs.append(
                    DialogueLog(
                        enrolment_id=pk,
                        coach_id=coach_of[pk],
                        session_on=day,
                        duration_minutes=45,
                        kind=SessionKind.LESSON_OBSERVATION,
                        setting=SessionSetting.OWN_SCHOOL,
                        status=AgreementStatus.AGREED,
                        agreed_version=1,
                    )
                )
        for task in tasks.get(cohort_id, [])[:2]:
            if Submission.objects.filter(enrolment_id=pk, task=task).exists():
                continue
            day = today - datetime.timedelta(days=10 + n % 60)
            submitted = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
            submissions.append(
                Submission(
                    enrolment_id=pk, task=task, state=Submission.State.SUBMITTED, dated_on=day, submitted_at=submitted
                )
            )
    DialogueLog.objects.bulk_create(logs, batch_size=2000)
    Submission.objects.bulk_create(submissions, batch_size=2000)
    markings = []
    made = Submission.objects.filter(pk__in=[s.pk for s in submissions]).select_related("task")
    for n, submission in enumerate(made):
        tutor = tutor_of.get(submission.enrolment_id)
        if tutor is None or n % 3 == 2:
            continue  # nobody has started marking it
        marked = n % 3 == 0
        markings.append(
            Marking(
                submission=submission,
                marker_id=tutor,
                rubric_id=submission.task.rubric_id,
                state=State.MARKED if marked else State.IN_MARKING,
                marked_at=submission.submitted_at + datetime.timedelta(days=1 + n % 20) if marked else None,
            )
        )
    Marking.objects.bulk_create(markings, batch_size=2000)


def main() -> None:
    fill()
    print(
        f"{Enrolment.objects.count()} participants, {DialogueLog.objects.count()} dialogue logs, "
        f"{Submission.objects.count()} submissions, {Marking.objects.count()} markings"
    )
    for who, url_name, params in REQUESTS:
        params = dict(params)
        slug = params.pop("slug", None)
        client = Client()
        client.force_login(User.objects.get(email=demo_email(who)))
        url = reverse(url_name, args=[slug] if slug else [])
        timings = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        print(
            f"{who:7} {url + ('?' + query if query else ''):45} median {statistics.median(timings):8.1f} ms"
            f"  worst {max(timings):8.1f} ms  {len(queries):3d} queries"
        )


main()
