"""The supporting statement's pages: the coach writes it from the submission page (refusals beside
the fields, what was typed kept), those PRODUCT.md lets read it see it on the submission page and in
the marking workspace, and nobody else does; once marking starts the page says why it is locked."""

import pytest
from django.urls import reverse

from assessment.models import SupportingStatement
from assessment.services.statements import StatementContent, statement_save
from audit.models import AuditAction, AuditEvent
from tests.assessment.marking.helpers import marking_world
from tests.coaching.factories import agreed_log

pytestmark = pytest.mark.django_db

PRACTICE = "Questions now wait for every pupil to think."
OUTCOMES = "More pupils answer in full."


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture
def world():
    return marking_world()


def _edit(world):
    return reverse("assessment:statement", kwargs={"pk": world.submission.pk})


def _written(world) -> SupportingStatement:
    return statement_save(
        by=world.coach,
        submission=world.submission,
        version=None,
        content=StatementContent(practice=PRACTICE, outcomes=OUTCOMES, log_ids=(world.log.pk,)),
    )


def test_the_coach_is_invited_from_the_submission_page_and_writes_the_statement(client, world):
    client.force_login(world.coach)
    page = client.get(world.submission.get_absolute_url()).content.decode()
    assert "Write your supporting statement" in page
    assert _edit(world) in page
    form = client.get(_edit(world)).content.decode()
    assert 'data-maxwords="500"' in form
    assert str(world.log) in form
    response = client.post(_edit(world), {"practice": PRACTICE, "outcomes": OUTCOMES, "logs": [world.log.pk]})
    assert response.status_code == 302
    assert response.url == f"{world.submission.get_absolute_url()}#statement"
    page = client.get(world.submission.get_absolute_url()).content.decode()
    assert PRACTICE in page
    assert "Change your supporting statement" in page
    assert SupportingStatement.objects.get().citations.get().log_id == world.log.pk


def test_bad_input_is_refused_beside_each_field_with_what_was_typed_kept(client, world):
    strangers = agreed_log(enrolment=world.other_participant.enrolments.get(), coach=world.stranger_coach)
    client.force_login(world.coach)
    typed = " ".join(["pupils"] * 501)
    response = client.post(_edit(world), {"practice": "", "outcomes": typed, "logs": [strangers.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write how the participant&#x27;s practice changed." in page
    assert "Keep this to 500 words or fewer; it has 501 (1 too many)." in page
    assert "Choose only from the agreed sessions listed" in page
    assert typed in page
    assert not SupportingStatement.objects.exists()


def test_a_stale_save_is_refused_and_what_was_typed_is_kept(client, world):
    statement = _written(world)
    statement_save(
        by=world.coach,
        submission=world.submission,
        version=statement.version,
        content=StatementContent(practice="Saved in another tab.", outcomes=OUTCOMES),
    )
    client.force_login(world.coach)
    response = client.post(
        _edit(world), {"version": statement.version, "practice": "Typed on an old page.", "outcomes": OUTCOMES}
    )
    page = response.content.decode()
    assert "Someone saved this statement since you opened it." in page
    assert "Typed on an old page." in page
    assert 'name="version" value="2"' in page
    assert SupportingStatement.objects.get().practice == "<p>Saved in another tab.</p>"


def test_once_marking_starts_the_page_says_why_the_statement_is_locked_and_keeps_what_was_typed(client, world):
    _written(world)
    world.start()
    client.force_login(world.coach)
    page = client.get(_edit(world)).content.decode()
    assert "started marking this work" in page
    assert "<textarea" not in page
    response = client.post(_edit(world), {"version": 1, "practice": "A late change.", "outcomes": OUTCOMES})
    page = response.content.decode()
    assert "started marking this work" in page
    assert "A late change." in page
    assert SupportingStatement.objects.get().practice == f"<p>{PRACTICE}</p>"
    assert "Change your supporting statement" not in client.get(world.submission.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["participant", "tutor", "leader"])
def test_the_participant_tutor_and_leader_read_the_statement_on_the_submission_page(client, world, who):
    _written(world)
    client.force_login(getattr(world, who))
    page = client.get(world.submission.get_absolute_url()).content.decode()
    assert PRACTICE in page
    assert "Agreed sessions it draws on" in page
    assert "Write your supporting statement" not in page
    assert "Change your supporting statement" not in page
    if who != "participant":
        assert AuditEvent.objects.filter(
            action=AuditAction.READ, actor_id=getattr(world, who).pk, record_kind="assessment.supportingstatement"
        ).exists()


def test_the_head_sees_no_statement(client, world):
    _written(world)
    client.force_login(world.head)
    page = client.get(world.submission.get_absolute_url()).content.decode()
    assert PRACTICE not in page


@pytest.mark.parametrize("who", ["participant", "tutor", "head", "leader"])
def test_nobody_but_the_coach_opens_the_statement_form(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(_edit(world))
    assert response.status_code in (403, 404)
    response = client.post(_edit(world), {"practice": PRACTICE, "outcomes": OUTCOMES})
    assert response.status_code in (403, 404)
    assert not SupportingStatement.objects.exists()


def test_a_coach_of_another_participant_gets_404(client, world):
    client.force_login(world.stranger_coach)
    assert client.get(_edit(world)).status_code == 404
    assert client.get(world.submission.get_absolute_url()).status_code == 404


def test_the_marking_workspace_shows_the_statement_with_what_it_cites(client, world):
    _written(world)
    world.start()
    client.force_login(world.tutor)
    page = client.get(reverse("marking:workspace", kwargs={"pk": world.submission.pk})).content.decode()
    assert "The coach's supporting statement" in page
    assert PRACTICE in page
    assert "We watched the starter and talked about wait time." in page


def test_the_statement_form_costs_the_same_queries_however_many_sessions_there_are(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coach)
    client.get(_edit(world))
    with CaptureQueriesContext(connection) as few:
        client.get(_edit(world))
    for _ in range(12):
        agreed_log(enrolment=world.enrolment, coach=world.coach)
    with CaptureQueriesContext(connection) as many:
        page = client.get(_edit(world)).content.decode()
    assert page.count('name="logs"') == 13
    assert len(many) == len(few)


def test_the_examiner_reads_the_statement_in_the_pack_of_sampled_work_only(client):
    from assessment.services import marking as marking_services
    from assessment.workflow import Move
    from tests.assessment.examiner.helpers import ExaminerWorld

    base = marking_world()
    statement = _written(base)
    world = ExaminerWorld(**vars(base))
    marking = world.mark_all(world.start(), 64)
    marking_services.marking_move(by=world.tutor, marking=marking, move=Move.COMPLETE, version=marking.version)
    world.another(58)
    assert not access_can(world.examiner, statement)  # no sample yet
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    pack = reverse("examiner:submission", kwargs={"pk": sample.pk, "submission_pk": world.submission.pk})
    body = client.get(pack).content.decode()
    assert PRACTICE in body
    assert OUTCOMES in body
    assert "We watched the starter and talked about wait time." in body  # the session as cited
    world.examiner.__dict__.pop("_access_relations", None)
    assert access_can(world.examiner, statement)


def access_can(user, statement) -> bool:
    from programme import access

    user.__dict__.pop("_access_relations", None)
    return access.can(user, access.Action.VIEW, statement)
