import pytest


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    # Programme leaders must set up MFA first; these tests are about the dashboards.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture(autouse=True)
def _risks_judged_at_each_write(monkeypatch):
    # These tests run in a transaction that is never committed, so the refresh of the stored
    # at-risk reasons after a commit would never run: here it runs at each write instead.
    # test_stored_risks.py checks the after-commit path itself.
    from tracking import stored_risks

    monkeypatch.setattr(stored_risks, "_schedule", stored_risks._flush)
