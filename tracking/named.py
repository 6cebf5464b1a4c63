"""Finding the school, coach or tutor a filter names by the words typed for it, rather than offering
every one of them as an option (at 5,000 participants, 600 schools, 900 coaches and 84 tutors were
75 KB of options on every page of the table).

One query a filter, however many records there are: those whose name holds every word typed (in
any order and case), the one named exactly first, at most `LIMIT` + 1 of them. A single match, or
a single exact name among several, is the filter; several are offered to choose from (the field's
template makes each a link naming the record by its id); none is said beside the field. The id a
filter was chosen by (`?school=12`: the progression page's links, a bookmark, a choice just made)
is kept with the words while they are still its exact name, so two schools of one name stay apart.
"""

import re
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Concat, Trim

from accounts.models import User
from accounts.roles import Role
from programme.models import Region, School

# Choices offered when the words name several; one more is read to know there are more.
LIMIT = 10


@dataclass(frozen=True)
class Named:
    """A record a filter can name: its id, its name as the field shows it once chosen, and what
    tells two of one name apart in a list of choices."""

    pk: int
    name: str
    detail: str


class Kind:
    """What a filter names: its records, how words match them, and the words for them."""

    noun: str
    plural: str
    columns: tuple[str, ...]  # read for each record; the first is the id
    order: tuple[str, ...]

    def records(self) -> QuerySet:
        raise NotImplementedError

    def named(self, row: tuple) -> Named:
        raise NotImplementedError

    def matching(self, word: str) -> Q:
        raise NotImplementedError

    def exactly(self, words: str) -> Q:
        raise NotImplementedError


class Schools(Kind):
    noun, plural = "school", "schools"
    columns = ("pk", "name", "urn", "region")
    order = ("name", "urn")

    def records(self) -> QuerySet:
        return School.objects.all()

    def named(self, row: tuple) -> Named:
        pk, name, urn, region = row
        return Named(pk, name, f"URN {urn}, {Region(region).label if region in Region.values else region}")

    def matching(self, word: str) -> Q:
        return Q(name__icontains=word) | Q(urn=word)

    def exactly(self, words: str) -> Q:
        return Q(name__iexact=words) | Q(urn=words)


class People(Kind):
    """The people holding a role (coaches, tutors), found by first name, last name or email."""

    columns = ("pk", "first_name", "last_name", "email")
    order = ("last_name", "first_name", "email")

    def __init__(self, role: str, noun: str, plural: str):
        self.role, self.noun, self.plural = role, noun, plural

    def records(self) -> QuerySet:
        # One grant per person and role (a unique constraint), so no DISTINCT.
        people = User.objects.filter(role_grants__role=self.role)
        return people.annotate(full_name=Trim(Concat(F("first_name"), Value(" "), F("last_name"))))

    def named(self, row: tuple) -> Named:
        pk, first_name, last_name, email = row
        return Named(pk, User.name_of(first_name, last_name, email), email)

    def matching(self, word: str) -> Q:
        return Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)

    def exactly(self, words: str) -> Q:
        return Q(full_name__iexact=words) | Q(email__iexact=words)


SCHOOLS = Schools()
COACHES = People(Role.COACH, "coach", "coaches")
TUTORS = People(Role.TUTOR, "tutor", "tutors")


@dataclass(frozen=True)
class Found:
    """What a filter's words (or id) came to: the record it names; or nothing, with `error` saying
    why beside the field and, when several match, the first of them to choose from."""

    record: Named | None = None
    choices: tuple[Named, ...] = ()
    more: bool = False
    error: str = ""


def words_of(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def by_id(kind: Kind, pk: str) -> Found:
    """The record an id names (a link or a bookmark), or an error when there is none."""
    gone = Found(error=f"There is no such {kind.noun}: type part of the {kind.noun}'s name.")
    if not pk.isdigit():
        return gone
    row = kind.records().filter(pk=int(pk)).values_list(*kind.columns).first()
    return Found(record=kind.named(row)) if row else gone


def by_words(kind: Kind, text: str, kept: str | None = None) -> Found:
    """The record these words name (see the module's docstring), `kept` first while the words are
    its exact name."""
    words = words_of(text)
    matching = Q()
    for word in words.split(" "):
        matching &= kind.matching(word)
    exact = kind.exactly(words)
    ranks = [When(exact, then=Value(1))]
    if kept and kept.isdigit():
        ranks.insert(0, When(exact & Q(pk=int(kept)), then=Value(0)))
    rows = list(
        kind.records()
        .filter(matching)
        .annotate(rank=Case(*ranks, default=Value(2), output_field=IntegerField()))
        .order_by("rank", *kind.order)
        .values_list("rank", *kind.columns)[: LIMIT + 1]
    )
    rank = [row[0] for row in rows]
    named = [kind.named(row[1:]) for row in rows]
    if len(named) == 1 or (rank and rank[0] == 0) or (rank and rank[0] == 1 and rank.count(1) == 1):
        return Found(record=named[0])
    if not named:
        return Found(error=f"No {kind.noun} matches “{words}”: check the spelling, or type less of the name.")
    more = len(named) > LIMIT
    return Found(
        choices=tuple(named[:LIMIT]),
        more=more,
        error=(
            f"{f'More than {LIMIT}' if more else len(named)} {kind.plural} match “{words}”: "
            "choose one below, or type more of the name."
        ),
    )
