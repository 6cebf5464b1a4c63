"""Privacy on the demo's seeded programme: erasing the demo participant keeps their results, credits
and award record and blanks every field erasure names; and every row about the participant, their
coach, their tutor or the programme leader is in their subject access export. The demo is seeded
once for the module (it is the slow part); each test runs in a savepoint rolled back after it."""

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from privacy import erasure, services, subject_access
from programme import access, demo
from programme.models import Enrolment
from tests.privacy.test_erasure import TODAY, left_long_ago
from tests.privacy.test_subject_access_coverage import _pointing_fields
from tests.seeded_once import seed_demo, shared_by_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with shared_by_the_module(django_db_blocker):
        seed_demo()
        yield


def _results(enrolment) -> dict[str, list]:
    """What erasure keeps: the marks and outcomes, criterion marks, phases confirmed and credits."""
    from assessment.models import CriterionMark, Marking, PhaseCompletion, PriorLearningClaim

    return {
        "marks": sorted(
            Marking.objects.filter(submission__enrolment=enrolment).values_list(
                "pk", "overall_mark", "adjusted_mark", "outcome", "state"
            )
        ),
        "criteria": sorted(
            CriterionMark.objects.filter(marking__submission__enrolment=enrolment).values_list("pk", "mark", "band_id")
        ),
        "phases": sorted(
            PhaseCompletion.objects.filter(enrolment=enrolment).values_list("pk", "phase_id", "confirmed_at")
        ),
        "prior": sorted(PriorLearningClaim.objects.filter(enrolment=enrolment).values_list("pk", "credits", "status")),
    }


def test_on_the_demo_programme_results_credits_and_the_award_record_stay_and_every_erased_field_is_blank(
    seeded, django_capture_on_commit_callbacks
):
    person = get_user_model().objects.get(email=demo.demo_email("participant"))
    enrolment = person.enrolments.get()
    kept = _results(enrolment)
    assert kept["marks"]  # the demo participant has released results to keep
    left_long_ago(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.erasures_run(today=TODAY) == 1
    assert _results(enrolment) == kept
    counts = AuditEvent.objects.get(action="erasure").detail["counts"]
    assert len(counts) >= 15  # the demo's records of many kinds were blanked
    for item in erasure.ERASED:
        rows = item.model._default_manager.filter(**{f"{item.enrolment}__in": [enrolment.pk]})
        for name in item.fields:
            blank = erasure._blank(item.model, name)
            assert not rows.exclude(**{name: blank}).exists(), f"{item.label}.{name}"


def _missing_from_export(person) -> tuple[dict[str, list[int]], int]:
    """The rows pointing at the person (or their enrolments, or registered as part of their
    records) that their export leaves out, and how many kinds of record they have."""
    enrolments = list(Enrolment.objects.filter(participant=person).values_list("pk", flat=True))
    exported = subject_access.gather(person).records
    expected: dict[str, set] = {}
    for model, name in _pointing_fields():
        if model._meta.label in subject_access.EXCLUDED:
            continue
        target = enrolments if model._meta.get_field(name).related_model is Enrolment else [person.pk]
        pks = set(model._default_manager.filter(**{f"{name}__in": target}).values_list("pk", flat=True))
        if pks:
            expected.setdefault(model._meta.label, set()).update(pks)
    for enrolment in enrolments:
        for model, rows in access.records_of(enrolment).items():
            pks = set(rows.values_list("pk", flat=True))
            if pks:
                expected.setdefault(model._meta.label, set()).update(pks)
    missing = {}
    for label, pks in expected.items():
        left = pks - {row["id"] for row in exported.get(label, [])}
        if left:
            missing[label] = sorted(left)
    return missing, len(expected)


def test_on_the_demo_programme_every_row_about_a_person_is_in_their_export(seeded):
    # One seeding for the four people: it is the slow part.
    for who, kinds in [("participant", 20), ("coach", 8), ("tutor", 5), ("leader", 4)]:
        person = get_user_model().objects.get(email=demo.demo_email(who))
        missing, found = _missing_from_export(person)
        assert missing == {}, who
        assert found >= kinds, who  # the demo gave them records that could have been missed
