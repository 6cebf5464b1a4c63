"""Feed-forward: the points a tutor writes (one a line) appear, once released, on the participant's
next submission, where they say how they addressed each; the answers are frozen with the work and
the next marker reads both."""

import pytest
from django.urls import reverse

from assessment.models import FeedForwardResponse
from assessment.rules.feed_forward import MAX_POINTS, points, too_many_points
from assessment.selectors.feed_forward import feed_forward_for
from assessment.services import marking as marking_services
from assessment.services.marking import OverallContent
from assessment.services.submissions import STALE_FEED_FORWARD
from tests.assessment.referral import FEED_FORWARD, ReferralWorld, referred_world
from tests.assessment.submissions.helpers import open_task
from ui.errors import RuleError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


# --- The rule: a point a line.


def test_each_line_is_a_point_and_list_markers_and_blank_lines_are_dropped():
    text = "- Widen the sample.\n\n* Read Rowe (1974).\n• Ask the pupils.\n2) Time the pauses.\n  Plain line  \n"
    assert points(text) == [
        "Widen the sample.",
        "Read Rowe (1974).",
        "Ask the pupils.",
        "Time the pauses.",
        "Plain line",
    ]


def test_feed_forward_written_as_one_paragraph_stays_one_point():
    assert points("Widen the sample, and weigh other explanations.") == [
        "Widen the sample, and weigh other explanations."
    ]
    assert points("") == []


def test_at_most_ten_points():
    assert too_many_points("\n".join(f"Point {n}" for n in range(MAX_POINTS))) is None
    assert "this has 11" in too_many_points("\n".join(f"Point {n}" for n in range(MAX_POINTS + 1)))


def test_the_tutor_is_refused_more_than_ten_points_beside_the_field(db):
    from tests.assessment.marking.helpers import marking_world

    world = marking_world()
    marking = world.start()
    with pytest.raises(RuleError) as refused:
        marking_services.marking_overall_save(
            by=world.tutor,
            marking=marking,
            version=marking.version,
            content=OverallContent(feed_forward="\n".join(f"Point {n}" for n in range(12))),
        )
    assert (refused.value.rule, refused.value.field) == ("too_many_points", "feed_forward")


# --- Which feed-forward the next work answers.


@pytest.fixture
def world() -> ReferralWorld:
    return referred_world()


def test_the_next_submission_answers_the_latest_released_feed_forward(world):
    found = feed_forward_for(world.participant, world.enrolment, world.task)
    assert found.marking == world.referral
    assert found.points == ["Widen the sample beyond one class.", "Weigh other explanations for the change."]
    other_task = open_task(world.enrolment)  # the next task of the same phase
    assert feed_forward_for(world.participant, world.enrolment, other_task).marking == world.referral


def test_feed_forward_not_yet_released_is_not_shown(db):
    from tests.assessment.marking.helpers import marking_world

    world = marking_world()
    world.ready()  # marked, with feed-forward, ready for release but not released
    assert feed_forward_for(world.participant, world.enrolment, open_task(world.enrolment)) is None


def test_a_result_without_feed_forward_asks_nothing(db):
    world = referred_world(feed_forward="")
    assert feed_forward_for(world.participant, world.enrolment, world.task) is None


# --- Answering it, frozen with the work.


def test_submitting_without_answering_each_point_is_refused_beside_the_point(world):
    draft = world.start_resubmission()
    with pytest.raises(RuleError) as refused:
        world.submit(
            version=draft.version, feed_forward=("Added a class.", "  "), feed_forward_marking_id=world.referral.pk
        )
    assert list(refused.value.errors) == ["feed_forward_2"]
    assert "point 2" in refused.value.errors["feed_forward_2"][0]


def test_a_draft_keeps_answers_half_written(world):
    draft = world.start_resubmission()
    draft = world.save(
        version=draft.version, feed_forward=("Added a class.", ""), feed_forward_marking_id=world.referral.pk
    )
    assert [(a.number, a.response) for a in draft.feed_forward_responses.all()] == [(1, "Added a class."), (2, "")]


