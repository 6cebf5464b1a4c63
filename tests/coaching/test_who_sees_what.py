"""PRODUCT.md's "who sees what" rows for dialogue logs and the coach's private notes, for every
role, through the pages. A refused read is a 404 (the record's existence is not revealed); a
refused write on a record the person may see is a 403."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from coaching.models import AgreementStatus
from programme.models import CoachAssignment
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log, log_form_data, private_note
from tests.factories import staff

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "Draft-dialogue-words"
AGREED_TEXT = "Agreed-dialogue-words"
AGREED_FOCUS = "Agreed-focus-words"
REFLECTION = "Participant-reflection-words"
NOTE = "Coach-private-note-words"

EVERYONE = [
    "participant",
    "coach",
    "tutor",
    "head",
    "leader",
    "examiner",
    "stranger_coach",
    "other_head",
    "other_tutor",
    "other_participant",
]
FULL, SUMMARY, NOT_FOUND, FORBIDDEN = "full", "summary", 404, 403


@pytest.fixture
def records(world):
    draft = DialogueLogFactory(
        enrolment=world.enrolment, coach=world.coach, discussed=f"<p>{DRAFT_TEXT}</p>", focus="Draft-focus"
    )
    agreed = agreed_log(
        enrolment=world.enrolment,
        coach=world.coach,
        discussed=f"<p>{AGREED_TEXT}</p>",
        focus=AGREED_FOCUS,
        participant_reflection=REFLECTION,
    )
    private_note(agreed, NOTE)
    private_note(draft, NOTE)
    return {"draft": draft, "agreed": agreed}


def _get(client, person, url):
    client.force_login(person)
    return client.get(url)


# --- Reading a log.

LOG_READ = {
    "draft": {
        "participant": FULL,
        "coach": FULL,
        **{who: NOT_FOUND for who in EVERYONE if who not in ("participant", "coach")},
    },
    "agreed": {
        "participant": FULL,
        "coach": FULL,
        "tutor": FULL,
        "head": SUMMARY,
        "leader": SUMMARY,
        **dict.fromkeys(("examiner", "stranger_coach", "other_head", "other_tutor", "other_participant"), NOT_FOUND),
    },
}


@pytest.mark.parametrize(("state", "who"), [(s, w) for s in LOG_READ for w in EVERYONE])
def test_who_reads_a_log(client, world, records, state, who):
    log = records[state]
    text = DRAFT_TEXT if state == "draft" else AGREED_TEXT
    response = _get(client, world.person(who), reverse("coaching:log_detail", args=[log.pk]))
    expected = LOG_READ[state][who]
    if expected == NOT_FOUND:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.content.decode()
    if expected == FULL:
        assert text in body
    else:
        # Dates, duration, kind and content areas; never the text.
        assert "1 October 2025" in body
        assert "45 minutes" in body
        assert "Lesson observation and feedback" in body
        assert str(world.area) in body
        for words in (text, AGREED_FOCUS, REFLECTION, NOTE, "Clear routines"):
            assert words not in body


@pytest.mark.parametrize("who", EVERYONE)
def test_the_coach_private_note_is_seen_by_its_author_alone(client, world, records, who):
    for log in records.values():
        detail = _get(client, world.person(who), reverse("coaching:log_detail", args=[log.pk]))
        assert (NOTE in detail.content.decode()) is (who == "coach")
        note_page = _get(client, world.person(who), reverse("coaching:private_note", args=[log.pk]))
        assert note_page.status_code == (200 if who == "coach" else 404)


def test_another_coach_on_the_same_day_cannot_read_the_private_note(client, world, records):
    # Even someone the policy counts as a coach on the session's date is not the note's author:
    # they may keep a note of their own, and never see the first coach's.
    second = staff(Role.COACH, world.school)
    CoachAssignment.objects.create(
        enrolment=world.enrolment, coach=second, starts_on=world.enrolment.programme_started_on
    )
    log = records["agreed"]
    detail = _get(client, second, reverse("coaching:log_detail", args=[log.pk]))
    assert detail.status_code == 200
    assert NOTE not in detail.content.decode()
    own_note_page = _get(client, second, reverse("coaching:private_note", args=[log.pk]))
    assert NOTE not in own_note_page.content.decode()


# --- Lists: the timeline and the summary.


@pytest.mark.parametrize("who", EVERYONE)
def test_who_sees_what_on_the_timeline(client, world, records, who):
    response = _get(client, world.person(who), reverse("coaching:timeline", args=[world.enrolment.pk]))
    if who in ("participant", "coach"):
        body = response.content.decode()
        assert response.status_code == 200
        assert "Draft-focus" in body
        assert AGREED_FOCUS in body
    elif who == "tutor":
        body = response.content.decode()
        assert response.status_code == 200
        assert AGREED_FOCUS in body
        assert "Draft-focus" not in body
    elif who in ("head", "leader"):
        assert response.status_code == 302
        assert response.url == reverse("coaching:summary", args=[world.enrolment.pk])
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_the_summary_never_shows_text(client, world, records, who):
    response = _get(client, world.person(who), reverse("coaching:summary", args=[world.enrolment.pk]))
    if who in ("participant", "coach", "tutor", "head", "leader"):
        assert response.status_code == 200
        body = response.content.decode()
        assert "1 Oct 2025" in body
        assert "Lesson observation and feedback" in body
        assert "1 session, 45 minutes in all" in body  # the draft is not counted
        for words in (DRAFT_TEXT, AGREED_TEXT, AGREED_FOCUS, "Draft-focus", REFLECTION, NOTE):
            assert words not in body
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_who_sees_the_action_steps(client, world, records, who):
    action_step(records["draft"], description="Draft-step-words")
    action_step(records["agreed"], description="Agreed-step-words")
    response = _get(client, world.person(who), reverse("coaching:action_steps", args=[world.enrolment.pk]))
    body = response.content.decode()
    if who in ("participant", "coach"):
        assert "Draft-step-words" in body
        assert "Agreed-step-words" in body
    elif who == "tutor":
        assert "Agreed-step-words" in body
        assert "Draft-step-words" not in body
    elif who in ("head", "leader"):
        assert response.status_code == 200
        assert "step-words" not in body
    else:
        assert response.status_code == 404


# --- Writing.

WRITES = [
    # (page, state, who may, who may see but not)
    ("coaching:log_edit", "draft", {"coach"}, {"participant"}),
    ("coaching:action_step_create", "draft", {"coach"}, {"participant"}),
    ("coaching:log_respond", "awaiting", {"participant"}, {"coach"}),
    ("coaching:log_new_version", "agreed", {"coach"}, {"participant", "tutor", "head", "leader"}),
    ("coaching:log_versions", "agreed", {"coach", "participant", "tutor"}, {"head", "leader"}),
]


@pytest.mark.parametrize(("page", "state", "allowed", "forbidden"), WRITES)
@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_open_each_page_of_a_log(client, world, records, page, state, allowed, forbidden, who):
    if state == "awaiting":
        log = records["draft"]
        log.status = AgreementStatus.AWAITING_PARTICIPANT
        log.save()
    else:
        log = records[state]
    response = _get(client, world.person(who), reverse(page, args=[log.pk]))
    if who in allowed:
        assert response.status_code in (200, 302)
    elif who in forbidden:
        assert response.status_code == 403
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_coach_may_record_a_session(client, world, who):
    response = _get(client, world.person(who), reverse("coaching:log_create", args=[world.enrolment.pk]))
    expected = {"coach": 200, "participant": 403}.get(who, 404)
    assert response.status_code == expected


def test_a_participant_cannot_post_a_change_to_a_draft(client, world, records):
    log = records["draft"]
    client.force_login(world.participant)
    response = client.post(reverse("coaching:log_edit", args=[log.pk]), log_form_data(version=str(log.version)))
    assert response.status_code == 403
    log.refresh_from_db()
    assert DRAFT_TEXT in log.discussed


def test_the_examiner_sees_nothing_until_a_log_is_cited_in_a_sampled_assessment(client, world, records):
    for log in records.values():
        assert _get(client, world.examiner, reverse("coaching:log_detail", args=[log.pk])).status_code == 404
        assert _get(client, world.examiner, reverse("coaching:log_versions", args=[log.pk])).status_code == 404
