"""The programme leader sets assessment up in the CMS: rubrics with their bands, criteria and
descriptors, tasks and extensions. Only programme leaders; every save goes through the services,
so a rubric in use becomes a new version instead of changing under marked work."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from assessment.models import AssessmentTask, Extension, Rubric, Submission
from assessment.services import rubrics as rubric_services
from programme.models import ContentArea, Phase, ProgrammeSettings
from tests.assessment.factories import AssessmentTaskFactory, RubricFactory
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory
from tests.programme.admin_factories import programme_leader, with_totp

pytestmark = pytest.mark.django_db

SCREENS = [
    "assessment_rubrics:index",
    "assessment_rubrics:add",
    "assessment_tasks:index",
    "assessment_tasks:add",
    "assessment_extensions:index",
    "assessment_extensions:add",
]


@pytest.fixture
def leader_client(client):
    client.force_login(programme_leader())
    return client


def errors(response, field):
    return response.context["form"].errors.get(field, [])


def as_posted(form) -> dict:
    """What a browser would send back for a form as shown: each field's value, unticked boxes left out."""
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, bool) or field.widget_type == "checkbox":
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        elif value is not None:
            data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def shown_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return as_posted(response.context["form"])


# --- Who may use the screens.


@pytest.mark.parametrize("url_name", SCREENS)
def test_a_programme_leader_can_open_each_screen(leader_client, url_name):
    assert leader_client.get(reverse(url_name)).status_code == 200


def test_the_screens_are_under_an_assessment_menu(leader_client):
    menu = leader_client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ("Assessment", "Assessment tasks", "Rubrics", "Extensions"):
        assert f'"{label}"' in menu


@pytest.mark.parametrize("role", [Role.COACH, Role.TUTOR, Role.PARTICIPANT, Role.HEAD, Role.EXTERNAL_EXAMINER])
@pytest.mark.parametrize("url_name", SCREENS)
def test_other_roles_are_refused_each_screen(client, role, url_name):
    client.force_login(with_totp(UserFactory(roles=[role])))
    response = client.get(reverse(url_name))
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith(reverse(url_name))


def test_a_tutor_cannot_grant_an_extension(client):
    task = AssessmentTaskFactory()
    enrolment = EnrolmentFactory(cohort=task.cohort)
    client.force_login(with_totp(UserFactory(roles=[Role.TUTOR])))
    data = {"enrolment": enrolment.pk, "task": task.pk, "due_on": "2025-12-01", "reason": "Asked nicely."}
    response = client.post(reverse("assessment_extensions:add"), data)
    assert response.status_code in (302, 403)
    assert not Extension.objects.exists()


def test_rubrics_and_extensions_cannot_be_deleted(leader_client):
    rubric = RubricFactory()
    response = leader_client.post(reverse("assessment_rubrics:delete", args=[rubric.pk]))
    assert response.status_code in (302, 403)
    assert Rubric.objects.filter(pk=rubric.pk).exists()


# --- Rubrics.


def test_a_new_rubric_offers_the_uk_bands_and_saves_its_criteria_and_descriptors(leader_client):
    data = shown_form(leader_client, reverse("assessment_rubrics:add"))
    assert [data.get(f"band_{i}_name") for i in range(4)] == ["Distinction", "Merit", "Pass", "Fail"]
    assert [data.get(f"band_{i}_min_mark") for i in range(4)] == ["70", "60", "50", "0"]
    data["name"] = "Reflective essay"
    data["criterion_0_title"] = "Reflection"
    for i, what in enumerate(["Searching", "Thoughtful", "Describes", "Lists"]):
        data[f"criterion_0_descriptor_{i}"] = f"{what} reflection."
    response = leader_client.post(reverse("assessment_rubrics:add"), data)
    assert response.status_code == 302
    rubric = Rubric.objects.get(name="Reflective essay")
    assert [b.name for b in rubric.bands.all()] == ["Distinction", "Merit", "Pass", "Fail"]
    assert rubric.bands.get(name="Fail").is_pass is False
    descriptors = rubric.criteria.get().descriptors.order_by("band__min_mark")
    assert [d.text for d in descriptors] == [
        "Lists reflection.",
        "Describes reflection.",
        "Thoughtful reflection.",
        "Searching reflection.",
    ]


