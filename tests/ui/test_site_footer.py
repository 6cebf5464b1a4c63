"""The footer's promise about coaching records is the one the access policy keeps: the participant
and coach read a record in full, the tutor once it is agreed, heads and programme leaders only its
dates, length and content areas."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_footer_says_who_reads_coaching_records(client):
    body = client.get(reverse("account_login")).content.decode()
    footer = body.split('<footer class="govuk-footer"', 1)[1]
    assert "by their tutor once both have agreed it" in footer
    assert "Heads and programme leaders see only its dates, length and content areas" in footer
    assert "confidential to the participant and their coach" not in footer


def test_sign_out_and_your_account_are_in_the_header_not_the_menu(client):
    client.force_login(UserFactory(roles=[Role.PARTICIPANT]))
    body = client.get(reverse("accounts:account_overview")).content.decode()
    header, menu = body.split('<header class="govuk-header"', 1)[1].split("</header>", 1)
    assert ">Sign out</button>" in header
    assert "Your account</a>" in header
    assert "Sign out" not in menu.split('id="main-content"', 1)[0]
