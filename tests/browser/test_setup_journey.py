"""Journey 1 of PRODUCT.md in Chromium, as the people in it: the programme leader signs in with two
factors and, in the CMS, adds a school and a cohort with its eligibility rules, and invites a
participant, a coach and a tutor; each opens the link in the email Django sent, sets a password
(the tutor then sets up two-factor sign-in); the leader enrols the participant through the
enrolment form's participant chooser and assigns the coach and the tutor; the coach and the
participant then see each other on their homes. axe-core finds no WCAG 2.2 A/AA violation on any
page on the way. Without JavaScript, the invitations are sent and accepted, the participant enrolled
and the support assigned through the same forms."""

import datetime
import re

import pytest
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import is_mfa_enabled
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from programme.models import CoachAssignment, Cohort, Enrolment, Post, School, TutorAssignment
from tests.browser.conftest import axe_violations, axe_violations_without_javascript, watch_csp
from tests.browser.test_sign_in_journey import sign_in
from tests.factories import SchoolFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kestrel-moor-2026-first"
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def totp_counter(monkeypatch):
    """One TOTP window for the whole test, so a code worked out here is still good when the live
    server checks it, whichever second the test runs in."""
    counter = next(iter(totp_auth.yield_hotp_counters_from_time()))
    monkeypatch.setattr(totp_auth, "yield_hotp_counters_from_time", lambda: iter([counter]))
    return counter


@pytest.fixture
def leader(settings, live_server, totp_counter):
    settings.PORTAL_BASE_URL = live_server.url  # the links in the emails lead to this server
    person = UserFactory(
        email="amara.osei@example.org", first_name="Amara", last_name="Osei", roles=[Role.PROGRAMME_LEADER]
    )
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    return person, secret


def _code(secret: str, counter: int) -> str:
    return format_hotp_value(hotp_value(secret, counter))


def _no_violations(page, where: str) -> None:
    # axe-core measures a position: sticky element where it is drawn now, not where it belongs
    # (dequelabs/axe-core#3720): once a long CMS form has scrolled, a control passing under the
    # CMS's sticky header counts as a target too small. Back to the top first, where it belongs;
    # and the animations under way jump to their end, as a reader sees the page a moment later
    # (the CMS's messages fade their colour in; its "what's new" badge pulses for 25 s).
    page.evaluate(
        "() => { for (const area of [document.scrollingElement, ...document.querySelectorAll('main')])"
        " area.scrollTo({top: 0, behavior: 'instant'});"
        " for (const a of document.getAnimations())"
        " if (a.effect && a.effect.getComputedTiming().endTime !== Infinity) a.finish(); }"
    )
    assert axe_violations(page) == [], where


def _panel_toggles_at_small_text(page) -> list[tuple[float, float]]:
    """Each shown "Toggle section" button's size in CSS px with the root font size at 12px, as a
    reader who chose smaller text has it."""
    return page.evaluate(
        """() => {
            document.documentElement.style.fontSize = '12px';
            const sizes = [...document.querySelectorAll('.w-panel__toggle')]
                .map(b => b.getBoundingClientRect()).filter(r => r.width > 0).map(r => [r.width, r.height]);
            document.documentElement.style.fontSize = '';
            return sizes;
        }"""
    )


def _context(browser, *, javascript: bool):
    context = browser.new_context(viewport=WIDE, java_script_enabled=javascript)
    page = context.new_page()
    return context, page, watch_csp(page)


