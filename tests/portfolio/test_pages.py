"""The portfolio's pages: reached from the participant's home and the coaching pages, filtered with
GET parameters, paginated, and with a number of queries that does not grow with the records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from portfolio.models import Enquiry, Evidence, Reflection
from programme.models import ContentArea, Phase, Standard, Topic
from tests.coaching.factories import agreed_log
from tests.portfolio.factories import DAY, EnquiryFactory, EvidenceFactory, ReflectionFactory, cite

pytestmark = pytest.mark.django_db


def test_the_participant_finds_their_portfolio_from_their_home_and_the_portfolio_link(client, world):
    client.force_login(world.participant)
    home = reverse("portfolio:home", args=[world.enrolment.pk])
    assert home in client.get(reverse("tracking:participant_home")).content.decode()
    assert client.get(reverse("portfolio:index")).url == home


def test_the_menu_offers_participants_their_portfolio_and_nobody_else(client, world):
    client.force_login(world.participant)
    assert 'href="/portfolio/"' in client.get(reverse("tracking:participant_home")).content.decode()
    client.force_login(world.coach)
    assert 'href="/portfolio/"' not in client.get(reverse("tracking:coach_home")).content.decode()


def test_coach_and_tutor_reach_the_portfolio_from_the_coaching_timeline(client, world):
    for who in ("coach", "tutor"):
        client.force_login(world.person(who))
        page = client.get(reverse("coaching:timeline", args=[world.enrolment.pk])).content.decode()
        assert reverse("portfolio:home", args=[world.enrolment.pk]) in page


def test_someone_with_no_portfolio_of_their_own_gets_404_from_the_index(client, world):
    client.force_login(world.coach)
    assert client.get(reverse("portfolio:index")).status_code == 404


def test_the_portfolio_is_filtered_by_content_area_and_phase(client, world):
    area1, area2 = ContentArea.objects.get(number=1), ContentArea.objects.get(number=2)
    phase1, phase2 = Phase.objects.get(number=1), Phase.objects.get(number=2)
    EvidenceFactory(enrolment=world.enrolment, title="Area-one-phase-one", content_areas=[area1], phase=phase1)
    EvidenceFactory(enrolment=world.enrolment, title="Area-two-phase-one", content_areas=[area2], phase=phase1)
    ReflectionFactory(enrolment=world.enrolment, title="Reflection-area-two", content_areas=[area2], phase=phase2)
    EnquiryFactory(enrolment=world.enrolment, title="Enquiry-area-one", content_areas=[area1], phase=phase2)
    client.force_login(world.participant)
    url = reverse("portfolio:home", args=[world.enrolment.pk])

    page = client.get(url, {"area": area2.pk}).content.decode()
    assert "Area-two-phase-one" in page
    assert "Reflection-area-two" in page
    assert "Area-one-phase-one" not in page
    assert "Enquiry-area-one" not in page

    page = client.get(url, {"phase": phase2.pk}).content.decode()
    assert "Reflection-area-two" in page
    assert "Enquiry-area-one" in page
    assert "Area-one-phase-one" not in page
    assert "Area-two-phase-one" not in page

    page = client.get(url, {"area": area1.pk, "phase": phase1.pk}).content.decode()
    assert "Area-one-phase-one" in page
    assert "Show everything" in page


def test_a_nonsense_filter_shows_everything_and_the_form_says_why(client, world):
    EvidenceFactory(enrolment=world.enrolment, title="Still-here")
    client.force_login(world.participant)
    page = client.get(reverse("portfolio:home", args=[world.enrolment.pk]), {"area": "banana"}).content.decode()
    assert "Still-here" in page
    assert "govuk-error-message" in page


def test_each_list_pages_on_its_own_and_keeps_the_filter(client, world):
    for i in range(12):
        EvidenceFactory(
            enrolment=world.enrolment, title=f"Evidence-{i:02}", relates_to=DAY - datetime.timedelta(days=i)
        )
    client.force_login(world.participant)
    url = reverse("portfolio:home", args=[world.enrolment.pk])
    area = ContentArea.objects.get(number=1).pk
    first = client.get(url, {"area": area}).content.decode()
    assert "Evidence-00" in first
    assert "Evidence-11" not in first
    assert f"area={area}&amp;evidence_page=2" in first
    second = client.get(url, {"area": area, "evidence_page": 2}).content.decode()
    assert "Evidence-11" in second
    assert "Evidence-00" not in second


# --- Query counts: flat with few and many records.


def _fill(world, count: int, start: int) -> None:
    areas = list(ContentArea.objects.all()[:2])
    topics = list(Topic.objects.all()[:2])
    standards = list(Standard.objects.all()[:2])
    for i in range(start, start + count):
        day = DAY + datetime.timedelta(days=i)
        log = agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=day)
        evidence = EvidenceFactory(enrolment=world.enrolment, relates_to=day, content_areas=areas, logs=[log])
        evidence.topics.set(topics)
        evidence.standards.set(standards)
        ReflectionFactory(
            enrolment=world.enrolment, written_on=day, content_areas=areas, logs=[log], evidence=[evidence]
        )
        enquiry = EnquiryFactory(enrolment=world.enrolment, started_on=day, content_areas=areas)
        cite(enquiry, "method", evidence=evidence)
        cite(enquiry, "data", log=log)


def _count(client, person, url) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["participant", "coach", "tutor"])
def test_the_portfolio_home_asks_the_same_number_of_queries_for_2_and_25_records(client, world, who):
    url = reverse("portfolio:home", args=[world.enrolment.pk])
    _fill(world, 2, start=0)
    few = _count(client, world.person(who), url)
    _fill(world, 23, start=2)
    many = _count(client, world.person(who), url)
    assert few == many
    assert many < 30


@pytest.mark.parametrize("who", ["participant", "coach", "tutor"])
@pytest.mark.parametrize("page", ["evidence", "reflection", "enquiry", "log"])
def test_each_record_page_asks_the_same_number_of_queries_for_few_and_many_links(client, world, who, page):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    evidence = EvidenceFactory(enrolment=world.enrolment, logs=[log])
    reflection = ReflectionFactory(enrolment=world.enrolment, logs=[log], evidence=[evidence])
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    cite(enquiry, "data", log=log)
    urls = {
        "evidence": evidence.get_absolute_url(),
        "reflection": reflection.get_absolute_url(),
        "enquiry": enquiry.get_absolute_url(),
        "log": reverse("coaching:log_detail", args=[log.pk]),
    }
    few = _count(client, world.person(who), urls[page])
    for i in range(1, 8):
        other_log = agreed_log(
            enrolment=world.enrolment, coach=world.coach, session_on=DAY + datetime.timedelta(days=i)
        )
        other = EvidenceFactory(enrolment=world.enrolment, logs=[log, other_log])
        evidence.logs.add(other_log)
        ReflectionFactory(enrolment=world.enrolment, logs=[log], evidence=[evidence, other])
        reflection.logs.add(other_log)
        reflection.evidence.add(other)
        cite(enquiry, "method", evidence=other)
        cite(enquiry, "findings", log=other_log)
        cite(EnquiryFactory(enrolment=world.enrolment), "analysis", log=log)
    many = _count(client, world.person(who), urls[page])
    assert few == many


# --- Links both ways.


def test_an_agreed_log_shows_the_portfolio_records_that_cite_it(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    evidence = EvidenceFactory(enrolment=world.enrolment, title="Cites-the-log", logs=[log])
    reflection = ReflectionFactory(enrolment=world.enrolment, title="Draws-on-the-log", logs=[log])
    enquiry = EnquiryFactory(enrolment=world.enrolment, title="Enquiry-citing-the-log")
    cite(enquiry, "findings", log=log)
    EvidenceFactory(enrolment=world.enrolment, title="Cites-nothing")
    for who in ("participant", "coach", "tutor"):
        client.force_login(world.person(who))
        page = client.get(reverse("coaching:log_detail", args=[log.pk])).content.decode()
        assert "Cited in the portfolio" in page
        assert evidence.get_absolute_url() in page
        assert reflection.get_absolute_url() in page
        assert enquiry.get_absolute_url() in page
        assert "section Findings" in page
        assert "Cites-nothing" not in page


def test_the_head_sees_a_logs_summary_and_none_of_the_portfolio_that_cites_it(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    EvidenceFactory(enrolment=world.enrolment, title="Private-to-the-portfolio", logs=[log])
    client.force_login(world.head)
    page = client.get(reverse("coaching:log_detail", args=[log.pk])).content.decode()
    assert "Private-to-the-portfolio" not in page
    assert "Cited in the portfolio" not in page


def test_a_coach_sees_on_the_log_only_the_citing_records_they_may_read(client, world):
    from programme import services as programme_services
    from tests.factories import staff

    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    new_coach = staff("coach", world.school)
    programme_services.coach_assign(enrolment=world.enrolment, coach=new_coach, starts_on=datetime.date(2026, 1, 5))
    EvidenceFactory(enrolment=world.enrolment, title="Dated-in-old-coach-time", logs=[log])
    EvidenceFactory(
        enrolment=world.enrolment, title="Dated-after-the-change", logs=[log], relates_to=datetime.date(2026, 2, 2)
    )
    client.force_login(world.coach)
    page = client.get(reverse("coaching:log_detail", args=[log.pk])).content.decode()
    assert "Dated-in-old-coach-time" in page
    assert "Dated-after-the-change" not in page


@pytest.mark.parametrize("who", ["coach", "tutor"])
def test_each_record_listed_on_the_home_to_a_coach_or_tutor_is_an_audited_read_of_its_summary(client, world, who):
    _fill(world, 2, start=0)
    client.force_login(world.person(who))
    assert client.get(reverse("portfolio:home", args=[world.enrolment.pk])).status_code == 200
    listed = [*Evidence.objects.all(), *Reflection.objects.all(), *Enquiry.objects.all()]
    reads = set(
        AuditEvent.objects.filter(action=AuditAction.READ_SUMMARY, actor_id=world.person(who).pk).values_list(
            "record_kind", "record_id"
        )
    )
    assert reads == {(f"portfolio.{type(r).__name__.lower()}", str(r.pk)) for r in listed}


def test_the_participant_reading_their_own_portfolio_home_is_not_audited(client, world):
    _fill(world, 2, start=0)
    client.force_login(world.participant)
    client.get(reverse("portfolio:home", args=[world.enrolment.pk]))
    assert not AuditEvent.objects.filter(action__in=[AuditAction.READ, AuditAction.READ_SUMMARY]).exists()
