"""Subject access exports: a programme leader asks for one (audited), a Celery task builds it
(privacy.tasks), and celery beat deletes it once it has expired. Erasure of former participants
once the retention period has passed, run daily by celery beat. The request's life is
files.jobs', shared with the portfolio's export and the dashboards' long lists; what goes in is
privacy.subject_access."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audit import trail
from files import jobs
from privacy import erasure, selectors, subject_access
from privacy.models import Erasure, SubjectAccessRequest
from programme import access
from programme.access import Action
from programme.models import Enrolment
from ui.errors import RuleError

Status = SubjectAccessRequest.Status
# How often the progress is written while files are copied: every this many records.
PROGRESS_EVERY = 10


def valid_days() -> int:
    return settings.SUBJECT_ACCESS_VALID_DAYS


def subject_access_request(*, person, by, received_on: datetime.date) -> SubjectAccessRequest:
    """Ask for every record about `person`. Only a programme leader may (the access policy). While
    one for the same person is waiting or being built, that one is returned rather than a second
    made. Audited on the person's behalf (the event names them), and built after commit."""
    from privacy import tasks

    if Action.CHANGE not in access.subject_access_actions(by):
        raise RuleError("Only a programme leader can ask for a subject access export.", rule="subject_access")
    if received_on > timezone.localdate():
        raise RuleError("The day the request was received cannot be in the future.", field="received_on")
    with transaction.atomic():
        # Lock the person's row so two clicks cannot both make a request.
        type(person).objects.select_for_update().filter(pk=person.pk).first()
        waiting = SubjectAccessRequest.objects.filter(person=person, status__in=[Status.QUEUED, Status.RUNNING]).first()
        if waiting is not None:
            return waiting
        request = SubjectAccessRequest.objects.create(person=person, requested_by=by, received_on=received_on)
        trail.record(
            trail.Action.SUBJECT_ACCESS_REQUEST,
            record=request,
            actor=by,
            detail={"person": person.pk, "received_on": received_on.isoformat()},
        )
        request_id = request.pk
        transaction.on_commit(lambda: tasks.build_subject_access.delay(request_id))
    return request


def subject_access_build(*, request_id: int, task_id: str = "") -> SubjectAccessRequest | None:
    """Build the export if it is waiting (or was left running by a worker that died). Safe to run
    twice: a second run finds it claimed or built and does nothing."""
    now = timezone.now()
    if jobs.claim(SubjectAccessRequest, request_id, now, task_id=task_id):
        request = SubjectAccessRequest.objects.select_related("person").get(pk=request_id)

        def fill(out) -> int:
            contents = subject_access.gather(request.person)
            jobs.progress(SubjectAccessRequest, request_id, total=contents.count)

            def done(count: int) -> None:
                if count == contents.count or count % PROGRESS_EVERY == 0:
                    jobs.progress(SubjectAccessRequest, request_id, done=count)

            subject_access.write(contents, out, now=now, progress=done)
            return contents.count

        jobs.write(request, now, name=f"{request_id}.zip", fill=fill, valid_days=valid_days())
    return SubjectAccessRequest.objects.filter(pk=request_id).first()


def subject_access_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their expiry (files.jobs.expire_due). Returns how many."""
    return jobs.expire_due(SubjectAccessRequest, now)


# --- Erasure after the retention period (privacy.erasure; who is due: programme.rules.retention).


def participant_erase(*, person_id: int, today: datetime.date) -> Erasure | None:
    """Erase one former participant's names, personal text and files, if they are due today and not
    yet erased (judged again under a lock on their account, so two runs at once erase once). One
    transaction; the stored files are deleted after it commits. Audited with the counts per kind of
    record, never their content. Returns the Erasure, or None when there was nothing to do."""
    User = get_user_model()
    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=person_id).first()
        if person is None or Erasure.objects.filter(person=person).exists():
            return None
        if not selectors.erasure_due(today, person_id=person.pk):
            return None
        enrolment_ids = list(Enrolment.objects.filter(participant=person).values_list("pk", flat=True))
        counts, files = erasure.erase(person, enrolment_ids)
        done = Erasure.objects.create(person=person, counts=counts)
        trail.record(
            trail.Action.ERASURE,
            record=done,
            actor=None,
            detail={"person": person.pk, "enrolments": enrolment_ids, "counts": counts},
        )
        transaction.on_commit(lambda: _delete_files(files))
    return done


def _delete_files(files) -> None:
    for storage, name in files:
        storage.delete(name)


def erasures_run(*, today: datetime.date | None = None) -> int:
    """Erase everyone due today, each in their own transaction (celery beat, daily). Safe to run
    twice: the second run finds nobody. Returns how many were erased."""
    today = today or timezone.localdate()
    erased = 0
    for person in selectors.erasure_due(today):
        if participant_erase(person_id=person.pk, today=today) is not None:
            erased += 1
    return erased
