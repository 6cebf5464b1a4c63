"""Every URL of the project, asked for by everyone who must not have it: nothing private answers 200.

The patterns come from Django's resolver, so a new view without a case here fails
`test_every_url_pattern_has_a_case`. Each pattern is in one of three reviewed tables:

- PUBLIC: answers anyone by design (signing in, the handbook), with the reason;
- OWN: a signed-in person's own pages, with no record's id in the address; the roles they are for;
- RECORDS: pages of one participant's records, addressed by their ids; which of the people around
  that participant read it (GET answers 200) and which may post to it.

The admin sites (Wagtail's under /cms/, Django's under /django-admin/) keep their own permission
systems and are aside, but neither lets in anyone who is not staff (tested below).

The world is the demo (seed_demo: the demo participant with her coach, tutor, head, the programme
leader and the examiner whose sample holds her work), topped up with the records the demo does not
make, and a second school whose participant, coach, head and tutor, and an examiner with no
sample, are the outsiders. Every RECORDS page is asked for as anonymous, as each outsider and as
each of the participant's own people; anyone not listed as reading it must not get a 200, and
those listed must (so the ids are real). Then everyone not listed as posting to it posts to it:
the answer is a refusal (403, 404, 405, 410, or the sign-in page for anonymous), never a 200 or
a redirect to somewhere else. OWN pages answer 200 only to the roles they are for, and never show
an outsider the demo participant's name.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from assessment.models import (
    Citation,
    CommentBankEntry,
    Moderation,
    PriorLearningClaim,
    SampledSubmission,
)
from coaching.models import AgreementStatus, DialogueLog, LearningOpportunity, PrivateNote
from portfolio.models import Enquiry, ExportRequest, LibrarySummary, Reflection
from privacy.models import SubjectAccessRequest
from programme import demo
from programme.models import Enrolment
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.portfolio.factories import EvidenceFactory
from tracking.models import ListExport

ASIDE = ("cms/", "django-admin/")

# --- Who asks. The demo participant's own people, and outsiders of the same roles.
P, C, T, H, L, E = "participant", "coach", "tutor", "head", "leader", "examiner"
INSIDERS = (P, C, T, H, L, E)
OUTSIDERS = ("anonymous", "other participant", "other coach", "colleague coach", "other head", "other tutor")
OUTSIDERS += ("other examiner",)
ROLE_OF = {
    P: Role.PARTICIPANT,
    C: Role.COACH,
    T: Role.TUTOR,
    H: Role.HEAD,
    L: Role.PROGRAMME_LEADER,
    E: Role.EXTERNAL_EXAMINER,
    "other participant": Role.PARTICIPANT,
    "other coach": Role.COACH,
    "colleague coach": Role.COACH,  # a coach at her school who is not hers
    "other head": Role.HEAD,
    "other tutor": Role.TUTOR,
    "other examiner": Role.EXTERNAL_EXAMINER,
}
ANYONE = frozenset(ROLE_OF.values())
NOBODY: frozenset[str] = frozenset()

# --- Public by design (reviewed): the reason each answers anyone.
PUBLIC = {
    "favicon.ico": "the site's icon",
    "wagtail_serve": "the public site and handbook pages (Wagtail's page privacy applies)",
    "wagtailcore_authenticate_with_password": "Wagtail's form for a password-protected page",
    "wagtailcore_login": "Wagtail's sign-in for a page restricted to signed-in people",
    "wagtaildocs_serve": "handbook documents (Wagtail's collection privacy applies)",
    "wagtaildocs_authenticate_with_password": "Wagtail's form for a password-protected document",
    "account_login": "signing in",
    "account_logout": "signing out",
    "account_inactive": "the page for a disabled account",
    "account_signup": "allauth's sign-up, closed by the adapter (invitation only)",
    "account_reauthenticate": "asks a signed-in person for their password again",
    "account_email_verification_sent": "says a verification email was sent",
    "account_confirm_email": "a signed email confirmation link",
    "account_reset_password": "asking for a password reset (no email to unknown addresses)",
    "account_reset_password_done": "says a reset email may have been sent",
    "account_reset_password_from_key": "a signed password reset link",
    "account_reset_password_from_key_done": "says the password was changed",
    "account_confirm_login_code": "allauth's sign-in by code (not turned on)",
    "account_request_reauthentication_code": "allauth's reauthentication by code (not turned on)",
    "account_confirm_reauthentication_code": "allauth's reauthentication by code (not turned on)",
    "mfa_authenticate": "the second step of signing in",
    "accounts:invitation_accept": "a signed invitation link",
    "handbook:accessibility": "the accessibility statement: how to report a problem, for anyone",
}
# Only with DEBUG on (development): CMS images and documents. Private files never live there.
DEBUG_ONLY = {"^media/(?P<path>.*)$": "development's media files"}

# --- A signed-in person's own pages: no record's id in the address. The roles each is for.
OWN: dict[str, frozenset[str]] = {
    "account_email": ANYONE,
    "account_change_password": ANYONE,
    "account_set_password": ANYONE,
    "mfa_index": ANYONE,
    "mfa_reauthenticate": ANYONE,
    "mfa_activate_totp": ANYONE,
    "mfa_deactivate_totp": ANYONE,
    "mfa_view_recovery_codes": ANYONE,
    "mfa_generate_recovery_codes": ANYONE,
    "mfa_download_recovery_codes": ANYONE,
    "accounts:account_overview": ANYONE,
    "dashboard": ANYONE,
    "tracking:participant_home": frozenset({Role.PARTICIPANT}),
    "tracking:coach_home": frozenset({Role.COACH}),
    "tracking:tutor_home": frozenset({Role.TUTOR}),
    "tracking:examiner_home": frozenset({Role.EXTERNAL_EXAMINER}),
    "tracking:head_home": frozenset({Role.HEAD}),
    "tracking:leader_home": frozenset({Role.PROGRAMME_LEADER}),
    "tracking:head_export": frozenset({Role.HEAD}),
    "tracking:leader_export": frozenset({Role.PROGRAMME_LEADER}),
    "tracking:head_charts": frozenset({Role.HEAD}),
    "tracking:leader_charts": frozenset({Role.PROGRAMME_LEADER}),
    "tracking:head_chart": frozenset({Role.HEAD}),
    "tracking:leader_chart": frozenset({Role.PROGRAMME_LEADER}),
    "coaching:index": ANYONE,
    "coaching:reminder_preferences": ANYONE,
    "coaching:tutor_logs": frozenset({Role.TUTOR}),
    "coaching:release_time": frozenset({Role.PARTICIPANT, Role.COACH, Role.HEAD, Role.PROGRAMME_LEADER}),
    "coaching:release_time_csv": frozenset({Role.HEAD, Role.PROGRAMME_LEADER}),
    "portfolio:index": frozenset({Role.PARTICIPANT}),
    "portfolio:search": frozenset({Role.PARTICIPANT, Role.COACH, Role.TUTOR}),
    "portfolio:library_awaiting": frozenset({Role.TUTOR}),
    "assessment:tasks": frozenset({Role.PARTICIPANT}),
    "assessment:submitted_work": frozenset({Role.COACH, Role.TUTOR, Role.PROGRAMME_LEADER}),
    "marking:queue": frozenset({Role.TUTOR}),
    "marking:comment_bank": frozenset({Role.TUTOR}),
    "marking:moderation_for_me": frozenset({Role.TUTOR}),
    "examiner:commented": frozenset({Role.TUTOR}),
    "tracking:head_progression": frozenset({Role.HEAD}),
    "tracking:progression": frozenset({Role.PROGRAMME_LEADER}),
    "tracking:tutors": frozenset({Role.PROGRAMME_LEADER}),
    "tracking:coaches": frozenset({Role.PROGRAMME_LEADER}),
    "privacy:subject_access": frozenset({Role.PROGRAMME_LEADER}),
}
# Addresses with a value that is not a record's id.
OWN_KWARGS = {
    "tracking:head_export": {"kind": "csv"},
    "tracking:leader_export": {"kind": "csv"},
    "tracking:head_chart": {"slug": "phases"},
    "tracking:leader_chart": {"slug": "phases"},
}


@dataclass
class World:
    enrolment: Enrolment
    people: dict[str, User]
    records: dict[str, object] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.records[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Case:
    kwargs: Callable[[World], dict]
    reads: frozenset[str]  # the participant's own people whose GET answers 200
    posts: frozenset[str] | None = None  # those who may post to it; None: the same as reads

    @property
    def posters(self) -> frozenset[str]:
        return self.reads if self.posts is None else self.posts


def case(kwargs, reads=NOBODY, posts=None) -> Case:
    return Case(kwargs, frozenset(reads), None if posts is None else frozenset(posts))


def enrolment_kw(w):
    return {"enrolment_id": w.enrolment.pk}


def pk(name: str) -> Callable[[World], dict]:
    return lambda w: {"pk": w.records[name].pk}


# --- Pages of the demo participant's records. Who of her own people reads each (GET 200) and who
# may post to it; nobody else may do either.
RECORDS: dict[str, Case] = {
    # Coaching (PRODUCT.md "Who sees what"; the head and leader read summaries only).
    # A head or leader, whatever the method, is sent to the summary page, which they read.
    "coaching:timeline": case(enrolment_kw, {P, C, T, E}, posts={H, L}),
    "coaching:summary": case(enrolment_kw, {P, C, T, H, L, E}),  # dates, durations, areas
    "coaching:action_steps": case(enrolment_kw, {P, C, T, H, L, E}),  # each sees the steps theirs to read
    "coaching:log_create": case(enrolment_kw, {C}),
    "coaching:diagnosis": case(enrolment_kw, {P, C, T}),
    "coaching:diagnosis_edit": case(enrolment_kw, NOBODY, posts={C}),  # agreed: not edited in place
    "coaching:diagnosis_respond": case(enrolment_kw, NOBODY, posts={P}),
    "coaching:diagnosis_evidence_add": case(enrolment_kw, NOBODY, posts={P, C}),
    "coaching:goal_add": case(enrolment_kw, NOBODY, posts={C}),  # the demo plan is agreed
    "coaching:plan_review": case(enrolment_kw, {C}),
    "coaching:opportunities": case(enrolment_kw, {P, C, T, H, L, E}),  # each sees what is theirs
    "coaching:opportunity_learning": case(pk("opportunity"), {C}, posts={P, C}),
    "coaching:log_detail": case(pk("agreed_log"), {P, C, T, H, L}),  # head, leader: its summary
    "coaching:log_edit": case(pk("draft_log"), {C}),
    "coaching:log_send": case(pk("draft_log"), NOBODY, posts={C}),
    "coaching:log_respond": case(pk("draft_log"), {P}),
    "coaching:log_new_version": case(pk("agreed_log"), {C}),
    "coaching:log_versions": case(pk("agreed_log"), {P, C, T}),
    "coaching:log_version_detail": case(lambda w: {"pk": w.agreed_log.pk, "number": 1}, {P, C, T}),
    "coaching:action_step_create": case(pk("draft_log"), {C}),
    "coaching:private_note": case(pk("agreed_log"), {C}),
    "coaching:action_step_close": case(pk("action_step"), {P, C}),  # she owns the step
    # Portfolio: hers to write, her coach and tutor read.
    "portfolio:home": case(enrolment_kw, {P, C, T, E}),
    "portfolio:coverage": case(enrolment_kw, {P, C, T, E}),
    "portfolio:evidence_create": case(enrolment_kw, {P}),
    "portfolio:reflection_create": case(enrolment_kw, {P}),
    "portfolio:enquiry_create": case(enrolment_kw, {P}),
    "portfolio:evidence_detail": case(pk("evidence"), {P, C, T}),
    "portfolio:evidence_edit": case(pk("evidence"), {P}),
    "portfolio:reflection_detail": case(pk("reflection"), {P, C, T, E}),  # in the sample
    "portfolio:reflection_edit": case(pk("reflection"), {P}),
    "portfolio:enquiry_detail": case(pk("enquiry"), {P, C, T, E}),  # in the sample
    "portfolio:enquiry_edit": case(pk("enquiry"), {P}),
    "portfolio:enquiry_section": case(lambda w: {"pk": w.enquiry.pk, "section": "question"}, {P}),
    "portfolio:export": case(enrolment_kw, {P}),
    "portfolio:export_detail": case(pk("export"), {P}),
    "portfolio:export_progress": case(pk("export"), {P}),
    "portfolio:export_download": case(pk("export"), NOBODY),  # no file yet: 404 for her too
    "portfolio:library_summary_create": case(pk("enquiry"), NOBODY, posts={P}),  # one exists: to it
    "portfolio:library_summary_detail": case(pk("library_summary"), {P, C, T}),
    "portfolio:library_summary_edit": case(pk("library_summary"), {P}),
    "portfolio:library_summary_send": case(pk("library_summary"), NOBODY, posts={P}),
    "portfolio:library_summary_review": case(pk("library_summary"), NOBODY, posts={T}),
    "portfolio:library_summary_publish": case(pk("library_summary"), NOBODY, posts={P}),
    "portfolio:library_summary_withdraw": case(pk("library_summary"), NOBODY, posts={P}),
    # Assessment.
    "assessment:build": case(lambda w: {"task_id": w.task.pk}, NOBODY, posts={P}),  # submitted: to it
    "assessment:submission_detail": case(pk("submission"), {P, C, T, H, L, E}),  # head: the outcome
    "assessment:withdraw": case(pk("submission"), NOBODY, posts={P}),
    # Only the participant resubmits: resubmission_start refuses anyone else who reads it (a RuleError
    # shown on the result page); those who do not read it are refused here.
    "assessment:resubmit": case(pk("submission"), NOBODY, posts={P, C, T, L, E}),
    "assessment:resubmission_changes": case(pk("submission"), NOBODY),  # not a resubmission: 404
    "assessment:statement": case(pk("submission"), {C}),
    "marking:workspace": case(pk("submission"), {T}),
    "marking:result": case(pk("submission"), {P, C, T, H, L, E}),  # head: outcome and credits
    "marking:task_release": case(pk("task"), {L}),
    "marking:comment_delete": case(pk("comment"), NOBODY, posts={T}),
    "marking:task_moderation": case(pk("task"), {L}),
    "marking:moderation": case(pk("moderation"), {T, L, E}),  # first marker; sampled
    "examiner:sample": case(pk("sample"), {E}),
    "examiner:submission": case(lambda w: {"pk": w.sample.pk, "submission_pk": w.submission.pk}, {E}),
    "examiner:cited_log": case(lambda w: {"pk": w.sample.pk, "version_pk": w.cited_version.pk}, {E}),
    "examiner:comments": case(pk("sample"), {T, L, E}),  # the marker and the leader read them
    "examiner:task_sample": case(pk("task"), {L}),
    "credits:ledger": case(enrolment_kw, {P, C, T, H, L, E}),  # head: credits only
    "credits:phase_confirm": case(enrolment_kw, NOBODY, posts={T}),
    "credits:claim_create": case(enrolment_kw, {P}),
    "credits:claim_detail": case(pk("claim"), {P, C, T, H, L, E}),
    "credits:claim_decide": case(pk("claim"), NOBODY, posts={T}),
    # The programme leader's pages of one tutor's or coach's work; the head's long list of participants.
    "tracking:tutor_work": case(lambda w: {"tutor_id": w.people[T].pk}, {L}),
    "tracking:coach_sessions": case(lambda w: {"coach_id": w.people[C].pk}, {L}),
    "tracking:export_detail": case(pk("list_export"), {H}),  # the asker alone
    "tracking:export_download": case(pk("list_export"), NOBODY),  # still queued: 404 for the asker too
    # A programme leader's subject access export of the participant's data (queued: no file yet).
    "privacy:subject_access_detail": case(pk("subject_access"), {L}),
    "privacy:subject_access_download": case(pk("subject_access"), NOBODY),
    "files:download": case(lambda w: {"kind": "portfolio-evidence", "pk": 0}, NOBODY),
}


# --- The URL patterns, from Django's resolver.


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield route, route


def url_patterns() -> dict[str, str]:
    """Every pattern of the project but the admin sites', by name (or route, when it has none)."""
    return {key: route for route, key in _walk(get_resolver().url_patterns) if not route.startswith(ASIDE)}


