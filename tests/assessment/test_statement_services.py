"""Writing the coach's supporting statement (assessment.services.statements): the coach on the
submission's date writes it, citing agreed sessions they may read, frozen as cited; a stale save is
refused; it locks when marking starts; every save is audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from assessment.models import StatementCitation, Submission, SupportingStatement
from assessment.services.statements import StatementContent, statement_save
from audit.models import AuditAction, AuditEvent
from coaching.models import AgreementStatus
from programme import access
from programme import services as programme_services
from tests.assessment.marking.helpers import marking_world
from tests.coaching.factories import DialogueLogFactory, agreed_log
from tests.factories import staff
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

PRACTICE = "Questions now wait for every pupil to think."
OUTCOMES = "More pupils answer in full; exit tickets show it."


@pytest.fixture
def world():
    return marking_world()


def _content(world, **overrides) -> StatementContent:
    fields = {"practice": PRACTICE, "outcomes": OUTCOMES, "log_ids": (world.log.pk,)}
    fields.update(overrides)
    return StatementContent(**fields)


def _write(world, by=None, version=None, **overrides) -> SupportingStatement:
    return statement_save(
        by=by or world.coach, submission=world.submission, version=version, content=_content(world, **overrides)
    )


def test_the_coach_writes_a_statement_citing_an_agreed_session_frozen_as_it_read(world):
    statement = _write(world)
    assert statement.version == 1
    assert statement.practice == f"<p>{PRACTICE}</p>"
    assert statement.word_count == 17
    citation = statement.citations.get()
    assert citation.log_version.number == 1
    # The words of the agreed version, kept as plain text.
    assert "We watched the starter and talked about wait time." in citation.text
    assert "<p>" not in citation.text
    frozen = citation.text
    # The coach and participant agree a new version of the session: the statement keeps what it cited.
    version = world.log.versions.get()
    version.pk = None
    version.number = 2
    version.discussed = "<p>Words only the second version has.</p>"
    version.save()
    world.log.agreed_version = 2
    world.log.save()
    statement = _write(world, version=statement.version)
    citation = statement.citations.get()
    assert citation.log_version.number == 1
    assert citation.text == frozen
    assert "second version" not in citation.text


def test_a_newly_cited_session_is_cited_at_its_latest_agreed_version_and_an_unticked_one_is_dropped(world):
    other = agreed_log(enrolment=world.enrolment, coach=world.coach)
    statement = _write(world)
    statement = _write(world, version=statement.version, log_ids=(other.pk,))
    assert list(statement.citations.values_list("log_id", flat=True)) == [other.pk]


def test_a_posted_session_the_coach_may_not_read_is_refused_beside_the_field_and_nothing_is_saved(world):
    strangers = agreed_log(enrolment=world.other_participant.enrolments.get(), coach=world.stranger_coach)
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.DRAFT)
    for log in (strangers, draft):
        with pytest.raises(RuleError) as refused:
            _write(world, log_ids=(world.log.pk, log.pk))
        assert refused.value.errors == {
            "logs": ["Choose only from the agreed sessions listed: one of those chosen is not one you may cite."]
        }
    assert not SupportingStatement.objects.exists()
    assert not StatementCitation.objects.exists()


def test_every_broken_rule_is_reported_at_once(world):
    with pytest.raises(RuleError) as refused:
        _write(world, practice="", outcomes=" ".join(["word"] * 501), log_ids=(-1,))
    assert set(refused.value.errors) == {"practice", "outcomes", "logs"}


def test_a_stale_save_is_refused(world):
    first = _write(world)
    _write(world, version=first.version, practice="The coach's second thoughts.")
    with pytest.raises(RuleError) as refused:
        _write(world, version=first.version, practice="From a page opened before the second save.")
    assert refused.value.rule == "stale"
    assert SupportingStatement.objects.get().practice == "<p>The coach's second thoughts.</p>"
    # Two coaches' pages both opened before any statement existed: the second is refused too.
    with pytest.raises(RuleError) as refused:
        _write(world, version=None)
    assert refused.value.rule == "stale"


def test_the_statement_is_locked_once_the_tutor_starts_marking_and_the_refusal_says_why(world):
    statement = _write(world)
    world.start()
    with pytest.raises(RuleError) as refused:
        _write(world, version=statement.version, practice="Too late.")
    assert refused.value.rule == "statement_locked"
    assert "started marking" in refused.value.message
    assert SupportingStatement.objects.get().practice == f"<p>{PRACTICE}</p>"


def test_no_statement_on_withdrawn_work(world):
    Submission.objects.filter(pk=world.submission.pk).update(state=Submission.State.WITHDRAWN)
    world.submission.refresh_from_db()
    with pytest.raises(RuleError) as refused:
        _write(world)
    assert refused.value.rule == "statement_not_submitted"


@pytest.mark.parametrize("who", ["participant", "tutor", "head", "leader", "stranger_coach", "examiner"])
def test_nobody_but_the_coach_writes_a_statement(world, who):
    with pytest.raises((PermissionDenied, Http404)):
        _write(world, by=getattr(world, who))
    assert not SupportingStatement.objects.exists()


def _dated(world, days_ago: int) -> None:
    Submission.objects.filter(pk=world.submission.pk).update(
        dated_on=timezone.localdate() - datetime.timedelta(days=days_ago)
    )
    world.submission.refresh_from_db()


def test_a_coach_who_took_over_after_the_submission_reads_the_statement_but_does_not_write_it(world):
    statement = _write(world)
    _dated(world, 30)
    new = staff(Role.COACH, world.school)
    programme_services.coach_assign(
        enrolment=world.enrolment, coach=new, starts_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    statement.refresh_from_db()
    assert access.allowed_actions(new, statement) == {access.Action.VIEW}
    with pytest.raises(PermissionDenied):
        _write(world, by=new, version=statement.version)
    # The old coach's period ended before today: the statement is now history to them, read only.
    world.coach.__dict__.pop("_access_relations", None)
    assert access.allowed_actions(world.coach, statement) == {access.Action.VIEW}
    with pytest.raises(PermissionDenied) as refused:
        _write(world, version=statement.version)
    assert "ended on" in str(refused.value)


def test_each_save_is_in_the_audit_trail_with_what_was_cited(world):
    statement = _write(world)
    _write(world, version=statement.version, log_ids=())
    events = AuditEvent.objects.filter(action=AuditAction.STATEMENT_SAVE).order_by("pk")
    assert [e.detail["version"] for e in events] == [1, 2]
    assert events[0].detail["cited"] == [world.log.pk]
    assert events[1].detail["removed"] == [world.log.pk]
    assert all(e.actor_id == world.coach.pk for e in events)


def test_the_statement_and_its_citations_are_among_the_participants_records(world):
    statement = _write(world)
    found = access.records_of(world.enrolment)
    assert list(found[SupportingStatement]) == [statement]
    assert list(found[StatementCitation]) == list(statement.citations.all())


def test_the_examiner_reads_a_statement_only_when_its_submission_is_sampled(world, monkeypatch):
    from assessment import registry

    statement = _write(world)
    assert not access.can(world.examiner, access.Action.VIEW, statement)
    monkeypatch.setattr(registry, "submissions_in_sample", lambda examiner, ids: set(ids))
    world.examiner.__dict__.pop("_access_relations", None)
    assert access.can(world.examiner, access.Action.VIEW, statement)
    assert access.can(world.examiner, access.Action.VIEW, statement.citations.get())
