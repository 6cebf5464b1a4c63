"""The demo participant gets a believable portfolio: evidence in every content area, reflections
drawing on it and on agreed sessions, and an enquiry under way, made through the services."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from portfolio.models import Enquiry, EnquiryCitation, Evidence, Reflection
from programme import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True  # the demo command refuses to run otherwise
    call_command("seed_demo", participants=demo.DEFAULT_PARTICIPANTS, stdout=io.StringIO())
    return User.objects.get(email=demo.participant_email(1)).enrolments.get()


def test_the_demo_participant_has_evidence_in_every_content_area_reflections_and_an_enquiry(seeded):
    evidence = Evidence.objects.filter(enrolment=seeded).prefetch_related("content_areas", "logs")
    assert {area.number for e in evidence for area in e.content_areas.all()} == {1, 2, 3, 4}
    assert {e.kind for e in evidence} == {"written", "link"}
    assert all(e.logs.exists() for e in evidence)
    assert Reflection.objects.filter(enrolment=seeded).count() == 2
    enquiry = Enquiry.objects.get(enrolment=seeded)
    assert enquiry.question
    assert enquiry.method
    assert EnquiryCitation.objects.filter(enquiry=enquiry).count() == 2


def test_a_second_run_adds_nothing_to_the_portfolio(seeded, settings):
    before = (Evidence.objects.count(), Reflection.objects.count(), Enquiry.objects.count())
    call_command("seed_demo", participants=demo.DEFAULT_PARTICIPANTS, stdout=io.StringIO())
    assert (Evidence.objects.count(), Reflection.objects.count(), Enquiry.objects.count()) == before