def test_every_url_pattern_has_a_case():
    patterns = url_patterns()
    cased = PUBLIC.keys() | OWN.keys() | RECORDS.keys() | DEBUG_ONLY.keys()
    missing = sorted(f"{name} ({patterns[name]})" for name in patterns.keys() - cased)
    assert not missing, "URL patterns with no case in tests/test_url_access.py: " + ", ".join(missing)
    gone = cased - patterns.keys() - DEBUG_ONLY.keys()
    assert not gone, f"cases for patterns that no longer exist: {sorted(gone)}"
    tables = (PUBLIC.keys(), OWN.keys(), RECORDS.keys())
    twice = [name for name in cased if sum(name in table for table in tables) > 1]
    assert not twice, f"patterns in more than one table: {twice}"


def test_an_unknown_pattern_fails_the_case_test(monkeypatch):
    from django.urls import path

    resolver = get_resolver()
    monkeypatch.setattr(resolver, "url_patterns", [*resolver.url_patterns, path("new/", lambda r: None, name="new")])
    with pytest.raises(AssertionError, match=r"no case.*new \(new/\)"):
        test_every_url_pattern_has_a_case()


# --- The world.


def _activate_mfa(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, demo.DEMO_TOTP_SECRET)


def _outsiders() -> dict[str, User]:
    school = SchoolFactory(name="Far Away School")
    coach, head = staff(Role.COACH, school), staff(Role.HEAD, school)
    tutor = UserFactory(roles=[Role.TUTOR])
    examiner = UserFactory(roles=[Role.EXTERNAL_EXAMINER])
    other = enrol(school)
    assign_coach(other, coach)
    assign_tutor(other, tutor)
    for user in (tutor, examiner):
        _activate_mfa(user)
    return {
        "other participant": other.participant,
        "other coach": coach,
        "colleague coach": User.objects.get(email=demo.demo_email("ruth.calloway")),
        "other head": head,
        "other tutor": tutor,
        "other examiner": examiner,
    }


