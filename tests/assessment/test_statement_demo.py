"""The demo: the demo coach's supporting statement on the demo participant's submitted work, written
through the service before the demo tutor started marking it; seeding again adds nothing."""

import datetime
import io

import pytest
from django.core.management import call_command

from accounts.models import User
from assessment import demo_statements
from assessment.models import Marking, SupportingStatement
from audit.models import AuditAction, AuditEvent
from programme import access, demo
from programme.access import Action

pytestmark = pytest.mark.django_db


def test_the_demo_coachs_statement_comes_before_marking_and_is_seeded_once(settings):
    settings.DEBUG = True  # the demo command refuses to run otherwise
    call_command("seed_demo", participants=demo.DEFAULT_PARTICIPANTS, stdout=io.StringIO())
    participant = User.objects.get(email=demo.participant_email(1))
    statement = SupportingStatement.objects.select_related("submission").get(
        submission__enrolment__participant=participant
    )
    assert statement.citations.count() == 2
    assert statement.written_by.roles >= {"coach"}
    marking = Marking.objects.get(submission=statement.submission, role="first")  # moderation adds others
    assert statement.created_at < marking.started_at
    assert access.can(participant, Action.VIEW, statement)
    assert AuditEvent.objects.filter(action=AuditAction.STATEMENT_SAVE, actor_id=statement.written_by_id).count() == 1
    assert demo_statements.seed_statement(today=datetime.date.today()) is None
    call_command("seed_demo", participants=demo.DEFAULT_PARTICIPANTS, stdout=io.StringIO())
    assert SupportingStatement.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.STATEMENT_SAVE).count() == 1
