"""A head tracks their school's participants without ever reading what anyone wrote (PRODUCT.md,
"who sees what"). A marker word is written into every kind of record a head must not read; every
page a head can reach from their home, two links deep, and every filter and sort of their table, is
searched for it."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from assessment.models import CriterionMark
from assessment.rules.marks import Outcome
from coaching.models import AgreementStatus
from tests.assessment.factories import AssessmentTaskFactory
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log, private_note
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.portfolio.factories import EnquiryFactory, EvidenceFactory, ReflectionFactory
from tests.tracking.factories import result, submit
from tracking.selectors import COLUMNS

pytestmark = pytest.mark.django_db

MARKER = "Zqxmarkerword"


def _seed(school):
    today = timezone.localdate()
    enrolment = enrol(school, first_post_started_on=today - datetime.timedelta(days=365))
    coach = staff(Role.COACH, school)
    assign_coach(enrolment, coach)
    assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR]))
    words = f"<p>{MARKER} said in confidence.</p>"
    draft = DialogueLogFactory(
        enrolment=enrolment, coach=coach, session_on=today - datetime.timedelta(days=2), focus=MARKER, discussed=words
    )
    action_step(draft, description=f"{MARKER} draft step", due_on=today - datetime.timedelta(days=1))
    DialogueLogFactory(
        enrolment=enrolment, coach=coach, status=AgreementStatus.AWAITING_PARTICIPANT, discussed=words, focus=MARKER
    )
    agreed = agreed_log(
        enrolment=enrolment,
        coach=coach,
        session_on=today - datetime.timedelta(days=9),
        focus=MARKER,
        discussed=words,
        strengths=words,
        pupil_outcomes=words,
        evidence_considered=words,
        participant_reflection=words,
    )
    action_step(agreed, description=f"{MARKER} agreed step", success_criteria=MARKER)
    private_note(agreed, text=f"{MARKER} private")
    EvidenceFactory(enrolment=enrolment, title=MARKER, body=words)
    ReflectionFactory(enrolment=enrolment, title=MARKER, body=words)
    EnquiryFactory(enrolment=enrolment, title=MARKER, question=words)
    task = AssessmentTaskFactory(cohort=enrolment.cohort, due_on=today - datetime.timedelta(days=30))
    submission = submit(enrolment, task)
    submission.commentary = words
    submission.save()
    marking = result(submission, Outcome.REFER, feed_forward=MARKER)
    criterion = task.rubric.criteria.first()
    CriterionMark.objects.create(marking=marking, criterion=criterion, mark=38, strengths=MARKER, development=MARKER)
    return enrolment


def _links(html: str) -> set[str]:
    """The portal's own pages linked from a page, without sign-out and the admin."""
    found = set()
    for href in re.findall(r'href="([^"#]+)"', html):
        href = href.replace("&amp;", "&")
        if href.startswith("?"):
            found.add(reverse("tracking:head_home") + href)
        elif href.startswith("/") and not href.startswith(("/accounts/", "/cms/", "/django-admin/", "/static/")):
            found.add(href)
    return found


def _text(response) -> str:
    """What a response says: a page's or a CSV's text, or every cell of a workbook."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    return response.content.decode()


def test_no_head_page_or_export_shows_what_anyone_wrote(client):
    school = SchoolFactory()
    enrolment = _seed(school)
    head = staff(Role.HEAD, school)
    client.force_login(head)
    home = reverse("tracking:head_home")
    queries = [{}, {"at_risk": "yes"}, {"phase": "1", "status": "active"}]
    queries += [{"sort": column.key} for column in COLUMNS] + [{"sort": f"-{column.key}"} for column in COLUMNS]
    exports = [reverse("tracking:head_export", args=[kind]) for kind in ("csv", "xlsx")]
    opened, waiting = (
        set(),
        {url + "?" + "&".join(f"{k}={v}" for k, v in q.items()) for q in queries for url in [home, *exports]},
    )
    for _ in range(2):  # the head's pages, and the pages they link to, two links deep
        found = set()
        for url in sorted(waiting - opened):
            opened.add(url)
            response = client.get(url)
            if response.status_code != 200:
                continue
            body = _text(response)
            assert MARKER not in body, url
            found |= _links(body)
        waiting = found
    # The table itself was read, with the participant at risk from the referred work.
    response = client.get(home)
    row = response.context["rows"][0]
    assert row.enrolment == enrolment
    assert row.outcome == "Refer for resubmission"
    assert "Work referred or failed, not yet passed" in row.reasons
    assert (row.steps_open, row.sessions_30) == (1, 1)  # the agreed step and session only
    assert len(opened) > 3 * len(queries)
    assert {url.split("?")[0] for url in opened} >= {home, *exports}
