"""The production headers, scored by the rules the Mozilla HTTP Observatory publishes for its grade
(issue 8.4: B, 75, before the Content-Security-Policy; A+ needs 100 or more).

The security settings are read from the production settings module itself (in a child process,
since it refuses to load without its environment), then applied to the test run, so the score
follows whatever production really sends. Only the tests that apply to a site serving everything
from its own origin are scored; each rule names the Observatory's result it stands for.
"""

import json
import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECURITY_SETTINGS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "CROSS_ORIGIN_RESOURCE_POLICY",
    "PERMISSIONS_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "MIDDLEWARE",
]
PRIVATE_REFERRERS = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
SIX_MONTHS = 15_552_000


def _production_security_settings(tmp_path) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SECRET_KEY": "x" * 64,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "portal.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "mtl_portal.settings.production",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _csp(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0].lower(): words[1:] for words in parts}


def observatory_score(response) -> tuple[int, list[str]]:
    """The score and the results that moved it, by the Observatory's published rules: penalties
    first, and bonuses only for a site already scoring 90 or more."""
    penalties, bonuses, results = 0, 0, []

    def result(name: str, modifier: int) -> None:
        nonlocal penalties, bonuses
        results.append(f"{name} ({modifier:+d})")
        if modifier < 0:
            penalties += modifier
        else:
            bonuses += modifier

    # Content Security Policy.
    header = response.get("Content-Security-Policy")
    if not header:
        result("csp-not-implemented", -25)
        policy = {}
    else:
        policy = _csp(header)
        script_src = policy.get("script-src", policy.get("default-src", []))
        style_src = policy.get("style-src", policy.get("default-src", []))
        if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
            result("csp-implemented-with-unsafe-inline-or-eval", -20)
        elif "'unsafe-inline'" in style_src:
            result("csp-implemented-with-unsafe-inline-in-style-src-only", 0)
        elif policy.get("default-src") == ["'none'"]:
            result("csp-implemented-with-no-unsafe-default-src-none", 10)
        else:
            result("csp-implemented-with-no-unsafe", 0)
    # Cookies.
    cookies = SimpleCookie()
    for morsel in response.cookies.values():
        cookies[morsel.key] = morsel
    if not cookies:
        result("cookies-not-found", 0)
    elif all(m["secure"] and m["samesite"] for m in cookies.values()) and all(
        m["httponly"] for name, m in cookies.items() if "session" in name or "csrf" in name
    ):
        result("cookies-secure-with-httponly-sessions-and-samesite", 5)
    else:
        result("cookies-without-secure-flag-or-samesite", -10)
    # Referrer policy.
    referrer = {value.strip() for value in response.get("Referrer-Policy", "").split(",") if value.strip()}
    if referrer and referrer <= PRIVATE_REFERRERS:
        result("referrer-policy-private", 5)
    elif not referrer:
        result("referrer-policy-not-implemented", 0)
    else:
        result("referrer-policy-unsafe", -5)
    # Strict-Transport-Security.
    found = re.search(r"max-age=(\d+)", response.get("Strict-Transport-Security", ""))
    max_age = int(found.group(1)) if found else 0
    if max_age >= SIX_MONTHS:
        result("hsts-implemented-max-age-at-least-six-months", 0)
    else:
        result("hsts-not-implemented-or-short", -20)
    # X-Content-Type-Options.
    if response.get("X-Content-Type-Options", "").lower() == "nosniff":
        result("x-content-type-options-nosniff", 0)
    else:
        result("x-content-type-options-not-implemented", -5)
    # X-Frame-Options, or the CSP's frame-ancestors that replaces it.
    if policy.get("frame-ancestors") in (["'none'"], ["'self'"]):
        result("x-frame-options-implemented-via-csp", 5)
    elif response.get("X-Frame-Options", "").upper() in {"DENY", "SAMEORIGIN"}:
        result("x-frame-options-sameorigin-or-deny", 0)
    else:
        result("x-frame-options-not-implemented", -20)
    # Cross-Origin-Resource-Policy (added to the scoring in 2024).
    corp = response.get("Cross-Origin-Resource-Policy")
    if corp is None:
        result("corp-not-implemented", 0)
    elif corp.strip().lower() in {"same-origin", "same-site"}:
        result(f"corp-implemented-with-{corp.strip().lower()}", 10)
    elif corp.strip().lower() == "cross-origin":
        result("corp-implemented-with-cross-origin", 0)
    else:
        result("corp-header-invalid", -5)
    score = 100 + penalties
    return (score + bonuses if score >= 90 else score), results


@pytest.fixture
def production_headers(settings, tmp_path):
    for name, value in _production_security_settings(tmp_path).items():
        setattr(settings, name, value)
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False  # the request below is already HTTPS
    settings.ALLOWED_HOSTS = ["portal.example.org"]


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_production_headers_score_a_plus_on_the_observatory_s_published_scoring(client, production_headers, path):
    response = client.get(path, secure=True, HTTP_HOST="portal.example.org")
    assert response.status_code == 200
    score, results = observatory_score(response)
    assert score >= 100, results  # A+


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_production_turns_off_unused_browser_features_and_cross_origin_handles(client, production_headers, path):
    response = client.get(path, secure=True, HTTP_HOST="portal.example.org")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    policy = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "autoplay", "display-capture"):
        assert policy[feature] == "()", feature
    assert policy["fullscreen"] == "(self)"  # evidence videos play inline
    score, results = observatory_score(response)
    assert "corp-implemented-with-same-origin (+10)" in results


def test_a_pdf_is_not_given_a_resource_policy(rf, settings):
    from django.http import HttpResponse

    from mtl_portal.middleware import CrossOriginHeadersMiddleware

    pdf = CrossOriginHeadersMiddleware(lambda request: HttpResponse(b"%PDF-1.7", content_type="application/pdf"))
    html = CrossOriginHeadersMiddleware(lambda request: HttpResponse(b"<p>hi</p>"))
    assert "Cross-Origin-Resource-Policy" not in pdf(rf.get("/"))
    assert html(rf.get("/"))["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in pdf(rf.get("/"))["Permissions-Policy"]


def test_the_scoring_gives_the_grade_the_review_measured_without_a_policy():
    """Without the Content-Security-Policy and its frame-ancestors the same rules give the B (75)
    that the review found, so the scorer is not simply generous."""
    from django.http import HttpResponse

    response = HttpResponse()
    response["Strict-Transport-Security"] = "max-age=31536000"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "DENY"
    response["Referrer-Policy"] = "same-origin"
    assert observatory_score(response)[0] == 75  # 100 - 25 for no CSP; no bonus below 90
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    assert observatory_score(response)[0] == 75  # the resource policy's bonus does not count below 90
    response["Cross-Origin-Resource-Policy"] = "same-orign"
    assert observatory_score(response)[0] == 70  # a misspelt policy costs 5
