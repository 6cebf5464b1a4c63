"""Error pages are pages of the portal: its design, its menu, a way on, and a reason to act on."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from coaching.models import ActionStep
from tests.coaching.factories import agreed_log

pytestmark = pytest.mark.django_db


def _is_a_portal_page(body: str) -> None:
    assert 'class="govuk-header' in body
    assert 'class="govuk-footer' in body
    assert "portal.css" in body


def test_a_page_not_found_has_the_menu_and_a_way_home(client, world):
    client.force_login(world.coach)
    response = client.get("/coaching/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    _is_a_portal_page(body)
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in body
    assert "Your account" in body  # the signed-in menu
    assert f'href="{reverse("dashboard")}"' in body


def test_a_refused_write_says_why_on_a_portal_page(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.participant)
    response = client.post(
        reverse("coaching:opportunities", args=[world.enrolment.pk]),
        {"kind": "observing", "description": "x", "happens_on": "2025-10-08"},
    )
    assert response.status_code == 403
    body = response.content.decode()
    _is_a_portal_page(body)
    assert "You cannot do that" in body
    assert "Only the participant&#x27;s coach arranges opportunities." in body
    assert "Nothing has been changed." in body

    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:action_step_create", args=[log.pk]),
        {"owner": str(world.participant.pk), "description": "Read a chapter", "due_on": "2025-12-01"},
    )
    assert response.status_code == 403
    _is_a_portal_page(response.content.decode())
    assert ActionStep.objects.count() == 0


def test_a_bad_request_is_a_portal_page():
    request = RequestFactory().get("/")
    response = defaults.bad_request(request, SuspiciousOperation("bad"))
    assert response.status_code == 400
    body = response.content.decode()
    _is_a_portal_page(body)
    assert "Something was wrong with that request" in body


def test_a_server_error_page_renders_without_any_context():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    _is_a_portal_page(body)
    assert "Sorry, there is a problem with the portal" in body
    assert 'href="/"' in body
