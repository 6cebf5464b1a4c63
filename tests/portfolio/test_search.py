"""Searching portfolios and agreed logs (issue 9): each person finds exactly the records they may
read in full, and a draft log or a coach's private note never comes back to anyone; ranked on
PostgreSQL, newest first on SQLite, with the same result shape; bad searches are told why; a
page's queries do not grow with the records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from coaching.models import DialogueLog
from portfolio import coverage, search
from portfolio.models import Enquiry, Evidence, Reflection
from programme import access
from programme.access import Action, RecordKind
from programme.models import CoachAssignment, ContentArea, Enrolment, Phase, PhaseChange
from tests.coaching.factories import DialogueLogFactory, agreed_log, private_note
from tests.factories import staff
from tests.portfolio.factories import DAY, EnquiryFactory, EvidenceFactory, ReflectionFactory

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="full-text search is PostgreSQL's")
sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="the fallback is SQLite's")

WORD = "heliotrope"  # in every kind of shared record
SECRET = "marigold"  # only in a draft log and a coach's private note


def _found(person, query=WORD, **filters) -> set[tuple[str, int]]:
    return {(row["result_kind"], row["result_id"]) for row in search.matches(person, query, search.Filters(**filters))}


def _key(record) -> tuple[str, int]:
    kind = {Evidence: "evidence", Reflection: "reflection", Enquiry: "enquiry", DialogueLog: "log"}[type(record)]
    return kind, record.pk


@pytest.fixture
def marked(world):
    """One of each record with the word in it, for the world's participant; a draft log and a
    private note holding the secret word; and another school's participant's evidence."""
    mine = [
        EvidenceFactory(enrolment=world.enrolment, body=f"<p>The {WORD} display in the corridor.</p>"),
        ReflectionFactory(enrolment=world.enrolment, body=f"<p>Why the {WORD} worked.</p>"),
        EnquiryFactory(enrolment=world.enrolment, findings=f"<p>Pupils named the {WORD}.</p>"),
        agreed_log(enrolment=world.enrolment, coach=world.coach, discussed=f"<p>The {WORD} again.</p>"),
    ]
    draft = DialogueLogFactory(
        enrolment=world.enrolment, coach=world.coach, discussed=f"<p>{WORD} and {SECRET}, still a draft.</p>"
    )
    private_note(mine[3], text=f"{SECRET}: a private thought")
    other = Enrolment.objects.get(participant=world.other_participant)
    theirs = [EvidenceFactory(enrolment=other, body=f"<p>Another {WORD}.</p>")]
    return {"mine": {_key(r) for r in mine}, "theirs": {_key(r) for r in theirs}, "draft": draft}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("participant", "mine"),
        ("coach", "mine"),
        ("tutor", "mine"),
        ("other_participant", "theirs"),
        ("stranger_coach", "theirs"),
        ("other_tutor", "theirs"),
        ("head", None),
        ("other_head", None),
        ("leader", None),
        ("examiner", None),
    ],
)
def test_each_person_finds_exactly_what_they_may_read(world, marked, who, sees):
    assert _found(world.person(who)) == (marked[sees] if sees else set())


@pytest.mark.parametrize("who", ["participant", "coach", "tutor", "head", "leader", "examiner", "stranger_coach"])
def test_a_draft_log_and_a_private_note_come_back_to_nobody(client, world, marked, who):
    person = world.person(who)
    assert _found(person, SECRET) == set()
    assert marked["draft"].pk not in {pk for kind, pk in _found(person) if kind == "log"}
    if search.may_search(person):
        client.force_login(person)
        page = client.get(reverse("portfolio:search"), {"q": SECRET}).content.decode()
        assert "No results" in page
        assert "private thought" not in page


def test_the_search_agrees_with_judging_each_record(world, marked):
    """The database's answer is the policy's: every record found is one `access.judge` lets the
    person read in full, and every readable one that matches is found."""
    everything = [
        *Evidence.objects.all(),
        *Reflection.objects.all(),
        *Enquiry.objects.all(),
        *DialogueLog.objects.filter(status="agreed"),
    ]
    for who in ("participant", "coach", "tutor", "head", "leader", "examiner", "stranger_coach", "other_tutor"):
        person = world.person(who)
        judged = {_key(record) for record, actions in access.judge(person, everything) if Action.VIEW in actions}
        assert _found(person) == judged, who


def test_head_leader_and_examiner_have_no_search_page_and_no_link(client, world):
    for who in ("head", "leader", "examiner"):
        client.force_login(world.person(who))
        assert client.get(reverse("portfolio:search"), {"q": WORD}).status_code == 404
        assert not search.may_search(world.person(who))
    client.force_login(world.head)
    assert reverse("portfolio:search") not in client.get(reverse("tracking:head_home")).content.decode()


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("participant", "tracking:participant_home"),
        ("coach", "tracking:coach_home"),
        ("tutor", "tracking:tutor_home"),
    ],
)
def test_participant_coach_and_tutor_find_the_search_from_their_home_and_the_menu(client, world, who, home):
    client.force_login(world.person(who))
    page = client.get(reverse(home)).content.decode()
    assert page.count(f'href="{reverse("portfolio:search")}"') == 2  # the menu and the home's list


def test_the_portfolio_home_searches_that_portfolio_alone(client, world, marked):
    client.force_login(world.coach)
    page = client.get(reverse("portfolio:home", args=[world.enrolment.pk])).content.decode()
    assert f'action="{reverse("portfolio:search")}"' in page
    assert f'name="participant" value="{world.enrolment.pk}"' in page
    found = client.get(reverse("portfolio:search"), {"q": WORD, "participant": world.enrolment.pk})
    assert f"Only in {world.participant}" in found.content.decode()
    assert found.context["found"].paginator.count == 4


def test_a_coach_whose_time_ended_finds_nothing_dated_after_it_and_the_new_coach_finds_both(world):
    change = datetime.date(2026, 1, 5)
    CoachAssignment.objects.filter(enrolment=world.enrolment).update(ends_on=change - datetime.timedelta(days=1))
    new_coach = staff("coach", world.school)
    CoachAssignment.objects.create(enrolment=world.enrolment, coach=new_coach, starts_on=change)
    before = EvidenceFactory(enrolment=world.enrolment, relates_to=DAY, body=f"<p>{WORD} before</p>")
    after = EvidenceFactory(enrolment=world.enrolment, relates_to=change, body=f"<p>{WORD} after</p>")
    assert _found(world.coach) == {_key(before)}
    assert _found(new_coach) == {_key(before), _key(after)}


# --- What is matched, and in what order.


@pytest.mark.parametrize("searched", search.SEARCHED, ids=lambda s: s.key)
def test_every_searched_field_is_found(world, searched):
    """The fields the search names are the ones the database indexes (the triggers on PostgreSQL)."""
    make = {
        "evidence": lambda **kw: EvidenceFactory(enrolment=world.enrolment, **kw),
        "reflection": lambda **kw: ReflectionFactory(enrolment=world.enrolment, **kw),
        "enquiry": lambda **kw: EnquiryFactory(enrolment=world.enrolment, **kw),
        "log": lambda **kw: agreed_log(enrolment=world.enrolment, coach=world.coach, **kw),
    }[searched.key]
    record = make()
    for index, name in enumerate(searched.fields):
        word = f"zanzibar{chr(97 + index)}quill"
        value = f"https://example.org/{word}" if name == "url" else f"<p>{word}</p>"
        searched.model.objects.filter(pk=record.pk).update(**{name: value})
        assert _found(world.participant, word) == {(searched.key, record.pk)}, name


def test_a_change_to_a_record_changes_what_finds_it(world):
    evidence = EvidenceFactory(enrolment=world.enrolment, title=f"The {WORD} board")
    evidence.title = "The sunflower board"
    evidence.save()
    assert _found(world.participant, WORD) == set()
    assert _found(world.participant, "sunflower") == {_key(evidence)}


def test_every_word_must_match_and_a_minus_leaves_a_word_out(world):
    both = EvidenceFactory(enrolment=world.enrolment, body="<p>Wait time and hinge questions.</p>")
    one = EvidenceFactory(enrolment=world.enrolment, body="<p>Wait time alone.</p>")
    assert _found(world.participant, "wait hinge") == {_key(both)}
    assert _found(world.participant, "wait -hinge") == {_key(one)}
    assert _found(world.participant, '"wait time"') == {_key(both), _key(one)}


@postgresql_only
def test_on_postgresql_the_title_outranks_the_description_which_outranks_the_body(world):
    body = EvidenceFactory(enrolment=world.enrolment, title="One", body=f"<p>A {WORD}.</p>", relates_to=DAY)
    title = EvidenceFactory(enrolment=world.enrolment, title=f"The {WORD}", relates_to=DAY - datetime.timedelta(9))
    described = EvidenceFactory(enrolment=world.enrolment, title="Two", description=f"A {WORD}.")
    rows = list(search.matches(world.participant, WORD))
    assert [row["result_id"] for row in rows] == [title.pk, described.pk, body.pk]
    assert rows[0]["result_rank"] > rows[1]["result_rank"] > rows[2]["result_rank"]


@postgresql_only
def test_on_postgresql_a_word_finds_its_other_forms(world):
    evidence = EvidenceFactory(enrolment=world.enrolment, body="<p>Her questioning improved.</p>")
    assert _found(world.participant, "questions") == {_key(evidence)}


@sqlite_only
def test_on_sqlite_results_come_newest_first_and_part_of_a_word_matches(world):
    old = EvidenceFactory(enrolment=world.enrolment, title=f"{WORD} old", relates_to=DAY)
    new = EvidenceFactory(enrolment=world.enrolment, title=f"{WORD} new", relates_to=DAY + datetime.timedelta(3))
    assert [row["result_id"] for row in search.matches(world.participant, WORD)] == [new.pk, old.pk]
    assert _found(world.participant, "heliotr") == {_key(old), _key(new)}


def test_the_snippet_is_escaped_text_with_the_matches_marked(world):
    EvidenceFactory(
        enrolment=world.enrolment,
        title="Plain",
        body=f"<p>Pupils typed &lt;script&gt;alert(1)&lt;/script&gt; &amp; a <strong>{WORD}</strong> grew.</p>",
    )
    EvidenceFactory(enrolment=world.enrolment, title="Typed", description=f"Tom & Jerry <b>{WORD}</b> &amp;", body="")
    typed, result = sorted(search.search(world.participant, WORD).object_list, key=lambda r: r.title, reverse=True)
    assert "Tom &amp; Jerry &lt;b&gt;<mark>heliotrope</mark>&lt;/b&gt; &amp;amp;" in typed.snippet
    assert f"<mark>{WORD}</mark>" in result.snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; a" in result.snippet
    assert "<script>" not in result.snippet
    assert "<strong>" not in result.snippet
    assert (result.title, result.day, result.participant, result.searched.key) == (
        "Plain",
        DAY,
        world.participant,
        "evidence",
    )
    assert result.url == reverse("portfolio:evidence_detail", args=[result.record.pk])


# --- Filters.


def test_results_are_filtered_by_kind_content_area_and_phase(world, marked):
    area2 = ContentArea.objects.get(number=2)
    phase2 = Phase.objects.get(number=2)
    tagged = EvidenceFactory(enrolment=world.enrolment, content_areas=[area2], phase=phase2, body=f"<p>{WORD}</p>")
    assert {kind for kind, _ in _found(world.participant, kind="reflection")} == {"reflection"}
    assert _found(world.participant, content_area_id=area2.pk) == {_key(tagged)}
    assert _found(world.participant, phase_id=phase2.pk) == {_key(tagged)}
    assert len(_found(world.participant, phase_id=Phase.objects.get(number=1).pk)) == 4


def test_an_agreed_session_is_in_the_phase_the_participant_was_in_on_its_day_as_on_coverage(world):
    phase1, phase2, phase3 = Phase.objects.order_by("number")
    for phase_from, phase_to, day in (
        (phase1, phase2, datetime.date(2025, 11, 3)),
        (phase2, phase3, datetime.date(2026, 2, 2)),
    ):
        change = PhaseChange.objects.create(enrolment=world.enrolment, from_phase=phase_from, to_phase=phase_to)
        noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        PhaseChange.objects.filter(pk=change.pk).update(decided_at=noon)
    days = [
        datetime.date(2025, 10, 1),
        datetime.date(2025, 11, 3),
        datetime.date(2026, 1, 6),
        datetime.date(2026, 2, 3),
    ]
    logs = [
        agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=d, discussed=f"<p>{WORD}</p>") for d in days
    ]
    changes = list(PhaseChange.objects.filter(enrolment=world.enrolment).order_by("decided_at", "pk"))
    phase_on = coverage._phase_on(world.enrolment, changes, phase1.pk)
    for phase in (phase1, phase2, phase3):
        expected = {("log", log.pk) for log in logs if phase_on(log.session_on) == phase.pk}
        assert _found(world.participant, kind="log", phase_id=phase.pk) == expected, phase
    assert [phase_on(d) for d in days] == [phase1.pk, phase2.pk, phase2.pk, phase3.pk]


# --- The page.


def test_an_empty_search_explains_itself_and_a_miss_says_so(client, world):
    client.force_login(world.participant)
    page = client.get(reverse("portfolio:search"))
    assert page.status_code == 200
    assert "are not searched" in page.content.decode()
    assert "result" not in page.content.decode().split("</form>")[-1]
    miss = client.get(reverse("portfolio:search"), {"q": "xylophone"}).content.decode()
    assert "No results for “xylophone”" in miss
    assert "check the spelling" in miss


@pytest.mark.parametrize(
    ("typed", "message"),
    [("a", "Enter at least 2 characters to search for."), ("w" * 201, "Keep your search to 200 characters or fewer.")],
)
def test_a_search_too_short_or_too_long_is_told_why_beside_the_field_keeping_what_was_typed(
    client, world, typed, message
):
    client.force_login(world.participant)
    response = client.get(reverse("portfolio:search"), {"q": typed, "kind": "evidence"})
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["found"] is None
    assert page.count(message) == 2  # the error summary and beside the field
    assert f'value="{typed}"' in page
    assert "<title>Error:" in page


def test_a_bad_filter_is_refused_beside_it(client, world):
    client.force_login(world.participant)
    response = client.get(reverse("portfolio:search"), {"q": WORD, "kind": "private_note", "participant": "x"})
    assert response.context["found"] is None
    assert response.context["form"].errors.keys() == {"kind", "participant"}


def test_the_page_shows_each_result_with_its_kind_participant_date_and_snippet(client, world, marked):
    client.force_login(world.coach)
    page = client.get(reverse("portfolio:search"), {"q": WORD}).content.decode()
    assert "4 results for “heliotrope”" in page
    for noun in ("Evidence", "Reflection", "Enquiry", "Agreed coaching session"):
        assert f'<strong class="govuk-tag govuk-tag--grey">{noun}</strong>' in page
    assert f"{world.participant}, <time" in page
    assert f"<mark>{WORD}</mark>" in page


def test_results_come_a_page_at_a_time_keeping_the_search(client, world):
    for i in range(search.PAGE_SIZE + 3):
        EvidenceFactory(enrolment=world.enrolment, title=f"{WORD} {i}", relates_to=DAY - datetime.timedelta(i))
    client.force_login(world.participant)
    first = client.get(reverse("portfolio:search"), {"q": WORD, "kind": "evidence"})
    assert len(first.context["found"].object_list) == search.PAGE_SIZE
    assert f"?q={WORD}&amp;kind=evidence&amp;page=2" in first.content.decode()
    second = client.get(reverse("portfolio:search"), {"q": WORD, "kind": "evidence", "page": 2})
    assert len(second.context["found"].object_list) == 3


def test_what_a_coach_or_tutor_is_shown_is_recorded_and_a_participant_reading_their_own_is_not(client, world, marked):
    client.force_login(world.participant)
    client.get(reverse("portfolio:search"), {"q": WORD})
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH_RESULT).exists()
    client.force_login(world.tutor)
    client.get(reverse("portfolio:search"), {"q": WORD})
    shown = AuditEvent.objects.filter(action=AuditAction.SEARCH_RESULT)
    assert {(e.actor_id, e.enrolment_id) for e in shown} == {(world.tutor.pk, world.enrolment.pk)}
    assert shown.count() == 4
    assert all(WORD not in str(e.detail) for e in shown)


def _fill(world, count: int, start: int) -> None:
    areas = list(ContentArea.objects.all()[:2])
    for i in range(start, start + count):
        day = DAY + datetime.timedelta(days=i)
        EvidenceFactory(enrolment=world.enrolment, relates_to=day, body=f"<p>{WORD} {i}</p>", content_areas=areas)
        ReflectionFactory(enrolment=world.enrolment, written_on=day, body=f"<p>{WORD} {i}</p>", content_areas=areas)
        EnquiryFactory(enrolment=world.enrolment, started_on=day, method=f"<p>{WORD} {i}</p>", content_areas=areas)
        log = agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=day, discussed=f"<p>{WORD}</p>")
        private_note(log)


@pytest.mark.parametrize("who", ["participant", "coach", "tutor"])
@pytest.mark.parametrize("filters", [{}, {"phase": "1"}], ids=["everything", "phase"])
def test_queries_are_the_same_for_few_and_many_records(client, world, who, filters):
    if filters:
        filters = {"phase": str(Phase.objects.get(number=1).pk)}
    client.force_login(world.person(who))
    url = reverse("portfolio:search")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": WORD, **filters})
        assert response.status_code == 200
        return len(queries)

    _fill(world, 2, start=0)
    few = count()
    _fill(world, 25, start=2)
    many = count()
    assert few == many
    assert many < 20


def test_the_policy_as_a_filter_for_reading_in_full_leaves_out_summaries(world):
    agreed_log(enrolment=world.enrolment, coach=world.coach)
    logs = DialogueLog.objects.all()
    for who in ("participant", "coach", "tutor", "head", "leader", "examiner", "stranger_coach"):
        person = world.person(who)
        where = access.readable_where(
            person, RecordKind.DIALOGUE_LOG_AGREED, enrolment="enrolment", on="session_on", action=Action.VIEW
        )
        judged = {log.pk for log, actions in access.judge(person, logs) if Action.VIEW in actions}
        assert set(logs.filter(where).values_list("pk", flat=True)) == judged, who
    assert access.reads_in_full(world.coach, [RecordKind.EVIDENCE])
    assert not access.reads_in_full(world.head, [RecordKind.EVIDENCE, RecordKind.DIALOGUE_LOG_AGREED])
