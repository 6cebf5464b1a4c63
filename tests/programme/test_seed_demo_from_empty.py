"""seed_demo on an empty database: it makes as many participants as asked, and it refuses to run
without DEBUG (these tests need the database without the demo, so each seeds its own)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from programme import demo
from programme.models import CoachAssignment, Enrolment, TutorAssignment
from tests.seeded_once import seed_demo

pytestmark = pytest.mark.django_db


def test_participants_option_sets_how_many_participants_there_are():
    seed_demo(participants=200)
    assert RoleGrant.objects.filter(role=Role.PARTICIPANT).count() == 200
    assert Enrolment.objects.count() == 200
    today = timezone.localdate()
    assert CoachAssignment.objects.covering(today).count() == 200
    assert TutorAssignment.objects.covering(today).count() == 200
    assert set(Enrolment.objects.values_list("current_phase__number", flat=True)) == {1, 2, 3}


def test_demo_commands_refuse_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", participants=3, stdout=io.StringIO())
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_totp", demo.demo_email("tutor"), stdout=io.StringIO())
    assert not User.objects.filter(email__endswith="@" + demo.DEMO_DOMAIN).exists()
