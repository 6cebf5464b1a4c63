"""The portfolio's records are registered with the access policy, so subject access, the audit
trail and dashboards find them by enrolment without knowing the app."""

import pytest
from django.apps import apps

from portfolio.models import Enquiry, EnquiryCitation, Evidence, Reflection
from programme import access
from tests.coaching.test_access_registry import _reaches_enrolment
from tests.portfolio.factories import EnquiryFactory, EvidenceFactory, ReflectionFactory, cite

pytestmark = pytest.mark.django_db


def test_every_portfolio_model_with_an_enrolment_is_registered():
    belonging = {m for m in apps.get_app_config("portfolio").get_models() if _reaches_enrolment(m)}
    assert {Evidence, Reflection, Enquiry, EnquiryCitation} <= belonging
    assert belonging <= {r.model for r in access.registrations()}


def test_records_of_finds_the_participants_portfolio_and_no_one_elses(world):
    evidence = EvidenceFactory(enrolment=world.enrolment)
    reflection = ReflectionFactory(enrolment=world.enrolment)
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    citation = cite(enquiry, "data", evidence=evidence)
    EvidenceFactory()  # someone else's
    found = access.records_of(world.enrolment)
    assert list(found[Evidence]) == [evidence]
    assert list(found[Reflection]) == [reflection]
    assert list(found[Enquiry]) == [enquiry]
    assert list(found[EnquiryCitation]) == [citation]
