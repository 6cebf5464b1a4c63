"""Dialogue guides: the handbook's guides for coaching conversations, offered beside the "record a
session" form for the content areas in play; a log names the guide it used, shown to those who read
the log; a guide's page lists the sessions that used it, only those the person may read."""

import pytest
from django.urls import reverse

from coaching.models import DialogueLog, InitialDiagnosis, LearningGoal, LearningPlan
from handbook.demo import seed_handbook
from handbook.demo_guides import GUIDES
from handbook.models import DialogueGuideIndexPage, DialogueGuidePage
from programme.models import ContentArea
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, agreed_log, log_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides(db):
    seed_handbook()
    return {g.slug: g for g in DialogueGuidePage.objects.live()}


def beside_the_form(page: str) -> str:
    """The list of guides beside the form (the form's own choice offers every guide)."""
    return page.split('id="guides-heading"')[1].split("</aside>")[0]


def area(number) -> ContentArea:
    return ContentArea.objects.get(number=number)


def test_six_demo_guides_cover_every_content_area_each_with_its_parts(guides):
    assert len(guides) == len(GUIDES) == 6
    covered = {a.number for g in guides.values() for a in g.content_areas.all()}
    assert covered == {1, 2, 3, 4}
    for guide in guides.values():
        assert guide.summary
        assert guide.why_it_matters
        assert guide.key_questions
        assert guide.discussion
        assert guide.resources
        assert guide.topics.exists(), guide.title
    seed_handbook()  # a second run adds nothing
    assert DialogueGuidePage.objects.count() == 6


def test_a_guide_page_shows_its_topic_questions_discussion_and_resources(client, guides):
    guide = guides["calm-starts"]
    page = client.get(guide.url).content.decode()
    for heading in ("Why it matters", "Key questions to ask", "Discussion", "Resources to act on"):
        assert heading in page
    assert "Behaviour management" in page
    assert "Sessions that used this guide" not in page


def test_the_guides_index_filters_by_content_area_without_javascript(client, guides):
    index = DialogueGuideIndexPage.objects.get()
    page = client.get(index.url, {"area": str(area(4).pk)}).content.decode()
    assert guides["working-with-a-teaching-assistant"].title in page
    assert guides["calm-starts"].title not in page
    assert guides["calm-starts"].title in client.get(index.url).content.decode()
    assert client.get(index.url, {"area": "x"}).status_code == 200


def test_the_record_a_session_form_offers_the_guides_for_the_participants_learning_goals(client, world, guides):
    diagnosis = InitialDiagnosis.objects.create(enrolment=world.enrolment, coach=world.coach, held_on=SESSION_DAY)
    plan = LearningPlan.objects.create(enrolment=world.enrolment, diagnosis=diagnosis)
    LearningGoal.objects.create(plan=plan, content_area=area(3), goal="Calmer starts", target_on=SESSION_DAY)
    client.force_login(world.coach)
    page = beside_the_form(client.get(reverse("coaching:log_create", args=[world.enrolment.pk])).content.decode())
    assert guides["calm-starts"].title in page
    assert guides["working-with-a-teaching-assistant"].title not in page
    assert f"?area={area(3).pk}" in page  # the index, filtered, for the areas in play


def test_the_form_offers_guides_for_the_content_areas_ticked_when_it_comes_back(client, world, guides):
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:log_create", args=[world.enrolment.pk]),
        log_form_data(duration_minutes="", content_areas=[str(area(4).pk)]),
    )
    page = beside_the_form(response.content.decode())
    assert response.status_code == 200
    assert guides["working-with-a-teaching-assistant"].title in page
    assert guides["calm-starts"].title not in page


def test_a_coach_records_which_guide_the_session_used(client, world, guides):
    guide = guides["who-is-doing-the-thinking"]
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:log_create", args=[world.enrolment.pk]), log_form_data(guide=str(guide.pk))
    )
    assert response.status_code == 302
    log = DialogueLog.objects.get()
    assert log.guide == guide
    assert guide.title in client.get(reverse("coaching:log_detail", args=[log.pk])).content.decode()
    client.force_login(world.participant)
    assert guide.title in client.get(reverse("coaching:log_detail", args=[log.pk])).content.decode()
    client.force_login(world.coach)
    edit = client.get(reverse("coaching:log_edit", args=[log.pk])).content.decode()
    assert f'<option value="{guide.pk}" selected>' in edit


def test_a_guide_that_is_not_published_is_refused_beside_the_field_and_the_text_kept(client, world, guides):
    guide = guides["calm-starts"]
    guide.unpublish()
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:log_create", args=[world.enrolment.pk]),
        log_form_data(guide=str(guide.pk), focus="Starts of lessons"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page or "not a published guide" in page
    assert "Starts of lessons" in page
    assert not DialogueLog.objects.exists()


def test_the_head_sees_no_guide_on_the_session_summary(client, world, guides):
    guide = guides["calm-starts"]
    log = agreed_log(enrolment=world.enrolment, coach=world.coach, guide=guide)
    client.force_login(world.head)
    page = client.get(reverse("coaching:log_detail", args=[log.pk])).content.decode()
    assert guide.title not in page


def test_a_guide_lists_the_sessions_that_used_it_only_to_those_who_may_read_them(client, world, guides):
    guide = guides["calm-starts"]
    agreed = agreed_log(enrolment=world.enrolment, coach=world.coach, guide=guide)
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, guide=guide)
    link = reverse("coaching:log_detail", args=[agreed.pk])
    draft_link = reverse("coaching:log_detail", args=[draft.pk])

    def seen(person) -> str:
        if person is None:
            client.logout()
        else:
            client.force_login(person)
        return client.get(guide.url).content.decode()

    coach_page = seen(world.coach)
    assert "Sessions that used this guide" in coach_page
    assert link in coach_page
    assert draft_link in coach_page
    tutor_page = seen(world.tutor)  # reads the agreed log, never the draft
    assert link in tutor_page
    assert draft_link not in tutor_page
    for person in (None, world.stranger_coach, world.head, world.leader, world.other_participant):
        page = seen(person)
        assert link not in page, person
        assert "Sessions that used this guide" not in page, person


def test_a_guides_page_costs_the_same_however_many_sessions_used_it(
    client, world, guides, django_assert_max_num_queries
):
    guide = guides["calm-starts"]
    agreed_log(enrolment=world.enrolment, coach=world.coach, guide=guide)
    client.force_login(world.coach)
    client.get(guide.url)
    with django_assert_max_num_queries(40) as few:
        client.get(guide.url)
    for _ in range(8):
        agreed_log(enrolment=world.enrolment, coach=world.coach, guide=guide)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(guide.url)
