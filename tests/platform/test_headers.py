"""Headers that protect what a page shows: no copy kept in any cache, and a Content-Security-Policy."""

import re
import subprocess
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import reverse

from mtl_portal.middleware import PortalCSPMiddleware
from tests.coaching.factories import agreed_log

pytestmark = pytest.mark.django_db

NO_STORE = "no-store, private"


def _personal_pages(world) -> list[tuple[object, str]]:
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    return [
        (world.coach, reverse("coaching:log_detail", args=[log.pk])),
        (world.head, reverse("tracking:head_home")),
        (world.leader, reverse("coaching:release_time_csv")),
        (world.participant, reverse("dashboard")),
    ]


def test_no_page_or_file_shown_to_a_signed_in_person_may_be_cached(client, world):
    for person, url in _personal_pages(world):
        client.force_login(person)
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url


def test_the_sign_out_page_is_not_cached_either(client, world):
    client.force_login(world.participant)
    assert client.post(reverse("account_logout"))["Cache-Control"] == NO_STORE


def test_public_pages_for_people_not_signed_in_may_be_cached(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_production_settings_also_refuse_caching(client, world, settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    client.force_login(world.head)
    response = client.get(reverse("tracking:head_home"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Cache-Control"] == NO_STORE
    assert response["Content-Encoding"] == "gzip"


# --- Content-Security-Policy


def _policy(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: (values[0] if values else "") for name, *values in directives}


def test_every_portal_page_has_a_strict_content_security_policy(client, world):
    for person, url in [(None, reverse("account_login")), *_personal_pages(world)]:
        if person:
            client.force_login(person)
        policy = _policy(client.get(url, follow=True))
        assert policy["default-src"] == "'self'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert policy["object-src"] == "'none'", url
        assert policy["base-uri"] == "'self'", url
        assert "unsafe-inline" not in policy["script-src"], url


def test_a_page_not_found_has_the_policy_too(client):
    assert _policy(client.get("/no-such-page/"))["default-src"] == "'self'"


def test_the_cms_has_its_own_looser_policy_for_its_inline_scripts(client, world):
    client.force_login(world.leader)
    response = client.get("/cms/")
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"


def test_no_template_carries_an_inline_style_or_a_script_without_the_nonce():
    # The browser refuses both; tests/browser sees it on the pages it visits, this test on every template.
    root = Path(__file__).resolve().parents[2]
    tracked = subprocess.run(["git", "ls-files", "*.html"], cwd=root, capture_output=True, text=True, check=True)
    inline_script = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*csp_nonce)(?![^>]*application/json)")
    offending = []
    for name in tracked.stdout.split():
        text = (root / name).read_text()
        if re.search(r"\sstyle=", text) or inline_script.search(text):
            offending.append(name)
    assert offending == []


def test_a_script_that_must_be_inline_runs_with_the_request_s_nonce(rf):
    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">document.title = "x";</script>')

    request = rf.get("/coaching/")
    response = PortalCSPMiddleware(view)(request)
    policy = _policy(response)
    assert f"'nonce-{request._csp_nonce}'" in policy["script-src"]
    assert "unsafe-inline" not in policy["script-src"]
