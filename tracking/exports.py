"""The participants' table as a spreadsheet: the same rows as the page for the same filters and
sort (every page of them), the same columns, in CSV or XLSX.

A cell that begins with =, +, -, @, a tab or a carriage return would be read by a spreadsheet as a
formula (someone could name themselves "=HYPERLINK(...)"), so such a text is written with an
apostrophe in front: the spreadsheet shows it as the text it is.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

from tracking.selectors import Row

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADINGS = [
    "Participant",
    "School",
    "Coach",
    "Tutor",
    "Phase",
    "In phase since",
    "Status",
    "Next deadline",
    "Latest start",
    "Latest start is",
    "Complete by",
    "Completion deadline is",
    "Agreed sessions, last 30 days",
    "Agreed sessions, last 90 days",
    "Action steps open",
    "Action steps overdue",
    "Content areas covered",
    "Latest result",
    "Latest result's task",
    "Credits",
    "At risk",
    "Reasons",
]


def safe_cell(value):
    """A text that a spreadsheet would take for a formula, made plain text; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cells(row: Row) -> list:
    values = [
        row.name,
        row.school,
        row.coach,
        row.tutor,
        row.phase,
        row.phase_since,
        row.status,
        row.next_due_on,
        row.latest_start,
        row.latest_start_near,
        row.completion_deadline,
        row.completion_near,
        row.sessions_30,
        row.sessions_90,
        row.steps_open,
        row.steps_overdue,
        row.areas_covered,
        row.outcome,
        row.outcome_task,
        row.credits,
        "Yes" if row.at_risk else "No",
        "; ".join(row.reasons),
    ]
    return [safe_cell(value) for value in values]


class _Echo:
    """csv.writer writes to this and gets the line back, so each line can be streamed as it is made."""

    def write(self, value: str) -> str:
        return value


def csv_cells(row: Row) -> list:
    """A row's cells for CSV: dates written as ISO dates."""
    return [v.isoformat() if isinstance(v, datetime.date) else v for v in cells(row)]


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADINGS)
    for row in rows:
        yield writer.writerow(csv_cells(row))


def xlsx_bytes(rows: Iterable[Row], *, title: str) -> bytes:
    """A workbook of one sheet, written row by row (openpyxl's write-only mode keeps no sheet in memory)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
