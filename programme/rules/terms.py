"""School terms (release time, programme Q33). Terms follow the English school year, approximately:
autumn is September to December, spring January to March (Easter moves, so the spring term is taken
to end with March) and summer April to August. `Term.of` is the one place a day is given its term."""

import datetime
from dataclasses import dataclass

SEASONS = ("autumn", "spring", "summer")  # in school-year order
_MONTHS = {"autumn": "September to December", "spring": "January to March", "summer": "April to August"}


@dataclass(frozen=True, order=True)
class Term:
    school_year: int  # the calendar year the school year starts in: 2025 for 2025/26
    order: int  # 0 autumn, 1 spring, 2 summer
    season: str

    @classmethod
    def of(cls, day: datetime.date) -> "Term":
        if day.month >= 9:
            return cls(day.year, 0, "autumn")
        if day.month <= 3:
            return cls(day.year - 1, 1, "spring")
        return cls(day.year - 1, 2, "summer")

    @classmethod
    def numbered(cls, school_year: int, order: int) -> "Term":
        """The term stored as its school year and its place in it."""
        return cls(school_year, order, SEASONS[order])

    @property
    def label(self) -> str:
        year = self.school_year if self.season == "autumn" else self.school_year + 1
        return f"{self.season.capitalize()} term {year}"

    @property
    def months(self) -> str:
        return _MONTHS[self.season]

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}/{(self.school_year + 1) % 100:02d}"
