"""Learning opportunities the coach arranges (Q9 b, c); what was learned links to a session."""

import datetime

import pytest
from django.urls import reverse

from coaching.models import LearningOpportunity
from tests.coaching.factories import DialogueLogFactory, agreed_log

pytestmark = pytest.mark.django_db


def _arrange(client, world, **overrides):
    client.force_login(world.coach)
    data = {
        "kind": "observing",
        "description": "Observe Ms Okafor's Year 9 science lesson: questioning",
        "happens_on": "2025-10-08",
        **overrides,
    }
    return client.post(reverse("coaching:opportunities", args=[world.enrolment.pk]), data)


def test_coach_arranges_an_opportunity_and_records_what_was_learned(client, world):
    assert _arrange(client, world).status_code == 302
    opportunity = LearningOpportunity.objects.get()
    assert opportunity.arranged_by == world.coach
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=datetime.date(2025, 10, 9))
    response = client.post(
        reverse("coaching:opportunity_learning", args=[opportunity.pk]),
        {"what_was_learned": "Cold calling after think time", "log": log.pk},
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.log == log
    client.force_login(world.participant)
    page = client.get(reverse("coaching:opportunities", args=[world.enrolment.pk])).content.decode()
    assert "Cold calling after think time" in page
    assert "Arrange an opportunity" not in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": " "}, "description", "Describe the opportunity"),
        ({"happens_on": "2025-01-10"}, "happens_on", "No programme activity can happen before the summer term"),
        ({"happens_on": "2030-01-10"}, "happens_on", "first five years of teaching"),
    ],
)
def test_a_bad_opportunity_is_refused_and_nothing_saved(client, world, overrides, field, message):
    response = _arrange(client, world, **overrides)
    body = response.content.decode()
    assert f'id="id_{field}-error-1"' in body
    assert message in body
    assert LearningOpportunity.objects.count() == 0


def test_learning_cannot_be_recorded_before_the_opportunity_happens(client, world):
    _arrange(client, world, happens_on="2029-06-01")
    opportunity = LearningOpportunity.objects.get()
    response = client.post(
        reverse("coaching:opportunity_learning", args=[opportunity.pk]), {"what_was_learned": "Too soon"}
    )
    assert "record what was learned after it" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.what_was_learned == ""


@pytest.mark.parametrize(
    ("who", "unlinked", "linked_to_agreed"),
    [
        ("participant", True, True),
        ("coach", True, True),
        ("tutor", False, True),
        ("head", False, False),
        ("leader", False, False),
        ("stranger_coach", None, None),
    ],
)
def test_who_sees_an_opportunity(client, world, who, unlinked, linked_to_agreed):
    _arrange(client, world)
    opportunity = LearningOpportunity.objects.get()
    url = reverse("coaching:opportunities", args=[world.enrolment.pk])
    client.force_login(world.person(who))
    response = client.get(url)
    if unlinked is None:
        assert response.status_code == 404
        return
    assert ("Ms Okafor" in response.content.decode()) is unlinked
    opportunity.log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    opportunity.save()
    assert ("Ms Okafor" in client.get(url).content.decode()) is linked_to_agreed


def test_only_the_coach_arranges(client, world):
    client.force_login(world.participant)
    response = client.post(
        reverse("coaching:opportunities", args=[world.enrolment.pk]),
        {"kind": "observing", "description": "x", "happens_on": "2025-10-08"},
    )
    assert response.status_code == 403
    assert LearningOpportunity.objects.count() == 0


# --- Issue 8.2: the sessions offered are those the policy lets this person read.


def _new_coach_takes_over(world):
    from accounts.roles import Role
    from programme import services as programme_services
    from tests.factories import staff

    new = staff(Role.COACH, world.school)
    programme_services.coach_assign(enrolment=world.enrolment, coach=new, starts_on=datetime.date(2025, 11, 1))
    opportunity = LearningOpportunity.objects.create(
        enrolment=world.enrolment,
        arranged_by=new,
        kind="observing",
        description="Observe the head of science",
        happens_on=datetime.date(2025, 11, 10),
    )
    return new, opportunity


def test_a_new_coach_is_offered_the_agreed_sessions_but_not_the_former_coachs_drafts(client, world):
    agreed = agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=datetime.date(2025, 10, 1))
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=datetime.date(2025, 10, 20))
    new, opportunity = _new_coach_takes_over(world)
    client.force_login(new)
    page = client.get(reverse("coaching:opportunity_learning", args=[opportunity.pk])).content.decode()
    assert f'<option value="{agreed.pk}"' in page
    assert f'<option value="{draft.pk}"' not in page
    assert str(draft) not in page  # its date and kind are not even named


def test_a_posted_session_the_person_may_not_read_is_refused_beside_the_field(client, world):
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=datetime.date(2025, 10, 20))
    new, opportunity = _new_coach_takes_over(world)
    client.force_login(new)
    response = client.post(
        reverse("coaching:opportunity_learning", args=[opportunity.pk]),
        {"what_was_learned": "Questions that wait for every hand", "log": draft.pk},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_log-error-1"' in body
    assert "Choose one of the sessions in the list." in body
    assert "Questions that wait for every hand" in body  # what was typed is kept
    opportunity.refresh_from_db()
    assert opportunity.log is None
    assert opportunity.what_was_learned == ""


def test_the_service_refuses_a_session_the_person_may_not_read(world):
    from coaching import services
    from ui.errors import RuleError

    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=datetime.date(2025, 10, 20))
    new, opportunity = _new_coach_takes_over(world)
    with pytest.raises(RuleError) as refused:
        services.learning_opportunity_record_learning(
            opportunity=opportunity, by=new, what_was_learned="Something", log=draft
        )
    assert "log" in refused.value.errors
    opportunity.refresh_from_db()
    assert opportunity.log is None
