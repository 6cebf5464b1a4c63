"""The `every_page_load` fixture (tests/browser/conftest.py) that runs axe-core on every page a
browser test loads: each HTML document is kept, though the test moved on before it finished
loading; redirects are followed by the browser and never kept; a form sent back with errors is
kept; sign-in still sets its cookie; and a violation in a kept document is reported with the
document's address and the rule broken."""

import dataclasses

import pytest

from accounts.roles import Role
from tests.browser.conftest import PageLoads
from tests.browser.test_sign_in_journey import sign_in
from tests.factories import SchoolFactory, UserFactory, enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_document_is_kept_and_a_violation_in_one_fails_with_its_address_and_rule(live_server, browser):
    enrol(SchoolFactory(), participant=UserFactory(email="pat@example.org", roles=[Role.PARTICIPANT]))
    loads = PageLoads(browser)  # a recorder of its own, so that the broken page below fails only here
    page = loads.new_context().new_page()
    login = f"{live_server.url}/accounts/login/"

    page.goto(f"{live_server.url}/handbook/accessibility/", wait_until="commit")
    page.goto(f"{live_server.url}/programme/my-programme/")  # anonymous: redirected to sign in
    assert page.url.startswith(login)
    sign_in(page, live_server.url, "pat@example.org", "not-the-password")
    page.get_by_text("There is a problem").first.wait_for()
    sign_in(page, live_server.url, "pat@example.org")
    page.get_by_role("heading", name="My programme").wait_for()
    loads.close_contexts()

    kept = [(load.method, load.url.removeprefix(live_server.url).split("?")[0], load.status) for load in loads.loads]
    assert kept == [
        ("GET", "/handbook/accessibility/", 200),  # left before it had loaded, kept all the same
        ("GET", "/accounts/login/", 200),  # where the redirect led (the redirect itself is no page)
        ("GET", "/accounts/login/", 200),
        ("POST", "/accounts/login/", 200),  # sent back with an error
        ("GET", "/accounts/login/", 200),
        ("GET", "/programme/my-programme/", 200),  # signed in and redirected: the session cookie set
    ]
    assert loads.unkept == []
    assert loads.violations() == []

    broken = loads.loads[3]
    loads.loads = [dataclasses.replace(broken, body=broken.body.replace(b"</main>", b'<img src="/x.png"></main>'))]
    (problem,) = loads.violations()
    assert problem.startswith(f"POST {broken.url} (200): image-alt: Images must have alternative text")