def test_a_rubric_with_a_missing_descriptor_and_a_half_filled_band_is_refused_with_what_was_typed(leader_client):
    data = shown_form(leader_client, reverse("assessment_rubrics:add"))
    data.update({"name": "Half done", "criterion_0_title": "Reflection", "criterion_0_descriptor_0": "Searching."})
    data["band_4_name"] = "Exceptional"
    response = leader_client.post(reverse("assessment_rubrics:add"), data)
    assert response.status_code == 200
    assert errors(response, "band_4_min_mark") == ["Enter the lowest mark of Exceptional."]
    assert b"Searching." in response.content
    assert not Rubric.objects.exists()

    del data["band_4_name"]
    response = leader_client.post(reverse("assessment_rubrics:add"), data)
    assert response.status_code == 200
    assert "Describe work at each band for Reflection. Missing: Fail, Merit, Pass." in errors(response, "__all__")
    assert not Rubric.objects.exists()


def test_editing_a_rubric_nobody_uses_changes_it_in_place(leader_client):
    rubric = RubricFactory(name="Essay")
    url = reverse("assessment_rubrics:edit", args=[rubric.pk])
    data = shown_form(leader_client, url)
    assert data["criterion_0_title"] == "Knowledge and critical awareness"
    data["criterion_0_title"] = "Knowledge"
    assert leader_client.post(url, data).status_code == 302
    assert Rubric.objects.count() == 1
    assert rubric.criteria.first().title == "Knowledge"


def test_editing_a_rubric_in_use_from_the_cms_saves_a_new_version_and_keeps_the_old_one(leader_client, monkeypatch):
    rubric = RubricFactory(name="Essay")
    task = AssessmentTaskFactory(rubric=rubric)
    monkeypatch.setattr(rubric_services, "rubric_in_use", lambda r: r.pk == rubric.pk)
    url = reverse("assessment_rubrics:edit", args=[rubric.pk])
    data = shown_form(leader_client, url)
    data["criterion_0_title"] = "Knowledge, sharpened"
    response = leader_client.post(url, data, follow=True)
    assert "saved as version 2" in response.content.decode()
    revised = Rubric.objects.get(name="Essay", version=2)
    assert revised.previous == rubric
    assert revised.criteria.first().title == "Knowledge, sharpened"
    assert rubric.criteria.first().title == "Knowledge and critical awareness"
    task.refresh_from_db()
    assert task.rubric == rubric

    old = leader_client.get(url).content.decode()
    assert "Version 2 replaced it" in old
    response = leader_client.post(url, data)
    assert response.status_code == 200
    assert "version 2 replaced it" in " ".join(errors(response, "__all__"))
    assert Rubric.objects.count() == 2


# --- Tasks.


def task_data(**overrides) -> dict:
    data = {
        "cohort": CohortFactory().pk,
        "phase": Phase.objects.get(number=2).pk,
        "title": "Enquiry report",
        "kind": "core",
        "brief": "Report your enquiry.",
        "content_areas": [str(ContentArea.objects.get(number=1).pk)],
        "credits": "30",
        "word_limit": "4000",
        "opens_on": "2026-01-05",
        "due_on": "2026-03-20",
        "late_cutoff_on": "2026-03-27",
        "marks_due_on": "2026-04-24",
        "release_on": "",
        "rubric": RubricFactory().pk,
        "second_marking": "sample",
        "sample_percent": "10",
        "sample_min": "1",
        "sample_max": "",
        "include_fails": "on",
        "include_borderline": "on",
        "include_distinctions": "on",
        "borderline_from": "45",
        "borderline_to": "49",
        "blind_second_marking": "on",
        "reconcile_threshold": "10",
        "resubmission_cap": "50",
        "resubmission_weeks": "6",
    }
    return {**data, **overrides}


