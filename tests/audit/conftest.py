import pytest

from tests.coaching.factories import coaching_world


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    # The MFA prompt is tested in tests/accounts; here tutors and leaders go straight to their pages.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture
def world(db):
    return coaching_world()
