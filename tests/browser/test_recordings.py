"""A recording plays inline in Chromium through the one download view: in the player on the
evidence page, and opened on its own, for someone the access policy lets view it. "Plays" means
the browser fetched it, parsed it and knows its length (readyState HAVE_METADATA), which waits
on the browser, not on the clock."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from files.services import private_file_store
from portfolio.models import Evidence, EvidenceFile
from tests.browser.test_sign_in_journey import sign_in
from tests.factories import SchoolFactory, assign_coach, enrol, staff
from tests.files import samples
from tests.portfolio.factories import EvidenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Resolves once the element has its metadata or has given up; the page's own state is reported.
LOADED = "el => el.readyState >= HTMLMediaElement.HAVE_METADATA || el.error !== null"
STATE = "el => ({ready: el.readyState, error: el.error && el.error.code, duration: el.duration})"


def _recording(name: str, data: bytes) -> EvidenceFile:
    school = SchoolFactory()
    coach = staff(Role.COACH, school, email="coach@example.org")
    enrolment = enrol(school)
    assign_coach(enrolment, coach)
    evidence = EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.FILE, title="Reading aloud", body="")
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return private_file_store(record=EvidenceFile(evidence=evidence), upload=upload, by=enrolment.participant)


def _loaded(page, player, *, preload: bool = False) -> dict:
    if preload:  # the evidence page says preload="none": a person pressing play would start it
        player.evaluate("el => { el.preload = 'metadata'; el.load(); }")
    page.wait_for_function(LOADED, arg=player)
    return player.evaluate(STATE)


@pytest.mark.parametrize(
    ("name", "data", "element"), [("voice.m4a", samples.m4a(), "audio"), ("clip.mp4", samples.mp4(), "video")]
)
def test_the_coach_plays_a_recording_on_the_evidence_page(live_server, page, name, data, element):
    kept = _recording(name, data)
    sign_in(page, live_server.url, "coach@example.org")
    page.goto(live_server.url + kept.evidence.get_absolute_url())
    state = _loaded(page, page.locator(f"{element}.portal-player").element_handle(), preload=True)
    assert state["error"] is None
    assert state["duration"] == pytest.approx(1, abs=0.05)


def test_a_recording_opened_on_its_own_plays_in_the_browser(live_server, page):
    kept = _recording("voice.m4a", samples.m4a())
    sign_in(page, live_server.url, "coach@example.org")
    response = page.goto(live_server.url + kept.download_url)
    assert response.headers["content-disposition"] == 'inline; filename="voice.m4a"'
    state = _loaded(page, page.locator("video, audio").element_handle())  # the browser's own player page
    assert state["error"] is None
    assert state["duration"] == pytest.approx(1, abs=0.05)
