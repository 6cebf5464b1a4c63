import pytest

from tests.coaching.factories import coaching_world


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    # Tutors, leaders and examiners must set up MFA first; these tests are about reading files.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture
def world(db):
    """A participant with a coach, tutor and head, and people with no claim on their records."""
    return coaching_world()
