"""The menu: where each role lands after signing in (its home), and the sections its roles use.
Only URL names: the pages are in tracking and the apps they link to."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.roles import Role


@dataclass(frozen=True)
class RoleHome:
    role: str
    label: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ROLE_HOMES = [
    RoleHome(Role.PARTICIPANT, "My programme", "tracking:participant_home"),
    RoleHome(Role.COACH, "My coachees", "tracking:coach_home"),
    RoleHome(Role.TUTOR, "My participants", "tracking:tutor_home"),
    RoleHome(Role.HEAD, "My school's participants", "tracking:head_home"),
    RoleHome(Role.PROGRAMME_LEADER, "Programme overview", "tracking:leader_home"),
    RoleHome(Role.EXTERNAL_EXAMINER, "Examiner's sample", "tracking:examiner_home"),
]


def homes_for(user) -> list[RoleHome]:
    return [home for home in ROLE_HOMES if home.role in user.roles]


@dataclass(frozen=True)
class Section:
    """A part of the portal several roles use, linked from the menu for those roles."""

    roles: frozenset[str]
    label: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTIONS = [
    Section(
        frozenset({Role.PARTICIPANT, Role.COACH, Role.TUTOR, Role.HEAD, Role.PROGRAMME_LEADER}),
        "Coaching",
        "coaching:index",
    ),
    Section(frozenset({Role.HEAD, Role.PROGRAMME_LEADER}), "Release time", "coaching:release_time"),
    Section(frozenset({Role.PARTICIPANT}), "Portfolio", "portfolio:index"),
    # Those who read portfolios and agreed logs in full (portfolio.search.may_search says the same).
    Section(frozenset({Role.PARTICIPANT, Role.COACH, Role.TUTOR}), "Search", "portfolio:search"),
]


def navigation_for(user) -> list[RoleHome | Section]:
    """The menu: each of the person's role homes, then the sections their roles use."""
    return [*homes_for(user), *(section for section in SECTIONS if section.roles & user.roles)]