def test_a_leader_sets_a_task(leader_client):
    response = leader_client.post(reverse("assessment_tasks:add"), task_data())
    assert response.status_code == 302
    task = AssessmentTask.objects.get()
    assert (task.phase.number, task.due_on, task.credits) == (2, datetime.date(2026, 3, 20), 30)
    assert task.brief == "<p>Report your enquiry.</p>"
    assert list(task.content_areas.values_list("number", flat=True)) == [1]


def test_a_leader_sets_the_weeks_to_resubmit_and_zero_is_refused_beside_the_field(leader_client):
    response = leader_client.post(reverse("assessment_tasks:add"), task_data(resubmission_weeks="0"))
    assert response.status_code == 200
    assert errors(response, "resubmission_weeks")
    assert not AssessmentTask.objects.exists()
    response = leader_client.post(reverse("assessment_tasks:add"), task_data(resubmission_weeks="4"))
    assert response.status_code == 302
    assert AssessmentTask.objects.get().resubmission_weeks == 4


def test_a_new_tasks_cap_starts_at_the_pass_mark_and_a_cap_below_it_is_refused_beside_the_field(leader_client):
    settings = ProgrammeSettings.load()
    settings.pass_mark = 55
    settings.save()
    form = leader_client.get(reverse("assessment_tasks:add")).context["form"]
    assert form["resubmission_cap"].value() == 55
    response = leader_client.post(reverse("assessment_tasks:add"), task_data(resubmission_cap="50"))
    assert response.status_code == 200
    assert "from the pass mark (55) to 100" in errors(response, "resubmission_cap")[0]
    assert not AssessmentTask.objects.exists()


def test_task_dates_out_of_order_are_shown_beside_each_date_and_nothing_is_saved(leader_client):
    response = leader_client.post(
        reverse("assessment_tasks:add"),
        task_data(due_on="2026-01-01", late_cutoff_on="2025-12-31", credits="0", title="Kept title"),
    )
    assert response.status_code == 200
    assert errors(response, "due_on") == ["The due date must be on or after the opening date (5 January 2026)."]
    assert errors(response, "late_cutoff_on") == ["The late cut-off must be on or after the due date (1 January 2026)."]
    assert errors(response, "credits")
    assert b'value="Kept title"' in response.content
    assert not AssessmentTask.objects.exists()


def test_a_replaced_rubric_version_is_not_offered_for_a_task(leader_client):
    old = RubricFactory(name="Essay")
    new = RubricFactory(name="Essay", version=2, previous=old)
    choices = leader_client.get(reverse("assessment_tasks:add")).context["form"].fields["rubric"].queryset
    assert new in choices
    assert old not in choices


# --- Extensions.


def test_a_leader_grants_an_extension_and_a_date_before_the_due_date_is_refused_beside_it(leader_client):
    task = AssessmentTaskFactory()
    enrolment = EnrolmentFactory(cohort=task.cohort)
    data = {"enrolment": enrolment.pk, "task": task.pk, "due_on": "2025-11-10", "reason": "Illness."}
    response = leader_client.post(reverse("assessment_extensions:add"), data)
    assert response.status_code == 200
    assert errors(response, "due_on") == ["An extension must be after the task's due date, 14 November 2025."]
    assert b"Illness." in response.content
    assert not Extension.objects.exists()

    response = leader_client.post(reverse("assessment_extensions:add"), {**data, "due_on": "2025-11-28"})
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert extension.due_on == datetime.date(2025, 11, 28)
    assert extension.granted_by.role_grants.filter(role=Role.PROGRAMME_LEADER).exists()