def test_answers_to_a_feed_forward_since_replaced_are_refused_and_kept(world):
    draft = world.start_resubmission()
    with pytest.raises(RuleError) as refused:
        world.save(version=draft.version, feed_forward=("a", "b"), feed_forward_marking_id=world.referral.pk + 999)
    assert refused.value.errors["feed_forward_1"] == [STALE_FEED_FORWARD]


def test_the_points_and_answers_are_frozen_with_the_submission(world):
    resubmission = world.resubmit()
    answers = list(resubmission.feed_forward_responses.all())
    assert [(a.number, a.point, a.response, a.marking_id) for a in answers] == [
        (1, "Widen the sample beyond one class.", "Added a second class.", world.referral.pk),
        (2, "Weigh other explanations for the change.", "Compared with the autumn term.", world.referral.pk),
    ]
    # An amendment of the earlier feed-forward after the work was submitted changes nothing frozen.
    marking_services.marking_overall_save(
        by=world.tutor,
        marking=world.referral,
        version=world.referral.version,
        content=OverallContent(outcome="refer", feed_forward="A different point."),
        reason="Clearer wording.",
    )
    assert (
        FeedForwardResponse.objects.get(submission=resubmission, number=1).point == "Widen the sample beyond one class."
    )


# --- Pages.


def test_the_builder_shows_each_point_and_keeps_what_was_typed_when_refused(client, world):
    world.start_resubmission()
    client.force_login(world.participant)
    url = reverse("assessment:build", args=[world.task.pk])
    page = client.get(url).content.decode()
    assert "Feed-forward from your last result" in page
    assert "Widen the sample beyond one class." in page
    data = {
        "action": "submit",
        "version": str(world.submission.resubmissions.get().version),
        "feed_forward_marking": str(world.referral.pk),
        "commentary": "Two classes now.",
        "logs": [str(world.log.pk)],
        "feed_forward_1": "Typed answer kept",
        "feed_forward_2": "",
    }
    page = client.post(url, data).content.decode()
    assert "Say how you addressed point 2 before you submit." in page
    assert "Typed answer kept" in page
    assert 'href="#id_feed_forward_2"' in page


def test_the_next_marker_reads_each_point_with_its_answer(client, world):
    resubmission = world.resubmit()
    client.force_login(world.tutor)
    page = client.get(reverse("marking:workspace", args=[resubmission.pk])).content.decode()
    assert "Feed-forward answered" in page
    assert "Weigh other explanations for the change." in page
    assert "Compared with the autumn term." in page
    client.force_login(world.participant)
    page = client.get(resubmission.get_absolute_url()).content.decode()
    assert "Compared with the autumn term." in page


def test_the_head_never_reads_the_answers(client, world):
    resubmission = world.resubmit()
    client.force_login(world.head)
    page = client.get(resubmission.get_absolute_url()).content.decode()
    assert "Compared with the autumn term." not in page


def test_existing_feed_forward_text_reads_as_points(world):
    assert FEED_FORWARD.count("\n\n") == 1
    assert len(points(world.referral.feed_forward)) == 2


def test_the_builder_costs_the_same_with_few_and_many_points_answered(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("assessment:build", args=[world.task.pk])).status_code == 200
        return len(queries)

    draft = world.start_resubmission()
    world.save(version=draft.version, feed_forward=("a", "b"), feed_forward_marking_id=world.referral.pk)
    client.force_login(world.participant)
    few = count()
    many = "\n".join(f"Point {n}" for n in range(1, 11))
    marking_services.marking_overall_save(
        by=world.tutor,
        marking=world.referral,
        version=world.referral.version,
        content=OverallContent(outcome="refer", feed_forward=many),
        reason="Each point on its own line.",
    )
    draft.refresh_from_db()
    draft = world.save(version=draft.version, feed_forward=("x",) * 10, feed_forward_marking_id=world.referral.pk)
    assert draft.feed_forward_responses.count() == 10
    assert count() == few
