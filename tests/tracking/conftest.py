import pytest


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    # Programme leaders must set up MFA first; these tests are about the dashboards.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]