# Words written into the world's own records, and who of her people may read each in full. Any page
# that answers 200 is searched for them, so a page that lists what its reader may not read fails
# even where its status is right (a summary page that showed a log's text, say).
SECRETS = {
    "Secret-private-note": frozenset({C}),
    "Secret-draft-focus": frozenset({P, C}),
    "Secret-agreed-focus": frozenset({P, C, T}),
    "Secret-step": frozenset({P, C, T}),
    "Secret-evidence": frozenset({P, C, T}),
}


def _build_world() -> World:
    call_command("seed_demo", participants=3, stdout=io.StringIO())
    logins = {role: User.objects.get(email=email) for role, email in demo.LOGINS}
    people = {P: logins["participant"], C: logins["coach"], T: logins["tutor"], H: logins["head"]}
    people |= {L: logins["programme_leader"], E: logins["external_examiner"]}
    enrolment = Enrolment.objects.get(participant=people[P])
    logs = DialogueLog.objects.filter(enrolment=enrolment)
    demo_agreed = logs.filter(status=AgreementStatus.AGREED).order_by("pk").first()
    # Records of her own that no submission holds and no mark cites, so only her people read them.
    agreed = agreed_log(enrolment=enrolment, coach=people[C], session_on=demo_agreed.session_on)
    DialogueLog.objects.filter(pk=agreed.pk).update(focus="Secret-agreed-focus")
    draft = DialogueLogFactory(enrolment=enrolment, coach=people[C], session_on=demo_agreed.session_on)
    DialogueLog.objects.filter(pk=draft.pk).update(focus="Secret-draft-focus")
    PrivateNote.objects.create(log=agreed, author=people[C], text="Secret-private-note")
    step = action_step(agreed, description="Secret-step")
    evidence = EvidenceFactory(enrolment=enrolment, title="Secret-evidence", relates_to=demo_agreed.session_on)
    enquiry = Enquiry.objects.filter(enrolment=enrolment).first()
    entry = SampledSubmission.objects.select_related("sample", "submission").get(submission__enrolment=enrolment)
    sample, submission = entry.sample, entry.submission
    cited = (
        Citation.objects.filter(criterion_mark__marking__submission=submission, log_version__isnull=False)
        .select_related("log_version")
        .first()
    )
    records = {
        "agreed_log": agreed,
        "draft_log": draft,
        "action_step": step,
        "opportunity": LearningOpportunity.objects.filter(enrolment=enrolment).first(),
        "evidence": evidence,
        "reflection": Reflection.objects.filter(enrolment=enrolment).first(),
        "enquiry": enquiry,
        "library_summary": LibrarySummary.objects.create(
            enquiry=enquiry,
            enrolment=enrolment,
            title="What hinge questions did",
            summary="A short summary.",
            findings="<p>Findings.</p>",
            implications="<p>Implications.</p>",
            dated_on=timezone.localdate(),
        ),
        "export": ExportRequest.objects.create(enrolment=enrolment, requested_by=people[P]),
        "subject_access": SubjectAccessRequest.objects.create(person=people[P], requested_by=people[L]),
        "list_export": ListExport.objects.create(requested_by=people[H], relation="head", kind="csv"),
        "submission": submission,
        "task": submission.task,
        "moderation": Moderation.objects.filter(submission=submission).first(),
        "sample": sample,
        "cited_version": cited.log_version,
        "comment": CommentBankEntry.objects.create(tutor=people[T], title="Impact", text="Say more about impact."),
        "claim": PriorLearningClaim.objects.create(
            enrolment=enrolment, studied="Assessment for learning", institution="A university", credits=20, impact="x"
        ),
    }
    return World(enrolment=enrolment, people=people | _outsiders(), records=records)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction that is rolled back at its end; each test runs
    in a savepoint inside it, so nothing a test does is seen by the next. Everyone is signed in
    once here; each request carries that person's session cookie."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        built = _build_world()
        for who, user in built.people.items():
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            built.sessions[who] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        yield built
        transaction.set_rollback(True)


