"""The points of a feed-forward: the tutor writes each point on its own line, and each becomes one
point the participant answers in their next piece of work.

A line's list marker ("-", "*", "•", "1.", "2)") is dropped, as are blank lines; a point never
spans two lines. Text written before points were answered one by one reads the same way, so
every feed-forward already given keeps its words."""

import re

MAX_POINTS = 10

_MARKER = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")


def points(text: str) -> list[str]:
    """The feed-forward's points, in the order written."""
    found = []
    for line in (text or "").splitlines():
        point = _MARKER.sub("", line).strip()
        if point:
            found.append(point)
    return found


def too_many_points(text: str) -> str | None:
    """Why a feed-forward has too many points to answer, or None."""
    count = len(points(text))
    if count > MAX_POINTS:
        return f"Give at most {MAX_POINTS} points of feed-forward, one on each line; this has {count}."
    return None