def _sign_in_with_two_factors(page, base_url: str, email: str, secret: str, counter: int, *, check=True) -> None:
    sign_in(page, base_url, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    if check:
        _no_violations(page, "the two-factor code page")
    page.get_by_label("Code", exact=True).fill(_code(secret, counter))
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _emailed_link(email: str) -> str:
    """The accept link from the one invitation Django's mail backend sent to `email`."""
    sent = [m for m in mail.outbox if m.to == [email]]
    assert len(sent) == 1, [m.to for m in mail.outbox]
    found = re.search(r"https?://\S+/invitations/\S+/", sent[0].body)
    assert found, sent[0].body
    return found.group(0)


def _invite(page, base_url, *, email, first, last, role, school=None, check=False) -> None:
    page.goto(base_url + "/cms/accounts_invitations/")
    page.get_by_role("link", name="Add invitation", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New: Invitation")
    page.get_by_label("Email*", exact=True).fill(email)
    page.get_by_label("First name*", exact=True).fill(first)
    page.get_by_label("Last name*", exact=True).fill(last)
    page.get_by_label(role, exact=True).check()
    if school:
        page.get_by_label("School", exact=True).select_option(label=school)
    if check:
        _no_violations(page, "the invitation form")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_text(f"An invitation is on its way to {email}.")).to_be_visible()


def _accept(page, link, *, first: str, check: bool) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {first}")
    if check:
        _no_violations(page, "the invitation page")
    page.get_by_label("Create a password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()


def _set_up_two_factors(page, user_email: str, counter: int, *, check: bool) -> None:
    """Straight from the invitation to the authenticator set-up: the password was typed a moment ago."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    if check:
        _no_violations(page, "the authenticator set-up")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code", exact=False).fill(_code(secret, counter))
    page.get_by_role("button", name="Activate", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    if check:
        _no_violations(page, "the recovery codes")
    assert is_mfa_enabled(User.objects.get(email=user_email))


def _fill_date(page, label: str, day: datetime.date) -> None:
    """Types the date. Where the field has the CMS's date picker (AdminDateInput, whose script the
    page loads, with JavaScript on), it opens a moment after the field takes focus; once it has,
    Tab leaves the field and closes it (Escape does not)."""
    field = page.get_by_role("textbox", name=label, exact=False)
    field.fill(day.isoformat())
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    if field.get_attribute("autocomplete") == "off" and page.evaluate(
        "() => !!document.querySelector('script[src*=\"date-time-chooser\"]') && !!window.jQuery"
    ):
        expect(pickers).to_have_count(1)
    field.press("Tab")
    expect(pickers).to_have_count(0)


def _dates():
    """A participant in their second year of teaching, starting today: inside the timing rules."""
    today = timezone.localdate()
    first_post = today - datetime.timedelta(days=400)
    return today, first_post - datetime.timedelta(days=60), first_post


def _assign(page, *, action: str, person: str, label: str, day: datetime.date, check: bool) -> None:
    page.get_by_role("navigation", name="Enrolment actions").get_by_role("link", name=action, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(action)
    page.get_by_label(action.split()[-1].capitalize() + "*", exact=True).select_option(label=person)
    _fill_date(page, label, day)
    if check:
        _no_violations(page, f"the {action} form")
    page.get_by_role("button", name=action, exact=True).click()


def _invitees_accept(browser, refused: list[str], counter: int, *, javascript: bool) -> None:
    """The participant and the coach accept through their emailed links and land on their homes; the
    tutor accepts and sets up two factors. axe runs on each page when JavaScript is on."""
    for email, first in [("pat.learner@example.org", "Pat"), ("cara.coach@example.org", "Cara")]:
        invitee, invitee_page, seen = _context(browser, javascript=javascript)
        refused += seen
        _accept(invitee_page, _emailed_link(email), first=first, check=javascript)
        expect(invitee_page.get_by_role("button", name="Sign out")).to_be_visible()
        if javascript:
            _no_violations(invitee_page, f"{first}'s home before enrolment")
        invitee.close()
    tutor, tutor_page, seen = _context(browser, javascript=javascript)
    refused += seen
    _accept(tutor_page, _emailed_link("tom.tutor@example.org"), first="Tom", check=javascript)
    _set_up_two_factors(tutor_page, "tom.tutor@example.org", counter, check=javascript)
    tutor.close()


def test_journey_1_the_leader_sets_up_a_cohort_and_its_people(live_server, browser, leader, totp_counter):
    leader_user, leader_secret = leader
    base = live_server.url
    today, qts_on, first_post = _dates()
    refused: list[str] = []

    # The programme leader signs in with password and code, and opens the CMS from the menu.
    context, page, seen = _context(browser, javascript=True)
    refused += seen
    _sign_in_with_two_factors(page, base, leader_user.email, leader_secret, totp_counter)
    page.get_by_role("link", name="Programme admin", exact=True).click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    _no_violations(page, "the CMS dashboard")

    # A school.
    page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Programme").click()
    page.get_by_role("link", name="Schools", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools")
    _no_violations(page, "the schools")
    page.get_by_role("link", name="Add school", exact=False).first.click()
    page.get_by_role("textbox", name="Name*", exact=True).fill("Kestrel Moor Academy")
    page.get_by_role("textbox", name="Unique reference number*", exact=True).fill("137041")
    page.get_by_role("combobox", name="Region*", exact=True).select_option(label="North East")
    page.get_by_role("combobox", name="Phase of education*", exact=True).select_option(label="Secondary")
    page.get_by_role("spinbutton", name="Pupils eligible for free school meals (%)*", exact=True).fill("31.5")
    _no_violations(page, "the new school form")
    toggles = _panel_toggles_at_small_text(page)
    assert toggles
    assert all(width >= 24 and height >= 24 for width, height in toggles), toggles
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools")
    assert School.objects.filter(name="Kestrel Moor Academy", urn="137041").exists()

    # A cohort, with two eligibility rules: the year QTS was gained and the school's region.
    page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Programme").click()
    page.get_by_role("link", name="Cohorts", exact=True).click()
    page.get_by_role("link", name="Add cohort", exact=False).first.click()
    page.get_by_role("textbox", name="Name*", exact=True).fill("North East early career 2026")
    page.get_by_role("spinbutton", name="Academic year*", exact=True).fill(str(today.year))
    _fill_date(page, "Opens on*", today - datetime.timedelta(days=60))
    rules = page.get_by_role("region", name="Eligibility rules")
    for kind, value in [
        ("Year QTS was gained is one of", str(qts_on.year)),
        ("School's region is one of", "north_east"),
    ]:
        rules.get_by_role("button", name="Add Eligibility rules").click()
        rules.get_by_role("combobox", name="Kind*").last.select_option(label=kind)
        rules.get_by_role("textbox", name="Value*").last.fill(value)
    _no_violations(page, "the new cohort form with its rules")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohorts")
    cohort = Cohort.objects.get(name="North East early career 2026")
    assert sorted(cohort.eligibility_rules.values_list("kind", "value")) == [
        ("qts_year_in", str(qts_on.year)),
        ("region_in", "north_east"),
    ]

    # Three invitations, each by email.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Invitations", exact=True).click()
    _no_violations(page, "the invitations")
    _invite(page, base, email="pat.learner@example.org", first="Pat", last="Learner", role="Participant", check=True)
    _invite(
        page,
        base,
        email="cara.coach@example.org",
        first="Cara",
        last="Coach",
        role="In-school coach",
        school="Kestrel Moor Academy",
    )
    _invite(page, base, email="tom.tutor@example.org", first="Tom", last="Tutor", role="HEI tutor")
    _no_violations(page, "the invitations after sending three")

    # Each accepts through the emailed link and sets a password; the tutor sets up two factors.
    _invitees_accept(browser, refused, totp_counter, javascript=True)

    # The leader enrols the participant, chosen in the participant chooser.
    page.goto(base + "/cms/programme_enrolments/")
    _no_violations(page, "the enrolments")
    page.get_by_role("link", name="Add enrolment", exact=False).first.click()
    page.get_by_role("button", name="Choose a participant").click()
    chooser = page.get_by_role("dialog")
    expect(chooser).to_be_visible()
    chooser.get_by_label("Name or email").fill("learner")
    chooser.get_by_role("link", name="Pat Learner", exact=True).click()
    expect(chooser).to_be_hidden()
    page.get_by_label("Cohort*", exact=True).select_option(label="North East early career 2026")
    page.get_by_label("School*", exact=True).select_option(label="Kestrel Moor Academy")
    _fill_date(page, "Qualified teacher status gained on*", qts_on)
    _fill_date(page, "First teaching post started on*", first_post)
    _fill_date(page, "Started the programme on*", today)
    page.get_by_label("Post*", exact=True).select_option(value=Post.CLASS_TEACHER)
    _no_violations(page, "the enrolment form with the participant chosen")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("navigation", name="Enrolment actions")).to_be_visible()
    _no_violations(page, "the new enrolment")
    enrolment = Enrolment.objects.get(participant__email="pat.learner@example.org")
    assert (enrolment.cohort, enrolment.programme_started_on) == (cohort, today)

    _assign(
        page,
        action="Change coach",
        person="Cara Coach (cara.coach@example.org)",
        label="Coaches from",
        day=today,
        check=True,
    )
    expect(page.get_by_text(f"Cara Coach coaches Pat Learner from {today.day} {today:%B %Y}.")).to_be_visible()
    _assign(
        page,
        action="Change tutor",
        person="Tom Tutor (tom.tutor@example.org)",
        label="Tutor from",
        day=today,
        check=True,
    )
    expect(page.get_by_text(f"Tom Tutor is Pat Learner's tutor from {today.day} {today:%B %Y}.")).to_be_visible()
    _no_violations(page, "the enrolment with its coach and tutor")
    assert CoachAssignment.objects.get(enrolment=enrolment).coach.email == "cara.coach@example.org"
    assert TutorAssignment.objects.get(enrolment=enrolment).tutor.email == "tom.tutor@example.org"
    context.close()

    # The coach sees the participant on their home; the participant sees their coach and tutor.
    _homes_show_each_other(browser, base, refused, javascript=True)
    assert refused == []


def _homes_show_each_other(browser, base, refused, *, javascript: bool) -> None:
    context, page, seen = _context(browser, javascript=javascript)
    refused += seen
    sign_in(page, base, "cara.coach@example.org", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My coachees")
    # The link reads "Pat Learner: coaching timeline"; the accessible name has a space before the colon.
    expect(page.get_by_role("link", name=re.compile(r"^Pat Learner\s*: coaching timeline$"))).to_be_visible()
    if javascript:
        _no_violations(page, "the coach's home")
    context.close()

    context, page, seen = _context(browser, javascript=javascript)
    refused += seen
    sign_in(page, base, "pat.learner@example.org", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My programme")
    support = page.locator(".govuk-summary-list", has_text="Coach")
    expect(support).to_contain_text("Kestrel Moor Academy")
    expect(support).to_contain_text("Cara Coach")
    expect(support).to_contain_text("Tom Tutor")
    if javascript:
        _no_violations(page, "the participant's home")
    context.close()


def test_journey_1_without_javascript(live_server, browser, leader, totp_counter):
    """The same set-up with JavaScript off, through the CMS's plain forms: the invitations, each
    acceptance and the tutor's two factors, the enrolment (the participant named by their email,
    since Wagtail's chooser is a script) and the coach and tutor assigned."""
    leader_user, leader_secret = leader
    base = live_server.url
    today, qts_on, first_post = _dates()
    school = SchoolFactory(name="Kestrel Moor Academy")
    cohort = Cohort.objects.create(
        name="North East early career 2026", academic_year=today.year, opens_on=today - datetime.timedelta(days=60)
    )
    refused: list[str] = []

    context, page, seen = _context(browser, javascript=False)
    refused += seen
    _sign_in_with_two_factors(page, base, leader_user.email, leader_secret, totp_counter, check=False)
    _invite(page, base, email="pat.learner@example.org", first="Pat", last="Learner", role="Participant")
    _invite(
        page,
        base,
        email="cara.coach@example.org",
        first="Cara",
        last="Coach",
        role="In-school coach",
        school=school.name,
    )
    _invite(page, base, email="tom.tutor@example.org", first="Tom", last="Tutor", role="HEI tutor")

    _invitees_accept(browser, refused, totp_counter, javascript=False)

    # The enrolment form, the participant named by their email (the chooser's list needs JavaScript).
    page.goto(base + "/cms/programme_enrolments/new/")
    assert axe_violations_without_javascript(page) == [], "the enrolment form without JavaScript"
    page.get_by_label("Their email, since the list needs JavaScript").fill("pat.learner@example.org")
    page.get_by_label("Cohort*", exact=True).select_option(label=cohort.name)
    page.get_by_label("School*", exact=True).select_option(label=school.name)
    _fill_date(page, "Qualified teacher status gained on*", qts_on)
    _fill_date(page, "First teaching post started on*", first_post)
    _fill_date(page, "Started the programme on*", today)
    page.get_by_label("Post*", exact=True).select_option(value=Post.CLASS_TEACHER)
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("navigation", name="Enrolment actions")).to_be_visible()
    enrolment = Enrolment.objects.get(participant__email="pat.learner@example.org")
    assert (enrolment.cohort, enrolment.programme_started_on) == (cohort, today)
    _assign(
        page,
        action="Change coach",
        person="Cara Coach (cara.coach@example.org)",
        label="Coaches from",
        day=today,
        check=False,
    )
    expect(page.get_by_text("Cara Coach coaches Pat Learner", exact=False)).to_be_visible()
    _assign(
        page,
        action="Change tutor",
        person="Tom Tutor (tom.tutor@example.org)",
        label="Tutor from",
        day=today,
        check=False,
    )
    expect(page.get_by_text("Tom Tutor is Pat Learner's tutor", exact=False)).to_be_visible()
    context.close()

    _homes_show_each_other(browser, base, refused, javascript=False)
    assert refused == []
