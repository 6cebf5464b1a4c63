"""The programme leader's screens in the CMS: schools, cohorts, enrolments and their actions,
staff memberships. Every write goes through a service; a broken rule shows beside its field."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from programme.admin.concurrency import STALE_EDIT_MESSAGE, StaleEditFormMixin
from programme.models import (
    CoachAssignment,
    Cohort,
    EligibilityRule,
    Enrolment,
    Phase,
    PhaseChange,
    ProgrammeSettings,
    School,
    SchoolPlacement,
    StaffMembership,
    TutorAssignment,
)
from tests.factories import CohortFactory, SchoolFactory, UserFactory, assign_coach, enrol, staff
from tests.programme.admin_factories import (
    ChallengeCategoryFactory,
    EligibilityRuleFactory,
    programme_leader,
    with_totp,
)

pytestmark = pytest.mark.django_db

D = datetime.date
SCREENS = [
    "programme_schools:index",
    "programme_schools:add",
    "programme_cohorts:index",
    "programme_cohorts:add",
    "programme_enrolments:index",
    "programme_enrolments:add",
    "programme_staff_memberships:index",
    "programme_staff_memberships:add",
    "programme_challenge_categories:index",
]


@pytest.fixture
def leader_client(client):
    client.force_login(programme_leader())
    return client


def errors(response, field):
    return response.context["form"].errors.get(field, [])


def loaded_version(client, edit_url):
    """The version of the record the edit page carries in its hidden field, as a browser would send it."""
    response = client.get(edit_url)
    assert response.status_code == 200
    assert b'type="hidden" name="loaded_updated_at"' in response.content
    return response.context["form"]["loaded_updated_at"].value()


# --- Who may use the screens.


@pytest.mark.parametrize("url_name", SCREENS)
def test_programme_leader_can_open_each_screen(leader_client, url_name):
    assert leader_client.get(reverse(url_name)).status_code == 200


def test_programme_leader_finds_the_screens_under_a_programme_menu(leader_client):
    menu = leader_client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ("Programme", "Enrolments", "Cohorts", "Schools", "Staff memberships", "Invitations"):
        assert f'"{label}"' in menu


@pytest.mark.parametrize("role", [Role.COACH, Role.TUTOR, Role.PARTICIPANT, Role.HEAD])
@pytest.mark.parametrize("url_name", SCREENS)
def test_other_roles_are_refused_each_screen(client, role, url_name):
    client.force_login(with_totp(UserFactory(roles=[role])))
    response = client.get(reverse(url_name))
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith(reverse(url_name))


@pytest.mark.parametrize("role", [Role.COACH, Role.TUTOR, Role.PARTICIPANT])
def test_other_roles_cannot_create_a_school_or_move_a_participant(client, role):
    school, new_school = SchoolFactory(), SchoolFactory()
    enrolment = enrol(school)
    client.force_login(with_totp(UserFactory(roles=[role])))
    client.post(reverse("programme_schools:add"), {"name": "X", "urn": "1234567", "region": "london"})
    response = client.post(
        reverse("programme_enrolments:move_school", args=[enrolment.pk]),
        {"new_school": new_school.pk, "moves_on": "2025-09-01"},
    )
    assert response.status_code in (302, 403)
    assert not School.objects.filter(urn="1234567").exists()
    assert enrolment.school_placements.count() == 1


# --- Schools.


def school_data(**overrides):
    return {
        "name": "Riverside Academy",
        "urn": "123456",
        "region": "north_east",
        "phase_of_education": "secondary",
        "fsm_percent": "31.5",
        **overrides,
    }


def test_leader_adds_a_school(leader_client):
    response = leader_client.post(reverse("programme_schools:add"), school_data())
    assert response.status_code == 302
    assert School.objects.get(urn="123456").fsm_percent == 31.5


def test_school_with_a_bad_urn_or_fsm_share_shows_the_messages_and_is_not_saved(leader_client):
    response = leader_client.post(reverse("programme_schools:add"), school_data(urn="12AB", fsm_percent="120"))
    assert response.status_code == 200
    assert "A unique reference number is 6 or 7 digits." in errors(response, "urn")
    assert errors(response, "fsm_percent")
    assert b'value="Riverside Academy"' in response.content
    assert not School.objects.exists()


# --- Cohorts and their eligibility rules, on one page.


def cohort_data(rules):
    data = {
        "name": "North East 2026",
        "academic_year": "2026",
        "opens_on": "2026-09-01",
        "eligibility_rules-TOTAL_FORMS": str(len(rules)),
        "eligibility_rules-INITIAL_FORMS": "0",
        "eligibility_rules-MIN_NUM_FORMS": "0",
        "eligibility_rules-MAX_NUM_FORMS": "1000",
    }
    for i, (kind, value) in enumerate(rules):
        data |= {
            f"eligibility_rules-{i}-kind": kind,
            f"eligibility_rules-{i}-value": value,
            f"eligibility_rules-{i}-id": "",
        }
    return data


def test_leader_creates_a_cohort_with_its_eligibility_rules(leader_client):
    ChallengeCategoryFactory(name="Coastal")
    rules = [
        ("qts_year_in", "2025, 2026"),
        ("region_in", "north_east"),
        ("fsm_at_least", "30"),
        ("school_category_in", "coastal"),
    ]
    response = leader_client.post(reverse("programme_cohorts:add"), cohort_data(rules))
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="North East 2026")
    assert sorted(cohort.eligibility_rules.values_list("kind", "value")) == [
        ("fsm_at_least", "30"),
        ("qts_year_in", "2025,2026"),
        ("region_in", "north_east"),
        ("school_category_in", "coastal"),
    ]


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("qts_year_in", "2025, 26", "Not a year: 26"),
        ("region_in", "north_east, narnia", "Unknown region code: narnia"),
        ("post_in", "headteacher", "Unknown post code: headteacher"),
        ("fsm_at_least", "lots", "Enter one number from 0 to 100"),
        ("fsm_at_least", "101", "Enter one number from 0 to 100"),
        ("school_category_in", "No such category", "No challenge category is called"),
    ],
)
def test_a_rule_value_that_does_not_fit_its_kind_is_refused_beside_the_value(leader_client, kind, value, message):
    response = leader_client.post(reverse("programme_cohorts:add"), cohort_data([(kind, value)]))
    assert response.status_code == 200
    rule_form = response.context["form"].formsets["eligibility_rules"].forms[0]
    assert any(message in error for error in rule_form.errors["value"])
    assert not Cohort.objects.exists()
    assert not EligibilityRule.objects.exists()


# --- Enrolments: the list.


def test_enrolment_list_shows_school_now_and_filters_by_cohort_phase_and_status(leader_client):
    school = SchoolFactory(name="Hillside School")
    kept, other = enrol(school), enrol(school)
    other.status = Enrolment.Status.WITHDRAWN
    other.save()
    url = reverse("programme_enrolments:index")
    response = leader_client.get(url)
    assert b"Hillside School" in response.content
    for query in (f"cohort={kept.cohort_id}", "status=active", f"current_phase={kept.current_phase_id}&status=active"):
        listed = list(leader_client.get(f"{url}?{query}").context["object_list"])
        assert listed == [kept]


def test_enrolment_list_searches_by_participant_name_and_email(leader_client):
    school = SchoolFactory()
    found = enrol(school, participant=UserFactory(first_name="Grace", last_name="Hopper", email="gh@example.org"))
    enrol(school, participant=UserFactory(first_name="Alan", last_name="Turing"))
    url = reverse("programme_enrolments:index")
    for query in ("Grace Hopper", "gh@example"):
        assert list(leader_client.get(url, {"q": query}).context["object_list"]) == [found]


def test_enrolment_list_queries_do_not_grow_with_rows(leader_client):
    school = SchoolFactory()
    url = reverse("programme_enrolments:index")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert leader_client.get(url).status_code == 200
        return len(queries)

    for _ in range(3):
        enrolment = enrol(school)
        assign_coach(enrolment, staff(Role.COACH, school))
    leader_client.get(url)  # warm the caches a first request fills
    with_three = count_queries()
    for _ in range(27):
        enrol(school)
    assert count_queries() == with_three


# --- Enrolments: creating one through the service.


def enrolment_data(participant, cohort, school, **overrides):
    # The start is long past on any day these tests run, so it carries a reason (see the backdating tests).
    return {
        "participant": participant.pk,
        "cohort": cohort.pk,
        "school": school.pk,
        "qts_awarded_on": "2024-07-15",
        "first_post_started_on": "2024-09-01",
        "programme_started_on": "2025-04-20",
        "post": "class_teacher",
        "backdated_reason": "Entered from the paper records.",
        **overrides,
    }


def invited():
    return UserFactory(roles=[Role.PARTICIPANT])


def test_leader_enrols_a_participant_at_their_school_in_phase_1(leader_client):
    participant, cohort, school = invited(), CohortFactory(), SchoolFactory()
    response = leader_client.post(reverse("programme_enrolments:add"), enrolment_data(participant, cohort, school))
    enrolment = Enrolment.objects.get(participant=participant)
    assert response.status_code == 302
    assert response.url == reverse("programme_enrolments:edit", args=[enrolment.pk])
    assert enrolment.current_phase.number == 1
    placement = enrolment.school_placements.get()
    assert (placement.school, placement.starts_on, placement.ends_on) == (school, D(2025, 4, 20), None)
    assert Role.PARTICIPANT in type(participant).objects.get(pk=participant.pk).roles


def test_an_ineligible_participant_is_refused_beside_the_cohort_and_nothing_is_saved(leader_client):
    participant, school = invited(), SchoolFactory(region="london")
    cohort = EligibilityRuleFactory(kind=EligibilityRule.Kind.REGION_IN, value="north_east").cohort
    response = leader_client.post(reverse("programme_enrolments:add"), enrolment_data(participant, cohort, school))
    assert response.status_code == 200
    assert any("Not eligible for this cohort" in e for e in errors(response, "cohort"))
    assert b'value="2025-04-20"' in response.content  # what was typed is kept
    assert not Enrolment.objects.exists()
    assert not SchoolPlacement.objects.exists()


def test_a_start_after_the_latest_start_is_refused_beside_the_start_date(leader_client):
    participant, cohort, school = invited(), CohortFactory(), SchoolFactory()
    data = enrolment_data(participant, cohort, school, programme_started_on="2026-10-01")
    response = leader_client.post(reverse("programme_enrolments:add"), data)
    assert response.status_code == 200
    assert any("latest start" in e for e in errors(response, "programme_started_on"))
    assert not Enrolment.objects.exists()


def test_without_javascript_the_participant_is_named_by_their_email(leader_client):
    """Wagtail's chooser needs JavaScript; the form also takes the invited participant's email."""
    participant, cohort, school = invited(), CohortFactory(), SchoolFactory()
    page = leader_client.get(reverse("programme_enrolments:add")).content.decode()
    assert '<noscript><label class="w-field__label" for="id_participant-email">' in page
    data = {
        **enrolment_data(participant, cohort, school),
        "participant": "",
        "participant_email": participant.email.upper(),
    }
    response = leader_client.post(reverse("programme_enrolments:add"), data)
    assert response.status_code == 302
    assert Enrolment.objects.get(participant=participant).school_placements.get().school == school


def test_an_email_that_names_no_one_to_enrol_is_refused_beside_the_field_and_kept(leader_client):
    already = enrol(SchoolFactory()).participant
    cohort, school = CohortFactory(), SchoolFactory()
    for email in ("nobody@example.org", already.email):
        data = {**enrolment_data(already, cohort, school), "participant": "", "participant_email": email}
        response = leader_client.post(reverse("programme_enrolments:add"), data)
        assert response.status_code == 200
        assert errors(response, "participant") == [
            f"No one invited as a participant and not enrolled now has the email {email}."
        ]
        assert f'value="{email}"' in response.content.decode()
    assert Enrolment.objects.filter(participant=already).count() == 1


def test_the_enrolment_form_offers_only_invited_participants_without_an_active_enrolment(leader_client):
    waiting = UserFactory(first_name="Ada", last_name="Lovelace", roles=[Role.PARTICIPANT])
    enrolled = enrol(SchoolFactory()).participant
    coach = UserFactory(first_name="Carl", roles=[Role.COACH])
    response = leader_client.get(reverse("programme_participant_chooser:choose"))
    assert response.status_code == 200
    content = response.content.decode()
    assert waiting.email in content
    assert enrolled.email not in content
    assert coach.email not in content
    assert leader_client.get(reverse("programme_enrolments:add")).status_code == 200


def test_the_participant_chooser_is_searched_by_name_or_email(leader_client):
    UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org", roles=[Role.PARTICIPANT])
    UserFactory(first_name="Grace", last_name="Hopper", email="grace@example.org", roles=[Role.PARTICIPANT])
    url = reverse("programme_participant_chooser:choose_results")
    content = leader_client.get(url, {"q": "love"}).content.decode()
    assert "ada@example.org" in content
    assert "grace@example.org" not in content


def test_choosing_is_limited_to_whom_the_chooser_offers(leader_client):
    waiting = UserFactory(first_name="Ada", last_name="Lovelace", roles=[Role.PARTICIPANT])
    hopper = UserFactory(first_name="Grace", last_name="Hopper", roles=[Role.PARTICIPANT])
    enrolled = enrol(SchoolFactory(), participant=hopper).participant
    chosen = reverse("programme_participant_chooser:chosen", args=[waiting.pk])
    assert leader_client.get(chosen).status_code == 200
    assert leader_client.get(reverse("programme_participant_chooser:chosen", args=[enrolled.pk])).status_code == 404
    several = leader_client.get(
        reverse("programme_participant_chooser:chosen_multiple"), {"id": [waiting.pk, enrolled.pk]}
    ).content.decode()
    assert "Lovelace" in several
    assert "Hopper" not in several


def test_people_other_than_programme_leaders_cannot_list_whom_to_enrol(client):
    UserFactory(email="ada@example.org", roles=[Role.PARTICIPANT])
    editor = UserFactory(is_staff=True, is_superuser=False)
    client.force_login(editor)
    response = client.get(reverse("programme_participant_chooser:choose"))
    assert b"ada@example.org" not in response.content


def test_posting_someone_not_invited_as_a_participant_is_refused_beside_the_participant(leader_client):
    coach, cohort, school = UserFactory(roles=[Role.COACH]), CohortFactory(), SchoolFactory()
    response = leader_client.post(reverse("programme_enrolments:add"), enrolment_data(coach, cohort, school))
    assert response.status_code == 200
    assert errors(response, "participant") == ["Choose someone invited as a participant who has no active enrolment."]
    assert not Enrolment.objects.exists()


def test_the_enrolment_form_reports_every_broken_rule_at_once(leader_client):
    participant, school = invited(), SchoolFactory(region="london")
    cohort = EligibilityRuleFactory(kind=EligibilityRule.Kind.REGION_IN, value="north_east").cohort
    data = enrolment_data(participant, cohort, school, programme_started_on="2025-04-14")
    response = leader_client.post(reverse("programme_enrolments:add"), data)
    assert response.status_code == 200
    assert any("Not eligible for this cohort" in e for e in errors(response, "cohort"))
    assert any("summer term" in e for e in errors(response, "programme_started_on"))
    assert not Enrolment.objects.exists()


def _enrol_started_days_ago(leader_client, days: int, reason: str):
    """Post the enrolment form for a start `days` before today; every date is relative to today, so
    the test does not depend on the day it runs."""
    today = timezone.localdate()
    first_post = today - datetime.timedelta(days=500)
    data = enrolment_data(
        invited(),
        CohortFactory(opens_on=today - datetime.timedelta(days=400)),
        SchoolFactory(),
        qts_awarded_on=(first_post - datetime.timedelta(days=60)).isoformat(),
        first_post_started_on=first_post.isoformat(),
        programme_started_on=(today - datetime.timedelta(days=days)).isoformat(),
        backdated_reason=reason,
    )
    return leader_client.post(reverse("programme_enrolments:add"), data)


def test_a_start_more_than_30_days_ago_without_a_reason_is_refused_beside_the_reason(leader_client):
    response = _enrol_started_days_ago(leader_client, 31, reason="")
    assert response.status_code == 200
    assert any("Say why the enrolment is backdated" in e for e in errors(response, "backdated_reason"))
    assert not Enrolment.objects.exists()


def test_a_backdated_start_with_a_reason_is_shown_as_backdated_in_the_history(leader_client):
    assert _enrol_started_days_ago(leader_client, 60, reason="Late paperwork.").status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.is_backdated
    content = leader_client.get(reverse("programme_enrolments:edit", args=[enrolment.pk])).content.decode()
    assert "Backdated." in content
    assert "Late paperwork." in content


def test_a_recent_start_is_not_backdated_and_keeps_no_reason(leader_client):
    assert _enrol_started_days_ago(leader_client, 30, reason="Not needed.").status_code == 302
    assert Enrolment.objects.get().backdated_reason == ""


# --- Enrolments: editing changes the status only.


def test_editing_an_enrolment_changes_its_status_and_nothing_else(leader_client):
    enrolment = enrol(SchoolFactory())
    url = reverse("programme_enrolments:edit", args=[enrolment.pk])
    response = leader_client.post(
        url, {"status": "interrupted", "status_was": "active", "programme_started_on": "2020-01-01"}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.INTERRUPTED
    assert enrolment.programme_started_on == D(2025, 4, 20)
    assert enrolment.school_placements.get().starts_on == D(2025, 4, 20)


def test_a_status_changed_meanwhile_by_someone_else_is_not_overwritten(leader_client):
    enrolment = enrol(SchoolFactory())
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    url = reverse("programme_enrolments:edit", args=[enrolment.pk])
    response = leader_client.post(url, {"status": "interrupted", "status_was": "active"})
    assert response.status_code == 200
    assert any("Someone else changed the status to Withdrawn" in e for e in errors(response, "status"))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN


def test_an_enrolment_is_not_made_active_while_the_participant_has_another_active_one(leader_client):
    school = SchoolFactory()
    old = enrol(school)
    Enrolment.objects.filter(pk=old.pk).update(status=Enrolment.Status.WITHDRAWN)
    current = enrol(school, participant=old.participant)
    url = reverse("programme_enrolments:edit", args=[old.pk])
    response = leader_client.post(url, {"status": "active", "status_was": "withdrawn"})
    assert response.status_code == 200
    assert any(f"already has an active enrolment in {current.cohort}" in e for e in errors(response, "status"))
    old.refresh_from_db()
    assert old.status == Enrolment.Status.WITHDRAWN


def test_edit_and_inspect_pages_show_the_period_history_and_the_actions(leader_client):
    school = SchoolFactory(name="Oakfield Primary")
    enrolment = enrol(school)
    assign_coach(enrolment, staff(Role.COACH, school, first_name="Clara", last_name="Coach"))
    for view in ("edit", "inspect"):
        content = leader_client.get(reverse(f"programme_enrolments:{view}", args=[enrolment.pk])).content.decode()
        assert "Period history" in content
        assert "Oakfield Primary" in content
        assert "Clara Coach" in content
        for action in ("move_school", "change_coach", "change_tutor", "progress_phase"):
            assert reverse(f"programme_enrolments:{action}", args=[enrolment.pk]) in content


def test_an_enrolment_cannot_be_deleted_from_the_cms(leader_client):
    enrolment = enrol(SchoolFactory())
    response = leader_client.post(reverse("programme_enrolments:delete", args=[enrolment.pk]))
    assert response.status_code in (302, 403)
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


# --- Enrolments: the actions.


def action(client, name, enrolment, data):
    return client.post(reverse(f"programme_enrolments:{name}", args=[enrolment.pk]), data)


def test_each_action_page_opens_for_the_leader(leader_client):
    enrolment = enrol(SchoolFactory())
    for name in ("move_school", "change_coach", "change_tutor", "progress_phase"):
        assert leader_client.get(reverse(f"programme_enrolments:{name}", args=[enrolment.pk])).status_code == 200


def test_a_school_move_closes_the_old_placement_and_opens_the_new_one(leader_client):
    old_school, new_school = SchoolFactory(), SchoolFactory()
    enrolment = enrol(old_school)
    old_coach = staff(Role.COACH, old_school)
    assign_coach(enrolment, old_coach)
    new_coach = staff(Role.COACH, new_school)
    response = action(
        leader_client,
        "move_school",
        enrolment,
        {"new_school": new_school.pk, "moves_on": "2025-09-01", "new_coach": new_coach.pk},
    )
    assert response.status_code == 302
    assert response.url == reverse("programme_enrolments:edit", args=[enrolment.pk])
    old, new = enrolment.school_placements.order_by("starts_on")
    assert (old.school, old.ends_on) == (old_school, D(2025, 8, 31))
    assert (new.school, new.starts_on, new.ends_on) == (new_school, D(2025, 9, 1), None)
    coaches = enrolment.coach_assignments.order_by("starts_on")
    assert [(c.coach, c.ends_on) for c in coaches] == [(old_coach, D(2025, 8, 31)), (new_coach, None)]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("moves to" in m for m in messages)


def test_a_move_before_the_current_placement_started_is_refused_and_changes_nothing(leader_client):
    old_school, new_school = SchoolFactory(), SchoolFactory()
    enrolment = enrol(old_school)
    response = action(leader_client, "move_school", enrolment, {"new_school": new_school.pk, "moves_on": "2025-04-20"})
    assert response.status_code == 200
    assert errors(response, "moves_on")
    assert b'value="2025-04-20"' in response.content
    placement = enrolment.school_placements.get()
    assert (placement.school, placement.ends_on) == (old_school, None)


def test_a_move_with_a_coach_from_another_school_is_refused_and_changes_nothing(leader_client):
    old_school, new_school = SchoolFactory(), SchoolFactory()
    enrolment = enrol(old_school)
    stranger = staff(Role.COACH, SchoolFactory())
    data = {"new_school": new_school.pk, "moves_on": "2025-09-01", "new_coach": stranger.pk}
    response = action(leader_client, "move_school", enrolment, data)
    assert any("is not a coach at" in e for e in errors(response, "new_coach"))
    assert enrolment.school_placements.get().ends_on is None


def test_leader_changes_the_coach_and_the_old_assignment_ends_the_day_before(leader_client):
    school = SchoolFactory()
    enrolment = enrol(school)
    first, second = staff(Role.COACH, school), staff(Role.COACH, school)
    assign_coach(enrolment, first)
    response = action(leader_client, "change_coach", enrolment, {"coach": second.pk, "starts_on": "2025-10-01"})
    assert response.status_code == 302
    periods = list(CoachAssignment.objects.filter(enrolment=enrolment).order_by("starts_on"))
    assert [(p.coach, p.ends_on) for p in periods] == [(first, D(2025, 9, 30)), (second, None)]
    assert periods[1].created_by.has_role(Role.PROGRAMME_LEADER)


def test_a_coach_change_starting_before_the_current_coach_began_changes_nothing(leader_client):
    school = SchoolFactory()
    enrolment = enrol(school)
    first, second = staff(Role.COACH, school), staff(Role.COACH, school)
    assign_coach(enrolment, first, starts_on=D(2025, 6, 1))
    response = action(leader_client, "change_coach", enrolment, {"coach": second.pk, "starts_on": "2025-06-01"})
    assert response.status_code == 200
    assert errors(response, "starts_on")
    assert list(enrolment.coach_assignments.values_list("coach", "ends_on")) == [(first.pk, None)]


def test_leader_changes_the_tutor(leader_client):
    enrolment = enrol(SchoolFactory())
    tutor = UserFactory(roles=[Role.TUTOR])
    response = action(leader_client, "change_tutor", enrolment, {"tutor": tutor.pk, "starts_on": "2025-05-01"})
    assert response.status_code == 302
    assert TutorAssignment.objects.get(enrolment=enrolment).tutor == tutor


def test_leader_progresses_a_participant_one_phase_only(leader_client):
    enrolment = enrol(SchoolFactory())
    phase_3 = Phase.objects.get(number=3)
    response = action(leader_client, "progress_phase", enrolment, {"to_phase": phase_3.pk})
    assert any("can only progress to phase 2" in e for e in errors(response, "to_phase"))
    enrolment.refresh_from_db()
    assert enrolment.current_phase.number == 1
    response = action(leader_client, "progress_phase", enrolment, {"to_phase": Phase.objects.get(number=2).pk})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.current_phase.number == 2


# --- Staff memberships.


def test_leader_starts_a_staff_membership_and_an_overlapping_one_is_refused(leader_client):
    school, coach = SchoolFactory(), UserFactory(roles=[Role.COACH])
    url = reverse("programme_staff_memberships:add")
    data = {"user": coach.pk, "school": school.pk, "role": "coach", "starts_on": "2025-09-01"}
    assert leader_client.post(url, data).status_code == 302
    membership = StaffMembership.objects.get(user=coach)
    assert membership.created_by.has_role(Role.PROGRAMME_LEADER)
    response = leader_client.post(url, data | {"starts_on": "2026-01-01"})
    assert response.status_code == 200
    assert any("overlap" in e for e in errors(response, "starts_on"))
    assert StaffMembership.objects.filter(user=coach).count() == 1


def test_a_membership_in_a_role_the_person_does_not_hold_is_refused(leader_client):
    school, head = SchoolFactory(), UserFactory(roles=[Role.HEAD])
    data = {"user": head.pk, "school": school.pk, "role": "coach", "starts_on": "2025-09-01"}
    response = leader_client.post(reverse("programme_staff_memberships:add"), data)
    assert errors(response, "role")
    assert not StaffMembership.objects.exists()


def test_leader_ends_a_membership_once_and_not_before_it_started(leader_client):
    school = SchoolFactory()
    coach = staff(Role.COACH, school, starts_on=D(2025, 1, 1))
    membership = StaffMembership.objects.get(user=coach)
    url = reverse("programme_staff_memberships:edit", args=[membership.pk])
    loaded = loaded_version(leader_client, url)
    response = leader_client.post(url, {"ends_on": "2024-12-31", "loaded_updated_at": loaded})
    assert any("on or after the start date" in e for e in errors(response, "ends_on"))
    membership.refresh_from_db()
    assert membership.ends_on is None
    assert leader_client.post(url, {"ends_on": "2025-07-31", "loaded_updated_at": loaded}).status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on == D(2025, 7, 31)
    response = leader_client.post(
        url, {"ends_on": "2025-12-31", "loaded_updated_at": loaded_version(leader_client, url)}
    )
    assert any("already ended" in e for e in errors(response, "ends_on"))
    membership.refresh_from_db()
    assert membership.ends_on == D(2025, 7, 31)


# --- Enrolments: the cohort's opening date, the phase history, and finished enrolments.


def test_a_start_before_the_cohort_opens_is_refused_beside_the_start_date(leader_client):
    participant, school = invited(), SchoolFactory()
    cohort = CohortFactory(opens_on=D(2025, 9, 1))
    response = leader_client.post(reverse("programme_enrolments:add"), enrolment_data(participant, cohort, school))
    assert response.status_code == 200
    assert any("opens on 1 September 2025" in e for e in errors(response, "programme_started_on"))
    assert not Enrolment.objects.exists()


def test_phase_progress_records_the_leader_and_the_note_and_the_history_is_shown(leader_client):
    enrolment = enrol(SchoolFactory())
    data = {"to_phase": Phase.objects.get(number=2).pk, "note": "Initial enquiry assessed and passed."}
    assert action(leader_client, "progress_phase", enrolment, data).status_code == 302
    change = PhaseChange.objects.get(enrolment=enrolment)
    assert (change.from_phase.number, change.to_phase.number) == (1, 2)
    assert change.decided_by.has_role(Role.PROGRAMME_LEADER)
    assert change.note == "Initial enquiry assessed and passed."
    for view in ("edit", "inspect"):
        content = leader_client.get(reverse(f"programme_enrolments:{view}", args=[enrolment.pk])).content.decode()
        assert "Phases" in content
        assert "Initial enquiry assessed and passed." in content
        assert str(change.decided_by) in content


def test_a_withdrawn_enrolment_offers_no_actions_and_refuses_them_with_its_status(leader_client):
    school = SchoolFactory()
    enrolment = enrol(school)
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save()
    content = leader_client.get(reverse("programme_enrolments:edit", args=[enrolment.pk])).content.decode()
    assert reverse("programme_enrolments:change_coach", args=[enrolment.pk]) not in content
    coach = staff(Role.COACH, school)
    response = action(leader_client, "change_coach", enrolment, {"coach": coach.pk, "starts_on": "2025-10-01"})
    assert response.status_code == 200
    assert any("withdrawn" in e for e in response.context["form"].non_field_errors())
    assert "withdrawn" in response.content.decode()
    assert not CoachAssignment.objects.exists()


# --- Two leaders editing one record: the second save is refused, and nothing of it is kept.


def test_two_leaders_edit_a_school_and_the_second_is_refused_keeping_what_they_typed(client, leader_client):
    school = SchoolFactory(name="Riverside Academy", urn="123456", fsm_percent="20.0")
    url = reverse("programme_schools:edit", args=[school.pk])
    first_loaded = loaded_version(leader_client, url)
    other_leader = programme_leader()
    client.force_login(other_leader)
    second_loaded = loaded_version(client, url)

    first = leader_client.post(url, school_data(name="Riverside School", loaded_updated_at=first_loaded))
    assert first.status_code == 302
    second = client.post(
        url, school_data(name="Riverside College", fsm_percent="45.0", loaded_updated_at=second_loaded)
    )
    assert second.status_code == 200
    assert STALE_EDIT_MESSAGE in second.context["form"].non_field_errors()
    assert "reload to see theirs" in second.content.decode()
    assert b'value="Riverside College"' in second.content  # what they typed is kept
    school.refresh_from_db()
    assert (school.name, school.fsm_percent) == ("Riverside School", 31.5)

    # Once they reload, they can save over the first leader's change knowingly.
    again = client.post(url, school_data(name="Riverside College", loaded_updated_at=loaded_version(client, url)))
    assert again.status_code == 302
    school.refresh_from_db()
    assert school.name == "Riverside College"


def cohort_edit_data(cohort, rules, **overrides):
    data = cohort_data([(kind, value) for _, kind, value in rules]) | {"name": cohort.name, **overrides}
    data["eligibility_rules-INITIAL_FORMS"] = str(sum(1 for pk, _, _ in rules if pk))
    for i, (pk, _, _) in enumerate(rules):
        data[f"eligibility_rules-{i}-id"] = str(pk or "")
        data[f"eligibility_rules-{i}-ORDER"] = str(i)
        data[f"eligibility_rules-{i}-DELETE"] = ""
    return data


def test_two_leaders_edit_a_cohort_and_its_rules_and_the_second_is_refused(client, leader_client):
    cohort = CohortFactory(name="North East 2026")
    rule = EligibilityRuleFactory(cohort=cohort, kind=EligibilityRule.Kind.QTS_YEAR_IN, value="2025")
    url = reverse("programme_cohorts:edit", args=[cohort.pk])
    first_loaded = loaded_version(leader_client, url)
    client.force_login(programme_leader())
    second_loaded = loaded_version(client, url)

    first = leader_client.post(
        url, cohort_edit_data(cohort, [(rule.pk, "qts_year_in", "2025,2026")], loaded_updated_at=first_loaded)
    )
    assert first.status_code == 302
    second_rules = [(rule.pk, "qts_year_in", "2024"), (None, "region_in", "london")]
    second = client.post(
        url, cohort_edit_data(cohort, second_rules, academic_year="2027", loaded_updated_at=second_loaded)
    )
    assert second.status_code == 200
    assert STALE_EDIT_MESSAGE in second.context["form"].non_field_errors()
    cohort.refresh_from_db()
    assert cohort.academic_year == 2026
    assert list(cohort.eligibility_rules.values_list("kind", "value")) == [("qts_year_in", "2025,2026")]


def test_a_save_racing_another_is_refused_by_the_locked_check(leader_client, monkeypatch):
    """Both forms were validated before either saved: the check made with the row locked refuses the second."""
    school = SchoolFactory(name="Riverside Academy", urn="123456")
    url = reverse("programme_schools:edit", args=[school.pk])
    loaded = loaded_version(leader_client, url)
    School.objects.filter(pk=school.pk).update(name="Saved meanwhile", updated_at=timezone.now())
    # As if this form had been validated before that save: only the locked check is left to notice.
    monkeypatch.setattr(StaleEditFormMixin, "clean", lambda form: form.cleaned_data)
    response = leader_client.post(url, school_data(name="Overwrite", loaded_updated_at=loaded))
    assert response.status_code == 200
    assert STALE_EDIT_MESSAGE in response.context["form"].non_field_errors()
    school.refresh_from_db()
    assert school.name == "Saved meanwhile"


def test_an_edit_posted_without_the_version_it_was_loaded_at_is_refused(leader_client):
    school = SchoolFactory(name="Riverside Academy", urn="123456")
    response = leader_client.post(reverse("programme_schools:edit", args=[school.pk]), school_data(name="Overwrite"))
    assert response.status_code == 200
    assert STALE_EDIT_MESSAGE in response.context["form"].non_field_errors()
    school.refresh_from_db()
    assert school.name == "Riverside Academy"


def test_two_leaders_end_one_membership_and_the_second_is_refused(client, leader_client):
    membership = StaffMembership.objects.get(user=staff(Role.COACH, SchoolFactory(), starts_on=D(2025, 1, 1)))
    url = reverse("programme_staff_memberships:edit", args=[membership.pk])
    first_loaded = loaded_version(leader_client, url)
    client.force_login(programme_leader())
    second_loaded = loaded_version(client, url)
    assert leader_client.post(url, {"ends_on": "2025-07-31", "loaded_updated_at": first_loaded}).status_code == 302
    response = client.post(url, {"ends_on": "2025-12-31", "loaded_updated_at": second_loaded})
    assert response.status_code == 200
    assert STALE_EDIT_MESSAGE in response.context["form"].non_field_errors()
    membership.refresh_from_db()
    assert membership.ends_on == D(2025, 7, 31)


def test_creating_a_school_or_cohort_needs_no_version(leader_client):
    assert leader_client.post(reverse("programme_schools:add"), school_data()).status_code == 302
    assert leader_client.post(reverse("programme_cohorts:add"), cohort_data([])).status_code == 302


# --- The provider's settings.


def settings_data(**overrides):
    return {
        "total_credits": "180",
        "pass_mark": "50",
        "max_prior_learning_credits": "30",
        "summer_term_starts_month": "4",
        "summer_term_starts_day": "15",
        "risk_weeks_without_session": "6",
        "risk_months_before_limit": "6",
        "retention_years": "6",
        **overrides,
    }


def settings_url():
    return reverse("wagtailsettings:edit", args=["programme", "programmesettings", ProgrammeSettings.load().pk])


@pytest.mark.parametrize(
    ("month", "day", "message"), [("2", "31", "February has 28 days"), ("4", "31", "April has 30")]
)
def test_a_summer_term_start_that_is_not_a_real_date_is_refused_beside_the_day(leader_client, month, day, message):
    data = settings_data(summer_term_starts_month=month, summer_term_starts_day=day)
    response = leader_client.post(settings_url(), data)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["summer_term_starts_day"])
    assert ProgrammeSettings.load().summer_term_starts_day == 15


def test_a_summer_term_start_on_a_real_date_is_saved(leader_client):
    assert (
        leader_client.post(
            settings_url(), settings_data(summer_term_starts_month="4", summer_term_starts_day="30")
        ).status_code
        == 302
    )
    assert ProgrammeSettings.load().summer_term_starts_day == 30


def test_the_at_risk_thresholds_are_edited_in_the_cms_and_refused_out_of_range(leader_client):
    data = settings_data(risk_weeks_without_session="4", risk_months_before_limit="9")
    assert leader_client.post(settings_url(), data).status_code == 302
    saved = ProgrammeSettings.load()
    assert (saved.risk_weeks_without_session, saved.risk_months_before_limit) == (4, 9)
    response = leader_client.post(settings_url(), settings_data(risk_weeks_without_session="0"))
    assert response.status_code == 200
    assert response.context["form"].errors["risk_weeks_without_session"]
    assert ProgrammeSettings.load().risk_weeks_without_session == 4


def test_the_retention_period_is_edited_in_the_cms_and_refused_out_of_range(leader_client):
    assert ProgrammeSettings.load().retention_years == 6
    assert leader_client.post(settings_url(), settings_data(retention_years="7")).status_code == 302
    assert ProgrammeSettings.load().retention_years == 7
    response = leader_client.post(settings_url(), settings_data(retention_years="0"))
    assert response.status_code == 200
    assert response.context["form"].errors["retention_years"]
    assert ProgrammeSettings.load().retention_years == 7


def test_making_an_enrolment_active_racing_another_is_refused_by_the_database(monkeypatch):
    """The other enrolment became active after this check: the constraint refuses, with the same message."""
    from programme import services as programme_services
    from ui.errors import RuleError

    school = SchoolFactory()
    old = enrol(school)
    Enrolment.objects.filter(pk=old.pk).update(status=Enrolment.Status.WITHDRAWN)
    enrol(school, participant=old.participant)
    real = programme_services._other_active
    calls = []

    def other_active(enrolment):
        calls.append(enrolment)
        return Enrolment.objects.none() if len(calls) == 1 else real(enrolment)

    monkeypatch.setattr(programme_services, "_other_active", other_active)
    with pytest.raises(RuleError, match="already has an active enrolment"):
        programme_services.enrolment_status_change(enrolment=old, status="active", status_was="withdrawn")
    assert len(calls) == 2  # the check let it through; the constraint refused it
    old.refresh_from_db()
    assert old.status == Enrolment.Status.WITHDRAWN
