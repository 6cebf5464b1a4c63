"""The demo external examiner has a confirmed sample holding the demo participant's marked work,
and reads it and what its marks cite; seeding again adds nothing."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from assessment import demo_examiner
from assessment.models import Citation, ExaminerSample, SampledSubmission
from programme import access, demo
from programme.access import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True  # the demo command refuses to run otherwise
    call_command("seed_demo", participants=demo.DEFAULT_PARTICIPANTS, stdout=io.StringIO())


def test_the_demo_examiner_reads_a_confirmed_sample_and_seeding_again_adds_nothing(seeded):
    examiner = User.objects.get(email=demo.demo_email("examiner"))
    sample = ExaminerSample.objects.get(examiners=examiner)
    assert sample.is_confirmed
    entry = sample.entries.get(submission__enrolment__participant__email=demo.participant_email(1))
    assert access.can(examiner, Action.VIEW, entry.submission)
    cited = Citation.objects.filter(criterion_mark__marking__submission=entry.submission, kind="log").first()
    assert access.can(examiner, Action.VIEW, cited.log_version)
    before = (ExaminerSample.objects.count(), SampledSubmission.objects.count())
    demo_examiner.seed_examiner()
    assert (ExaminerSample.objects.count(), SampledSubmission.objects.count()) == before
