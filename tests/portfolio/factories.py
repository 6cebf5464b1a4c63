"""Portfolio records as the services would leave them."""

import datetime

import factory

from portfolio.models import Enquiry, EnquiryCitation, Evidence, Reflection
from programme.models import ContentArea, Phase
from tests.factories import EnrolmentFactory

DAY = datetime.date(2025, 10, 6)


def _areas(record, extracted):
    record.content_areas.set(extracted if extracted is not None else [ContentArea.objects.get(number=1)])


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)
    phase = factory.LazyFunction(lambda: Phase.objects.get(number=1))
    kind = Evidence.Kind.WRITTEN
    title = factory.Sequence(lambda n: f"Exit tickets from lesson {n}")
    relates_to = DAY
    body = "<p>Most pupils could explain the idea in their own words.</p>"
    anonymised = True

    @factory.post_generation
    def content_areas(self, create, extracted, **kwargs):
        _areas(self, extracted)

    @factory.post_generation
    def logs(self, create, extracted, **kwargs):
        if extracted:
            self.logs.set(extracted)


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)
    phase = factory.LazyFunction(lambda: Phase.objects.get(number=1))
    written_on = DAY
    title = factory.Sequence(lambda n: f"After the observation {n}")
    body = "<p>I waited longer after questions and more hands went up.</p>"

    @factory.post_generation
    def content_areas(self, create, extracted, **kwargs):
        _areas(self, extracted)

    @factory.post_generation
    def logs(self, create, extracted, **kwargs):
        if extracted:
            self.logs.set(extracted)

    @factory.post_generation
    def evidence(self, create, extracted, **kwargs):
        if extracted:
            self.evidence.set(extracted)


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)
    phase = factory.LazyFunction(lambda: Phase.objects.get(number=1))
    title = factory.Sequence(lambda n: f"Does wait time change who answers? ({n})")
    started_on = DAY
    question = "<p>Does waiting longer after a question change who answers?</p>"

    @factory.post_generation
    def content_areas(self, create, extracted, **kwargs):
        _areas(self, extracted)


def cite(enquiry: Enquiry, section: str, *, evidence=None, log=None) -> EnquiryCitation:
    return EnquiryCitation.objects.create(enquiry=enquiry, section=section, evidence=evidence, log=log)
