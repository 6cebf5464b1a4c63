import pytest

from assessment.models import AssessmentTask
from tests.coaching.factories import coaching_world


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    # Tutors must set up MFA first; these tests are about credits and progression.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture
def world(db):
    return coaching_world()


@pytest.fixture
def passes(monkeypatch):
    """Tasks passed by a participant, as released results would say: `passes.add(enrolment, task)`.
    Stands in for marking's released outcomes behind the one selector that reads them."""

    class Passes:
        def __init__(self):
            self.found: dict[int, set[int]] = {}

        def add(self, enrolment, *tasks):
            self.found.setdefault(enrolment.pk, set()).update(t.pk for t in tasks)

        def __call__(self, enrolment_id):
            return AssessmentTask.objects.filter(pk__in=sorted(self.found.get(enrolment_id, set())))

    found = Passes()
    monkeypatch.setattr("assessment.selectors.credits.passed_tasks", found)
    return found
