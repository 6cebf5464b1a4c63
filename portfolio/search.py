"""Search across portfolios and agreed dialogue logs (issue 9): the words of the records a person
may read in full, a page at a time. The one place that knows which database answers.

- **PostgreSQL**: each record's `search_vector` (kept current by a trigger and read through a GIN
  index, portfolio/migrations/0005 and coaching/migrations/0014) is matched against what was typed,
  read as a web search (words, "quoted phrases", `or`, `-word`), in English (stemmed: "questions"
  finds "questioning"); results are ranked by `ts_rank`, and `ts_headline` cuts the snippet.
- **SQLite** (development): each word or quoted phrase must appear in one of the same fields
  (case-insensitive), a `-word` in none; newest first; the snippet is cut in Python.

Either way a result has the same shape, and its snippet is plain text, HTML-escaped, with the
matches in `<mark>`. Who may read what is the access policy's answer as a queryset filter
(`access.readable_where`, VIEW: in full), so a head or programme leader, who sees only an agreed
log's dates and content areas, finds nothing. Only agreed logs are searched: a draft is still
between coach and participant, and a coach's private notes are never searched at all.

A page costs the same few queries however many records match: one to count, one for the page's
ids (a UNION of one query per kind), then one per kind on the page for its rows and snippets and
one for their content areas.
"""

import datetime
import html
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import CharField, F, FloatField, Func, Model, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from coaching.models import AgreementStatus, DialogueLog
from portfolio.coverage import phase_on_session_day
from portfolio.models import Enquiry, Evidence, Reflection
from programme import access
from programme.access import Action, RecordKind

MIN_LENGTH = 2
MAX_LENGTH = 200
PAGE_SIZE = 20
CONFIG = "english"  # the triggers' configuration too
SNIPPET_WORDS = 30
_START, _STOP = "\x02", "\x03"  # marks around a match, made <mark> after the text is escaped


@dataclass(frozen=True)
class Searched:
    """A kind of record the search reads: which fields it matches (the triggers index the same),
    which of them a snippet is cut from, and which hold sanitised HTML."""

    key: str
    label: str  # the kind, in the filter
    noun: str  # one result of the kind
    detail: str  # the name of the record's page
    model: type[Model]
    kind: RecordKind
    fields: tuple[str, ...]
    text: tuple[str, ...]
    rich: frozenset[str] = frozenset()
    only: Q = field(default_factory=Q)

    @property
    def date(self) -> str:
        return access.registration(self.model).date

    @property
    def enrolment(self) -> str:
        return access.registration(self.model).enrolment


_SECTIONS = Enquiry.SECTION_NAMES
SEARCHED = (
    Searched(
        "evidence",
        "Evidence",
        "Evidence",
        "portfolio:evidence_detail",
        Evidence,
        RecordKind.EVIDENCE,
        fields=("title", "description", "body", "url"),
        text=("description", "body"),
        rich=frozenset({"body"}),
    ),
    Searched(
        "reflection",
        "Reflections",
        "Reflection",
        "portfolio:reflection_detail",
        Reflection,
        RecordKind.REFLECTION,
        fields=("title", "body"),
        text=("body",),
        rich=frozenset({"body"}),
    ),
    Searched(
        "enquiry",
        "Enquiries",
        "Enquiry",
        "portfolio:enquiry_detail",
        Enquiry,
        RecordKind.ENQUIRY,
        fields=("title", *_SECTIONS, "consent_record"),
        text=(*_SECTIONS, "consent_record"),
        rich=frozenset(_SECTIONS),
    ),
    Searched(
        "log",
        "Agreed coaching sessions",
        "Agreed coaching session",
        "coaching:log_detail",
        DialogueLog,
        RecordKind.DIALOGUE_LOG_AGREED,
        fields=("focus", *DialogueLog.RECORD_FIELDS, "participant_reflection"),
        text=(*DialogueLog.RECORD_FIELDS, "participant_reflection"),
        rich=frozenset(DialogueLog.RECORD_FIELDS),
        only=Q(status=AgreementStatus.AGREED),
    ),
)
BY_KEY = {searched.key: searched for searched in SEARCHED}


