"""The Content-Security-Policy refuses nothing the portal itself needs, in Chromium, with JavaScript on."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from wagtail.models import Page

from handbook.models import HomePage
from tests.browser.conftest import watch_csp
from tests.coaching.factories import agreed_log, coaching_world
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(browser, live_server, user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context()
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    return context.new_page()


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


def test_portal_pages_load_their_script_and_styles_under_the_policy(live_server, browser, wagtail_tree):
    world = coaching_world()
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    page = _signed_in_page(browser, live_server, world.coach)
    refused = watch_csp(page)
    for path in ["/programme/my-coachees/", f"/coaching/logs/{log.pk}/", "/account/", "/no-such-page/"]:
        page.goto(live_server.url + path)
        # portal.js ran: GOV.UK Frontend's scripts are on.
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), path
    assert refused == []


def test_the_cms_works_under_its_own_policy(live_server, browser, wagtail_tree):
    # Wagtail's admin runs inline scripts and styles: under the portal's strict policy its page
    # editor refuses six of them, under the /cms/ policy none.
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="csp-home", intro="Welcome."))
    page = _signed_in_page(browser, live_server, with_totp(coaching_world().leader))
    refused = watch_csp(page)
    for path in ["/cms/", f"/cms/pages/{home.pk}/edit/", "/cms/images/", reverse("accounts_invitations:index")]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.url == live_server.url + path  # the page itself, not a sign-in step
        assert page.title().endswith("Wagtail"), path
    assert refused == []
