import pytest

from tests.assessment.examiner.helpers import examiner_world


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    # Tutors, leaders and examiners must set up MFA first; these tests are about the examiner's sample.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture
def world(db):
    return examiner_world()
