"""The demo participant gets a believable portfolio: evidence in every content area, reflections
drawing on it and on agreed sessions, and an enquiry under way, made through the services."""

import pytest

from accounts.models import User
from portfolio.models import Enquiry, EnquiryCitation, Evidence, Reflection
from programme import demo
from tests.seeded_once import seed_demo, shared_by_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Seeded once for the module's tests, each of which runs in a savepoint rolled back after it.
    with shared_by_the_module(django_db_blocker):
        seed_demo()
        yield User.objects.get(email=demo.participant_email(1)).enrolments.get()


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


def test_a_second_run_adds_nothing_to_the_portfolio(seeded):
    before = (Evidence.objects.count(), Reflection.objects.count(), Enquiry.objects.count())
    seed_demo()
    assert (Evidence.objects.count(), Reflection.objects.count(), Enquiry.objects.count()) == before