def test_an_extension_is_moved_on_its_own_page(leader_client):
    task = AssessmentTaskFactory()
    enrolment = EnrolmentFactory(cohort=task.cohort)
    leader_client.post(
        reverse("assessment_extensions:add"),
        {"enrolment": enrolment.pk, "task": task.pk, "due_on": "2025-11-28", "reason": "Illness."},
    )
    extension = Extension.objects.get()
    url = reverse("assessment_extensions:edit", args=[extension.pk])
    data = shown_form(leader_client, url)
    data["due_on"] = "2025-12-05"
    assert leader_client.post(url, data).status_code == 302
    extension.refresh_from_db()
    assert extension.due_on == datetime.date(2025, 12, 5)


def test_a_task_offers_grant_an_extension_which_opens_with_that_task_and_its_cohorts_participants(leader_client):
    task = AssessmentTaskFactory()
    mine, elsewhere = EnrolmentFactory(cohort=task.cohort), EnrolmentFactory()
    listing = leader_client.get(reverse("assessment_tasks:index")).content.decode()
    url = f"{reverse('assessment_extensions:add')}?task={task.pk}"
    assert url.replace("&", "&amp;") in listing or url in listing
    form = leader_client.get(url).context["form"]
    assert form["task"].value() == task.pk
    assert list(form.fields["enrolment"].queryset) == [mine]
    assert elsewhere not in form.fields["enrolment"].queryset


def test_each_task_links_to_its_marking_and_release_of_results(leader_client):
    tasks = [AssessmentTaskFactory(), AssessmentTaskFactory()]
    listing = leader_client.get(reverse("assessment_tasks:index")).content.decode()
    assert listing.count("Marking and release of results") == 2
    for task in tasks:
        url = reverse("marking:task_release", kwargs={"pk": task.pk})
        assert f'href="{url}"' in listing
        assert leader_client.get(url).status_code == 200


def _queries_for_task_list(client) -> int:
    client.get(reverse("assessment_tasks:index"))  # warm the per-process caches (site, settings)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("assessment_tasks:index")).status_code == 200
    return len(queries)


def test_the_task_list_costs_the_same_however_many_tasks(leader_client):
    rubric, cohort = RubricFactory(), CohortFactory()
    AssessmentTaskFactory(rubric=rubric, cohort=cohort)
    few = _queries_for_task_list(leader_client)
    for _ in range(8):
        AssessmentTaskFactory(rubric=RubricFactory(), cohort=CohortFactory())
    assert _queries_for_task_list(leader_client) == few


def test_a_rubric_with_submitted_work_is_kept_and_the_cms_edit_saves_version_2(leader_client):
    rubric = RubricFactory(name="Essay")
    task = AssessmentTaskFactory(rubric=rubric)
    Submission.objects.create(enrolment=EnrolmentFactory(cohort=task.cohort), task=task)
    url = reverse("assessment_rubrics:edit", args=[rubric.pk])
    page = leader_client.get(url).content.decode()
    assert "This rubric is in use." in page
    data = shown_form(leader_client, url)
    data["criterion_1_title"] = "Reflection on practice"
    assert leader_client.post(url, data).status_code == 302
    assert [c.title for c in rubric.criteria.all()] == ["Knowledge and critical awareness", "Reflection"]
    revised = Rubric.objects.get(previous=rubric)
    assert revised.version == 2
    assert [c.title for c in revised.criteria.all()] == ["Knowledge and critical awareness", "Reflection on practice"]


def test_a_task_with_submitted_work_cannot_be_deleted_but_an_unused_one_can(leader_client):
    used, unused = AssessmentTaskFactory(), AssessmentTaskFactory()
    Submission.objects.create(enrolment=EnrolmentFactory(cohort=used.cohort), task=used)
    leader_client.post(reverse("assessment_tasks:delete", args=[used.pk]))
    assert AssessmentTask.objects.filter(pk=used.pk).exists()
    assert leader_client.post(reverse("assessment_tasks:delete", args=[unused.pk])).status_code == 302
    assert not AssessmentTask.objects.filter(pk=unused.pk).exists()
