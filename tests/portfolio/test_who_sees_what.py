"""Who sees the portfolio (PRODUCT.md): the participant writes; their coach and tutor read; the head
and the programme leader see none of it; the external examiner nothing outside a sample. Reads and
writes, through the pages and the services, before, during and after each period."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from portfolio import services
from portfolio.models import Enquiry, Evidence, Reflection
from programme import services as programme_services
from tests.factories import SchoolFactory, UserFactory, enrol, staff
from tests.portfolio.factories import DAY, EnquiryFactory, EvidenceFactory, ReflectionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
CHANGE_DAY = D(2026, 1, 5)  # a new coach, tutor or school from this day
AFTER = D(2026, 2, 2)

READERS = ["participant", "coach", "tutor"]
NOBODY = ["head", "leader", "examiner", "stranger_coach", "other_head", "other_tutor", "other_participant"]


def records(enrolment, on=DAY) -> dict:
    return {
        "evidence": EvidenceFactory(enrolment=enrolment, relates_to=on, title=f"Evidence of {on}"),
        "reflection": ReflectionFactory(enrolment=enrolment, written_on=on, title=f"Reflection of {on}"),
        "enquiry": EnquiryFactory(enrolment=enrolment, started_on=on, title=f"Enquiry of {on}"),
    }


def read(client, person, record) -> int:
    client.force_login(person)
    return client.get(record.get_absolute_url()).status_code


EDIT = {
    "evidence": "portfolio:evidence_edit",
    "reflection": "portfolio:reflection_edit",
    "enquiry": "portfolio:enquiry_edit",
}
CREATE = {
    "evidence": "portfolio:evidence_create",
    "reflection": "portfolio:reflection_create",
    "enquiry": "portfolio:enquiry_create",
}


def write(client, person, record, kind) -> int:
    """Post a change to the record as `person`: the status, and whether the title changed."""
    client.force_login(person)
    data = {"version": str(record.version), "title": "Changed-by-someone", "written_on": DAY.isoformat()}
    return client.post(reverse(EDIT[kind], args=[record.pk]), data).status_code


def unchanged(record) -> bool:
    return type(record).objects.get(pk=record.pk).title == record.title


# --- During the periods.


@pytest.mark.parametrize("kind", ["evidence", "reflection", "enquiry"])
@pytest.mark.parametrize("who", READERS)
def test_participant_coach_and_tutor_read_every_kind_of_record(client, world, who, kind):
    record = records(world.enrolment)[kind]
    assert read(client, world.person(who), record) == 200
    home = client.get(reverse("portfolio:home", args=[world.enrolment.pk])).content.decode()
    assert record.title in home


@pytest.mark.parametrize("kind", ["evidence", "reflection", "enquiry"])
@pytest.mark.parametrize("who", NOBODY)
def test_head_leader_examiner_and_strangers_read_nothing(client, world, who, kind):
    record = records(world.enrolment)[kind]
    assert read(client, world.person(who), record) == 404
    assert client.get(reverse("portfolio:home", args=[world.enrolment.pk])).status_code == 404


@pytest.mark.parametrize("kind", ["evidence", "reflection", "enquiry"])
@pytest.mark.parametrize(("who", "status"), [("coach", 403), ("tutor", 403)] + [(who, 404) for who in NOBODY])
def test_only_the_participant_writes(client, world, who, kind, status):
    record = records(world.enrolment)[kind]
    assert write(client, world.person(who), record, kind) == status
    assert unchanged(record)
    before = type(record).objects.count()
    client.force_login(world.person(who))
    assert client.post(reverse(CREATE[kind], args=[world.enrolment.pk]), {"title": "Mine"}).status_code == status
    assert type(record).objects.count() == before


def test_coach_and_tutor_have_no_add_buttons_and_are_told_the_portfolio_is_read_only(client, world):
    records(world.enrolment)
    for who in ("coach", "tutor"):
        client.force_login(world.person(who))
        page = client.get(reverse("portfolio:home", args=[world.enrolment.pk])).content.decode()
        assert reverse("portfolio:evidence_create", args=[world.enrolment.pk]) not in page
        assert "Only they can change it." in page


@pytest.mark.parametrize("who", ["coach", "tutor", "head", "leader", "stranger_coach"])
def test_the_services_refuse_anyone_but_the_participant(world, who):
    found = records(world.enrolment)
    person = world.person(who)
    refused = PermissionDenied if who in ("coach", "tutor") else Http404
    content = services.EvidenceContent(kind="link", title="x", relates_to=DAY, phase_id=1, url="https://example.org")
    with pytest.raises(refused):
        services.evidence_create(by=person, enrolment=world.enrolment, content=content)
    with pytest.raises(refused):
        services.evidence_update(by=person, evidence=found["evidence"], version=1, content=content)
    reflection = services.ReflectionContent(written_on=DAY, title="x", body="x", phase_id=1)
    with pytest.raises(refused):
        services.reflection_update(by=person, reflection=found["reflection"], version=1, content=reflection)
    with pytest.raises(refused):
        services.enquiry_section_save(
            by=person, enquiry=found["enquiry"], section="data", version=1, content=services.SectionContent(text="x")
        )
    assert [Evidence.objects.count(), Reflection.objects.count(), Enquiry.objects.count()] == [1, 1, 1]


# --- Before and after a change of coach or tutor.


@pytest.fixture
def changed(world):
    new_coach = staff(Role.COACH, world.school)
    new_tutor = UserFactory(roles=[Role.TUTOR])
    programme_services.coach_assign(enrolment=world.enrolment, coach=new_coach, starts_on=CHANGE_DAY)
    programme_services.tutor_assign(enrolment=world.enrolment, tutor=new_tutor, starts_on=CHANGE_DAY)
    return {"new_coach": new_coach, "new_tutor": new_tutor}


@pytest.mark.parametrize("kind", ["evidence", "reflection", "enquiry"])
@pytest.mark.parametrize("who", ["coach", "tutor"])
def test_an_old_coach_or_tutor_keeps_what_was_dated_in_their_time_and_sees_nothing_after(
    client, world, changed, who, kind
):
    before, after = records(world.enrolment, DAY)[kind], records(world.enrolment, AFTER)[kind]
    person = world.person(who)
    assert read(client, person, before) == 200
    assert read(client, person, after) == 404
    home = client.get(reverse("portfolio:home", args=[world.enrolment.pk])).content.decode()
    assert before.title in home
    assert after.title not in home
    assert write(client, person, before, kind) == 403


@pytest.mark.parametrize("kind", ["evidence", "reflection", "enquiry"])
@pytest.mark.parametrize("who", ["new_coach", "new_tutor"])
def test_a_new_coach_or_tutor_reads_the_portfolio_from_before_their_time_and_changes_none_of_it(
    client, world, changed, who, kind
):
    before, after = records(world.enrolment, DAY)[kind], records(world.enrolment, AFTER)[kind]
    person = changed[who]
    assert read(client, person, before) == 200
    assert read(client, person, after) == 200
    assert write(client, person, before, kind) == 403
    assert write(client, person, after, kind) == 403
    assert unchanged(before)
    assert unchanged(after)


# --- A move of school: the portfolio goes with the participant; no head ever reads it.


def test_after_a_move_the_participant_keeps_writing_and_no_head_reads_anything(client, world):
    new_school = SchoolFactory()
    new_head = staff(Role.HEAD, new_school)
    new_coach = staff(Role.COACH, new_school)
    programme_services.school_move(
        enrolment=world.enrolment, new_school=new_school, moves_on=CHANGE_DAY, new_coach=new_coach
    )
    before, after = records(world.enrolment, DAY), records(world.enrolment, AFTER)
    for kind in ("evidence", "reflection", "enquiry"):
        for head in (world.head, new_head):
            assert read(client, head, before[kind]) == 404
            assert read(client, head, after[kind]) == 404
        assert read(client, world.coach, after[kind]) == 404
        assert read(client, new_coach, before[kind]) == 200
        assert read(client, world.participant, before[kind]) == 200
    client.force_login(world.participant)
    assert write(client, world.participant, before["reflection"], "reflection") == 200  # the form again: body missing
    response = client.get(reverse("portfolio:evidence_edit", args=[before["evidence"].pk]))
    assert response.status_code == 200


def test_a_coach_whose_period_has_not_begun_reads_nothing_yet(client, world):
    today = timezone.localdate()
    enrolment = enrol(world.school, starts_on=today - datetime.timedelta(days=60))
    later = staff(Role.COACH, world.school)
    programme_services.coach_assign(enrolment=enrolment, coach=later, starts_on=today + datetime.timedelta(days=30))
    found = records(enrolment, today - datetime.timedelta(days=10))
    for kind in ("evidence", "reflection", "enquiry"):
        assert read(client, later, found[kind]) == 404
    assert client.get(reverse("portfolio:home", args=[enrolment.pk])).status_code == 404
