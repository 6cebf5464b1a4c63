import pytest

from tests.coaching.factories import coaching_world


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    # Programme leaders must set up MFA first; these tests are about data protection.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def world(db):
    return coaching_world()
