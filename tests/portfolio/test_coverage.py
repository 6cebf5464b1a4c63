"""Coverage: content areas by phases, counting what the person may read, naming the gaps and the
topics to look at next; a table that works without JavaScript; flat queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from portfolio.coverage import coverage
from programme import services as programme_services
from programme.models import ContentArea, Phase, Standard
from tests.coaching.factories import DialogueLogFactory, agreed_log
from tests.factories import staff
from tests.portfolio.factories import DAY, EnquiryFactory, EvidenceFactory, ReflectionFactory

pytestmark = pytest.mark.django_db


def area(n):
    return ContentArea.objects.get(number=n)


def phase(n):
    return Phase.objects.get(number=n)


def counts(found, area_number, phase_number):
    row = next(r for r in found.rows if r.area.number == area_number)
    return next(c for c in row.cells if c.phase.number == phase_number).counts


def test_each_cell_counts_the_records_of_its_content_area_and_phase(world):
    EvidenceFactory(enrolment=world.enrolment, content_areas=[area(1), area(2)])
    EvidenceFactory(enrolment=world.enrolment, content_areas=[area(1)])
    ReflectionFactory(enrolment=world.enrolment, content_areas=[area(1)])
    EnquiryFactory(enrolment=world.enrolment, content_areas=[area(2)], method="<p>Two classes.</p>")  # 2 sections
    agreed_log(enrolment=world.enrolment, coach=world.coach, content_areas=[area(1)])
    DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, content_areas=[area(1)])  # a draft: not counted
    found = coverage(world.participant, world.enrolment)
    assert counts(found, 1, 1) == {"evidence": 2, "reflections": 1, "enquiry_sections": 0, "logs": 1}
    assert counts(found, 2, 1) == {"evidence": 1, "reflections": 0, "enquiry_sections": 2, "logs": 0}
    assert counts(found, 1, 2) == {"evidence": 0, "reflections": 0, "enquiry_sections": 0, "logs": 0}


def test_the_gaps_are_named_up_to_the_current_phase_with_the_topics_to_look_at(world):
    EvidenceFactory(enrolment=world.enrolment, content_areas=[area(1)])
    ReflectionFactory(enrolment=world.enrolment, content_areas=[area(2)])
    found = coverage(world.participant, world.enrolment)
    assert found.gaps == [
        f"No evidence yet for content area 2 ({area(2).short_name}) in phase 1.",
        f"Nothing yet for content area 3 ({area(3).short_name}) in phase 1.",
        f"Nothing yet for content area 4 ({area(4).short_name}) in phase 1.",
    ]
    assert [row.area.number for row in found.next_topics] == [2, 3, 4]
    assert found.next_topics[1].topics == list(area(3).topics.all())


def test_a_coaching_session_counts_in_the_phase_the_participant_was_in_that_day(world):
    programme_services.phase_progress(enrolment=world.enrolment, to_phase=phase(2), by=world.leader, note="Ready")
    agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=DAY, content_areas=[area(3)])
    found = coverage(world.participant, world.enrolment)
    assert counts(found, 3, 1)["logs"] == 1
    assert counts(found, 3, 2)["logs"] == 0


def test_an_old_coach_counts_only_what_was_dated_in_their_time(world):
    new = staff(Role.COACH, world.school)
    programme_services.coach_assign(enrolment=world.enrolment, coach=new, starts_on=datetime.date(2026, 1, 5))
    EvidenceFactory(enrolment=world.enrolment, relates_to=DAY)
    EvidenceFactory(enrolment=world.enrolment, relates_to=datetime.date(2026, 2, 2))
    assert counts(coverage(world.coach, world.enrolment), 1, 1)["evidence"] == 1
    assert counts(coverage(new, world.enrolment), 1, 1)["evidence"] == 2


@pytest.mark.parametrize(("who", "status"), [("participant", 200), ("coach", 200), ("tutor", 200), ("head", 404)])
def test_the_coverage_page_is_for_the_participant_their_coach_and_tutor(client, world, who, status):
    EvidenceFactory(enrolment=world.enrolment, content_areas=[area(1)])
    client.force_login(world.person(who))
    response = client.get(reverse("portfolio:coverage", args=[world.enrolment.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert '<th scope="row" class="govuk-table__header">' in page
        assert "Evidence: 1" in page
        assert f"?area={area(1).pk}&amp;phase={phase(1).pk}" in page
        assert "Nothing yet for content area 2" in page


def test_the_leader_and_the_examiner_see_no_coverage(client, world):
    for who in ("leader", "examiner", "other_participant"):
        client.force_login(world.person(who))
        assert client.get(reverse("portfolio:coverage", args=[world.enrolment.pk])).status_code == 404


def test_the_coverage_page_asks_the_same_number_of_queries_for_few_and_many_records(client, world):
    url = reverse("portfolio:coverage", args=[world.enrolment.pk])

    def fill(start, count):
        for i in range(start, start + count):
            day = DAY + datetime.timedelta(days=i)
            areas = [area(1 + i % 4)]
            EvidenceFactory(enrolment=world.enrolment, relates_to=day, content_areas=areas)
            ReflectionFactory(enrolment=world.enrolment, written_on=day, content_areas=areas)
            EnquiryFactory(enrolment=world.enrolment, started_on=day, content_areas=areas)
            agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=day, content_areas=areas)

    client.force_login(world.coach)
    fill(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    fill(2, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


def test_each_standard_in_use_counts_its_evidence_and_agreed_sessions(client, world):
    standard = Standard.objects.filter(framework__is_active=True).first()
    evidence = EvidenceFactory(enrolment=world.enrolment)
    evidence.standards.set([standard])
    agreed_log(enrolment=world.enrolment, coach=world.coach, standards=[standard])
    DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, standards=[standard])  # a draft
    found = coverage(world.tutor, world.enrolment)
    counted = next(c for c in found.standards if c.standard == standard)
    assert (counted.evidence, counted.logs) == (1, 1)
    assert standard not in found.standards_without_evidence
    assert len(found.standards) == Standard.objects.filter(framework__is_active=True).count()
    client.force_login(world.participant)
    page = client.get(reverse("portfolio:coverage", args=[world.enrolment.pk])).content.decode()
    assert "Records by standard" in page