def _client(world: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[who]
    return client


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def _unreadable_secrets(response, who: str) -> list[str]:
    """The world's secret words on a page that answered 200 to someone who may not read them."""
    if response.status_code != 200:
        return []
    body = _body(response)
    return [word for word, readers in SECRETS.items() if who not in readers and word in body]


def _refused(response, who: str) -> bool:
    if response.status_code == 405:  # the method is not taken at all
        return True
    if who == "anonymous":
        return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    return response.status_code in (403, 404, 410)


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_nothing_private_answers_anyone_it_is_not_for(name, world, db):
    spec = RECORDS[name]
    url = reverse(name, kwargs=spec.kwargs(world))
    answers, shown, accepted = {}, {}, {}
    for who in (*OUTSIDERS, *INSIDERS):
        response = _client(world, who).get(url)
        answers[who] = response.status_code
        if words := _unreadable_secrets(response, who):
            shown[who] = words
    leaks = {who: status for who, status in answers.items() if status == 200 and who not in spec.reads}
    assert not leaks, f"{url} answered 200 to {sorted(leaks)}"
    assert not shown, f"{url} showed what they may not read: {shown}"
    unread = {who: answers[who] for who in spec.reads if answers[who] != 200}
    assert not unread, f"{url} should answer 200 to {sorted(unread)}: {unread}"
    # Posting: refused to everyone who neither reads it nor may post to it.
    for who in (*OUTSIDERS, *INSIDERS):
        if who in spec.reads | spec.posters:
            continue
        response = _client(world, who).post(url, {})
        if not _refused(response, who):
            accepted[who] = (response.status_code, response.get("Location"))
    assert not accepted, f"POST {url} was not refused to {accepted}"


@pytest.mark.parametrize("name", sorted(OWN))
def test_own_pages_answer_only_their_roles_and_show_outsiders_nothing_of_hers(name, world, db):
    url = reverse(name, kwargs=OWN_KWARGS.get(name, {}))
    hers = (world.people[P].last_name, world.people[P].email)
    for who in (*OUTSIDERS, *INSIDERS):
        response = _client(world, who).get(url)
        if who == "anonymous":
            assert _refused(response, who), f"{url} answered {response.status_code} to anonymous"
            continue
        if ROLE_OF[who] not in OWN[name]:
            assert response.status_code != 200, f"{url} answered 200 to {who}, not one of its roles"
            continue
        assert not _unreadable_secrets(response, who), f"{url} showed {who} what they may not read"
        if who in OUTSIDERS and response.status_code == 200:
            assert not any(s in _body(response) for s in hers), f"{url} showed {who} the demo participant"


def test_the_admin_sites_let_in_nobody_who_is_not_staff(world, db):
    for who in (*OUTSIDERS, *INSIDERS):
        for url in ("/django-admin/", "/django-admin/accounts/user/"):
            assert _client(world, who).get(url).status_code != 200, (url, who)
        if who != L:  # programme leaders run the programme from the CMS
            assert _client(world, who).get("/cms/").status_code != 200, who