def full_text() -> bool:
    """PostgreSQL's full-text search, or the simpler match on SQLite."""
    return connection.vendor == "postgresql"


def may_search(user) -> bool:
    """The search is for those who read portfolios and agreed logs in full: participants, their
    coaches and tutors. A head or programme leader has no search page."""
    return access.reads_in_full(user, (searched.kind for searched in SEARCHED))


@dataclass(frozen=True)
class Filters:
    kind: str | None = None  # a key of BY_KEY
    phase_id: int | None = None
    content_area_id: int | None = None
    enrolment_id: int | None = None  # one participant's records only


@dataclass
class Result:
    searched: Searched
    record: Model
    title: str
    day: datetime.date
    snippet: SafeString
    participant: object
    content_areas: list

    @property
    def url(self) -> str:
        return reverse(self.searched.detail, args=[self.record.pk])


# --- What was typed.

_TERM = re.compile(r'(-?)"([^"]*)"|(\S+)')


def terms(query: str) -> tuple[list[str], list[str]]:
    """The words and quoted phrases to find, and those (`-word`) to leave out, for SQLite and for
    marking matches in its snippets."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for minus, phrase, word in _TERM.findall(query):
        if phrase:
            (unwanted if minus else wanted).append(phrase.strip())
        elif word.startswith("-") and len(word) > 1:
            unwanted.append(word[1:].strip('"'))
        elif word.lower() != "or":
            wanted.append(word.strip('"'))
    return [t for t in wanted if t], [t for t in unwanted if t]


# --- The page of matches: one light row per record, all kinds together.


def _matching(searched: Searched, user, query: str, filters: Filters) -> QuerySet:
    records = searched.model._default_manager.filter(searched.only).filter(
        access.readable_where(user, searched.kind, enrolment=searched.enrolment, on=searched.date, action=Action.VIEW)
    )
    if filters.enrolment_id is not None:
        records = records.filter(**{f"{searched.enrolment}_id": filters.enrolment_id})
    if filters.content_area_id is not None:
        records = records.filter(content_areas=filters.content_area_id)
    if filters.phase_id is not None:
        # A coaching session belongs to the phase the participant was in on its day (as on coverage).
        phase = phase_on_session_day() if searched.model is DialogueLog else F("phase")
        records = records.alias(phase_of=phase).filter(phase_of=filters.phase_id)
    if full_text():
        found = SearchQuery(query, search_type="websearch", config=CONFIG)
        records = records.filter(search_vector=found)
        rank = SearchRank(F("search_vector"), found)
    else:
        wanted, unwanted = terms(query)
        for term in wanted:
            records = records.filter(_any_field(searched, term))
        for term in unwanted:
            records = records.exclude(_any_field(searched, term))
        rank = Value(0.0, output_field=FloatField())
    return (
        records.order_by()
        .annotate(
            result_kind=Value(searched.key, output_field=CharField()),
            result_id=F("pk"),
            result_day=F(searched.date),
            result_rank=rank,
        )
        .values("result_kind", "result_id", "result_day", "result_rank")
    )


def _any_field(searched: Searched, term: str) -> Q:
    found = Q()
    for name in searched.fields:
        found |= Q(**{f"{name}__icontains": term})
    return found


def matches(user, query: str, filters: Filters = Filters()) -> QuerySet:
    """Every record this person may read in full that matches, as light rows (kind, id, day,
    rank), best first (newest first on SQLite): a queryset a paginator counts and slices."""
    kinds = [BY_KEY[filters.kind]] if filters.kind else SEARCHED
    first, *rest = [_matching(searched, user, query, filters) for searched in kinds]
    found = first.union(*rest, all=True) if rest else first
    return found.order_by("-result_rank", "-result_day", "result_kind", "-result_id")


def search(user, query: str, filters: Filters = Filters(), *, page: str | int | None = None) -> Page:
    """One page of results, each with its record, title, participant, content areas and snippet."""
    found = Paginator(matches(user, query, filters), PAGE_SIZE).get_page(page)
    found.object_list = results(list(found.object_list), query)
    return found


# --- The records on the page, with their snippets.


_TAGS = "<[^>]*>"


def _text(name: str, rich: bool) -> Func:
    """A field as escaped text in the database, the form ts_headline keeps intact (it drops
    anything that looks like a tag): rich text loses its tags and keeps its entities; plain text
    is escaped."""
    if rich:
        return Func(F(name), Value(_TAGS), Value(" "), Value("g"), function="regexp_replace", output_field=TextField())
    text = F(name)
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = Func(text, Value(character), Value(entity), function="replace", output_field=TextField())
    return text


def _document(searched: Searched):
    parts: list = []
    for name in searched.text:
        parts += [_text(name, name in searched.rich), Value(" \n ", output_field=TextField())]
    return Concat(*parts[:-1], output_field=TextField()) if len(parts) > 2 else parts[0]


def _text_of(record: Model, searched: Searched) -> str:
    """The same escaped text in Python (SQLite)."""
    parts = []
    for name in searched.text:
        value = getattr(record, name) or ""
        parts.append(re.sub(_TAGS, " ", value) if name in searched.rich else html.escape(value, quote=False))
    return " \n ".join(part for part in parts if part.strip())


def _marked(text: str) -> SafeString:
    """The snippet made safe: read as text (its entities decoded), escaped again in full, and the
    marks around each match turned into <mark>; a stray mark is dropped. Whatever was stored, only
    the marks are markup."""
    escaped = html.escape(" ".join(html.unescape(text).split()), quote=False)
    marked = re.sub(f"{_START}([^{_START}{_STOP}]*){_STOP}", r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(_START, "").replace(_STOP, ""))  # noqa: S308 (escaped above)


def _snippet(text: str, query: str) -> str:
    """SQLite's snippet of the escaped text: about SNIPPET_WORDS words around the first match,
    every match marked."""
    wanted, _ = terms(query)
    text = " ".join(text.replace(_START, "").replace(_STOP, "").split())
    escaped = (re.escape(html.escape(term, quote=False)) for term in sorted(wanted, key=len, reverse=True))
    pattern = re.compile("|".join(escaped), re.IGNORECASE)
    first = pattern.search(text) if wanted else None
    words = text.split(" ")
    if first is not None:
        at = len(text[: first.start()].split(" ")) - 1
        start = max(0, at - SNIPPET_WORDS // 3)
    else:
        start = 0
    cut = " ".join(words[start : start + SNIPPET_WORDS])
    if wanted:
        cut = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", cut)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return f"{prefix}{cut}{suffix}"


def _title(record: Model, searched: Searched) -> str:
    if isinstance(record, DialogueLog):
        return f"{record}: {record.focus}" if record.focus else str(record)
    return record.title


def results(rows: list[dict], query: str) -> list[Result]:
    """The page's rows as results, in the page's order: one query per kind on the page for the
    records (with their participant and, on PostgreSQL, the snippet) and one for their content areas."""
    ids: dict[str, list[int]] = {}
    for row in rows:
        ids.setdefault(row["result_kind"], []).append(row["result_id"])
    found: dict[tuple[str, int], Result] = {}
    for key, pks in ids.items():
        searched = BY_KEY[key]
        records = searched.model._default_manager.filter(pk__in=pks).select_related("enrolment__participant")
        records = records.prefetch_related("content_areas").order_by()
        if full_text():
            records = records.annotate(
                snippet=SearchHeadline(
                    _document(searched),
                    SearchQuery(query, search_type="websearch", config=CONFIG),
                    config=CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                )
            )
        for record in records:
            text = record.snippet if full_text() else _snippet(_text_of(record, searched), query)
            found[(key, record.pk)] = Result(
                searched=searched,
                record=record,
                title=_title(record, searched),
                day=getattr(record, searched.date),
                snippet=_marked(text or ""),
                participant=record.enrolment.participant,
                content_areas=list(record.content_areas.all()),
            )
    return [
        found[(row["result_kind"], row["result_id"])] for row in rows if (row["result_kind"], row["result_id"]) in found
    ]
