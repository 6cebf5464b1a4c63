"""The weekly digest to heads and programme leaders: what it says, what it never says, sent once a
week however often it runs, turned off by the person, and a head's only about their own school."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from assessment.models import Marking
from assessment.rules.marks import Outcome
from coaching.models import ReminderKind, SentReminder
from coaching.services.preferences import reminder_preferences_save
from tests.assessment.factories import AssessmentTaskFactory
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.tracking.factories import result, submit
from tests.tracking.test_privacy import MARKER
from tests.tracking.test_privacy import _seed as seed_every_kind_of_text
from tracking import digest, tasks
from tracking.digest import Week

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WEEK = Week.before(TODAY)


def _during_week(days: int) -> datetime.date:
    return WEEK.starts_on + datetime.timedelta(days=days)


def _supported(school, *, name: str):
    """A participant with a coach and a tutor and an agreed session last week: not at risk."""
    first, last = name.split()
    enrolment = enrol(school, participant=UserFactory(first_name=first, last_name=last, roles=[Role.PARTICIPANT]))
    coach = staff(Role.COACH, school)
    assign_coach(enrolment, coach)
    assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR]))
    agreed_log(enrolment=enrolment, coach=coach, session_on=_during_week(1))
    return enrolment


def _unsupported(school, *, name: str):
    """Nobody coaches or assesses them, and no session held: at risk for three reasons."""
    first, last = name.split()
    return enrol(school, participant=UserFactory(first_name=first, last_name=last, roles=[Role.PARTICIPANT]))


def _released_last_week(enrolment, outcome: str):
    task = AssessmentTaskFactory(cohort=enrolment.cohort)
    submission = submit(enrolment, task, on=_during_week(2))
    marking = result(submission, outcome)
    released_at = timezone.make_aware(datetime.datetime.combine(_during_week(4), datetime.time(10)))
    Marking.objects.filter(pk=marking.pk).update(released_at=released_at)


def _only_email():
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    (html, kind) = message.alternatives[0]
    assert kind == "text/html"
    return message.body, html, message


def test_the_week_reported_is_the_last_whole_week_monday_to_sunday():
    monday = datetime.date(2026, 11, 30)
    for day in range(7):
        assert Week.before(monday + datetime.timedelta(days=day)) == Week(datetime.date(2026, 11, 23))
    assert Week(datetime.date(2026, 11, 23)).ends_on == datetime.date(2026, 11, 29)
    assert str(Week(datetime.date(2026, 12, 28))) == "28 December 2026 to 3 January 2027"


def test_a_heads_digest_counts_last_weeks_sessions_submissions_and_results_and_lists_who_is_at_risk_and_why():
    school = SchoolFactory()
    supported = _supported(school, name="Ada Lovelace")
    _released_last_week(supported, Outcome.PASS)
    agreed_log(enrolment=supported, session_on=WEEK.starts_on - datetime.timedelta(days=1))  # the week before
    _unsupported(school, name="Brendan Behan")
    head = staff(Role.HEAD, school)

    assert digest.digest_send(person_id=head.pk, today=TODAY)

    text, html, message = _only_email()
    assert message.to == [head.email]
    assert str(WEEK) in message.subject
    for body in (text, html):
        assert "Coaching sessions held and agreed" in body
        assert "Brendan Behan" in body
        assert "No coach assigned" in body
        assert "No tutor assigned" in body
        assert "Ada Lovelace" not in body  # not at risk, so not named
        assert reverse("tracking:head_home") in body
        assert reverse("coaching:reminder_preferences") in body
    assert "Coaching sessions held and agreed: 1 (1 participant)" in text
    assert "Work submitted: 1" in text
    assert "Results released: 1 (pass: 1)" in text
    assert "AT RISK TODAY: 1" in text
    assert '<th scope="row">Brendan Behan</th>' in html


def test_the_digest_never_carries_what_anyone_wrote():
    school = SchoolFactory()
    seed_every_kind_of_text(school)
    head = staff(Role.HEAD, school)
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])

    for person in (head, leader):
        assert digest.digest_send(person_id=person.pk, today=TODAY)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        whole = message.message().as_string()
        assert MARKER not in whole
        # It did read the seeded participant: at risk for the referred work.
        assert "Work referred or failed, not yet passed" in message.body


def test_run_twice_in_a_week_each_person_is_sent_one_digest(django_capture_on_commit_callbacks):
    school = SchoolFactory()
    _unsupported(school, name="Brendan Behan")
    head = staff(Role.HEAD, school)
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    UserFactory(roles=[Role.COACH])  # no digest for a coach

    assert tasks.send_digests.delay().get() == 2
    tuesday = WEEK.starts_on + datetime.timedelta(days=8)
    digest.digests_send(today=tuesday)  # the same week again, a day later
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head.email, leader.email])
    assert SentReminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST).count() == 2
    assert not digest.digest_send(person_id=head.pk, today=TODAY)

    digest.digest_send(person_id=head.pk, today=TODAY + datetime.timedelta(days=7))  # next week: a new digest
    assert len(mail.outbox) == 3


def test_a_person_who_turned_the_digest_off_is_not_sent_it(client):
    school = SchoolFactory()
    head = staff(Role.HEAD, school)
    client.force_login(head)
    page = client.get(reverse("coaching:reminder_preferences")).content.decode()
    assert ReminderKind.WEEKLY_DIGEST.label in page
    assert "there is nothing to turn off" not in page
    wanted = [k for k in ReminderKind.values if k != ReminderKind.WEEKLY_DIGEST]
    assert client.post(reverse("coaching:reminder_preferences"), {"wanted": wanted}).status_code == 302

    assert not digest.digest_send(person_id=head.pk, today=TODAY)
    assert mail.outbox == []
    assert not SentReminder.objects.exists()

    reminder_preferences_save(user=head, turned_off=set())  # turned back on
    assert digest.digest_send(person_id=head.pk, today=TODAY)


def test_a_head_hears_only_of_their_own_school_and_the_programme_leader_of_every_school():
    ours, theirs = SchoolFactory(name="Northfield Academy"), SchoolFactory(name="Southgate School")
    _unsupported(ours, name="Brendan Behan")
    _supported(ours, name="Ada Lovelace")
    other = _supported(theirs, name="Cathal Doyle")
    _released_last_week(other, Outcome.REFER)
    _unsupported(theirs, name="Dervla Murphy")
    head = staff(Role.HEAD, ours)
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])

    digest.digest_send(person_id=head.pk, today=TODAY)
    digest.digest_send(person_id=leader.pk, today=TODAY)

    to_head, to_leader = (next(m for m in mail.outbox if m.to == [p.email]) for p in (head, leader))
    assert "Brendan Behan" in to_head.body
    assert "Dervla Murphy" not in to_head.body
    assert "Southgate" not in to_head.body
    assert "Coaching sessions held and agreed: 1 (1 participant)" in to_head.body
    assert "Results released: 0" in to_head.body
    assert "Brendan Behan, Northfield Academy" in to_leader.body
    assert "Dervla Murphy, Southgate School" in to_leader.body
    assert "Coaching sessions held and agreed: 2 (2 participants)" in to_leader.body
    assert "Results released: 1 (refer for resubmission: 1)" in to_leader.body
    assert reverse("tracking:leader_home") in to_leader.body


def test_a_former_head_or_someone_without_the_role_is_not_sent_a_digest():
    school = SchoolFactory()
    former = staff(Role.HEAD, school)
    former.role_grants.all().delete()
    inactive = staff(Role.HEAD, school, is_active=False)
    assert former.pk not in digest.recipients()
    assert inactive.pk not in digest.recipients()
    assert not digest.digest_send(person_id=former.pk, today=TODAY)
    assert not digest.digest_send(person_id=inactive.pk, today=TODAY)
    assert mail.outbox == []


def test_a_long_at_risk_list_stops_at_fifty_names_and_links_to_the_rest(monkeypatch):
    monkeypatch.setattr(digest, "LISTED_AT_RISK", 2)
    school = SchoolFactory()
    for name in ("Ann Able", "Bea Baker", "Cal Carter"):
        _unsupported(school, name=name)
    head = staff(Role.HEAD, school)
    digest.digest_send(person_id=head.pk, today=TODAY)
    text, html, _ = _only_email()
    assert "AT RISK TODAY: 3" in text
    assert "Ann Able" in text
    assert "Bea Baker" in text
    assert "Cal Carter" not in text
    assert "And 1 more" in text
    assert "at_risk=yes" in text
    assert "at_risk=yes" in html


def test_reading_a_digest_costs_the_same_queries_for_few_and_many_participants():
    school = SchoolFactory()
    head = staff(Role.HEAD, school)
    _supported(school, name="Ada Lovelace")
    _unsupported(school, name="Brendan Behan")

    def queries():
        fresh = type(head).objects.get(pk=head.pk)
        with CaptureQueriesContext(connection) as captured:
            found = digest.digest_for(fresh, digest.relation_of(fresh), WEEK, TODAY)
        return len(captured), found

    queries()  # the provider's settings, read once and kept
    few, found = queries()
    assert found.at_risk_count == 1
    for i in range(6):
        _supported(school, name=f"Many Supported{i}")
        _released_last_week(_unsupported(school, name=f"Many Unsupported{i}"), Outcome.PASS)
    many, found = queries()
    assert found.at_risk_count == 7
    assert found.results == 6
    assert many == few
