"""The demo participant has submitted work for the open task of their phase, made through the
services: frozen, with records of each kind they have; a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from assessment.models import Submission
from programme import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True  # the demo command refuses to run otherwise
    call_command("seed_demo", participants=demo.DEFAULT_PARTICIPANTS, stdout=io.StringIO())
    return User.objects.get(email=demo.participant_email(1)).enrolments.get()


def test_the_demo_participant_has_submitted_work(seeded):
    submission = Submission.objects.get(enrolment=seeded)
    assert submission.state == Submission.State.SUBMITTED
    assert submission.task.phase_id == seeded.current_phase_id
    assert submission.word_count <= submission.task.word_limit
    kinds = set(submission.items.values_list("kind", flat=True))
    assert kinds == {"evidence", "reflection", "enquiry_section", "dialogue_log"}
    assert all(item.title and (item.body or item.meta.get("url")) for item in submission.items.all())


def test_a_second_run_submits_nothing_more(seeded):
    call_command("seed_demo", participants=demo.DEFAULT_PARTICIPANTS, stdout=io.StringIO())
    assert Submission.objects.filter(enrolment=seeded).count() == 1
