"""A programme leader answers a subject access request in Chromium: an unknown address refused
beside its field with what was typed kept, then the export made and downloaded, with JavaScript and
without; axe-core finds no WCAG 2.2 A/AA violation on the pages on the way."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from accounts.roles import Role
from tests.browser.conftest import watch_csp
from tests.browser.test_homes_layout import _signed_in_page
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, enrol
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def people(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    enrolment = enrol(SchoolFactory(name="Kestrel Moor Academy"))
    agreed_log(enrolment=enrolment, focus="Questioning in Year 8")
    # A programme leader is asked to set up two-factor sign-in first: this one has.
    leader = with_totp(UserFactory(roles=[Role.PROGRAMME_LEADER], first_name="Amara", last_name="Osei"))
    return leader, enrolment.participant


def _ask(page, live_server, email):
    page.goto(live_server.url + "/privacy/subject-access/")
    page.get_by_label("Email address of the person the request is about").fill(email)
    page.get_by_label("Day the request was received").fill("2025-11-03")
    page.get_by_role("button", name="Make the export").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_leader_makes_and_downloads_a_subject_access_export(live_server, browser, people, javascript):
    leader, participant = people
    context, page = _signed_in_page(browser, live_server, leader, DESKTOP)
    refused: list[str] = []
    if not javascript:
        # The same session, in a browser with JavaScript off and the site's CSP enforced.
        cookies = context.cookies()
        context.close()
        context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
        context.add_cookies(cookies)
        page = context.new_page()
        refused = watch_csp(page)
    page.goto(live_server.url + "/programme/overview/")
    page.get_by_role("link", name="Subject access requests").click()
    _ask(page, live_server, "nobody@example.org")
    error = "Nobody with an account here has that email address."
    assert error in page.locator(".govuk-error-summary").inner_text()
    assert error in page.locator(".govuk-form-group--error").inner_text()
    assert page.get_by_label("Email address of the person the request is about").input_value() == "nobody@example.org"

    _ask(page, live_server, participant.email)
    assert page.get_by_role("heading", level=1).inner_text() == str(participant)
    assert "Ready to download" in page.locator(".govuk-summary-list").inner_text()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download the export").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(caught.value.path()).read_bytes()))
    document = json.loads(archive.read("records.json"))
    assert document["records"]["coaching.DialogueLog"][0]["fields"]["focus"] == "Questioning in Year 8"
    page.goto(live_server.url + "/privacy/subject-access/")
    assert str(participant) in page.get_by_role("table").inner_text()
    assert refused == []
    context.close()
