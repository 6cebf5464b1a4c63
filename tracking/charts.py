"""Charts for heads and the programme leader, drawn on the server as SVG text by matplotlib.

Each function takes plain numbers (from tracking.chart_data) and returns the SVG of one chart.
Only matplotlib's object interface is used (a Figure of its own per call, never pyplot's global
figures), so two requests drawing at once do not share state. The output is the same for the same
numbers: ids come from a fixed salt and no date is written. Text stays text (`svg.fonttype`
"none"), so no font is embedded or fetched and the file stays small.

A chart is never the only way to the numbers: the page shows each beside its data as a table and
a sentence summing it up (tracking.chart_data.*.summary)."""

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("svg")
# Set once, at import, before any figure is drawn; no request changes them.
matplotlib.rcParams.update(
    {
        "svg.hashsalt": "mtl-portal-charts",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

from matplotlib.figure import Figure  # noqa: E402  (after the backend is chosen)

# GOV.UK Frontend's blue and the colours of its tags, all with 4.5:1 or more against white.
BLUE = "#1d70b8"
GREEN = "#00703c"
ORANGE = "#b54a00"
RED = "#d4351c"
TEXT = "#0b0c0c"
SIZE = (6.4, 3.2)  # inches: 640 by 320 pixels at 100 dots per inch


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return out.getvalue()


def _bars(ax, labels: Sequence[str], values: Sequence[float], colour: str, *, fmt: str = "{:g}") -> None:
    positions = range(len(labels))
    bars = ax.bar(positions, values, color=colour)
    ax.set_xticks(list(positions), labels)
    ax.bar_label(bars, labels=[fmt.format(v) for v in values], color=TEXT, padding=2)
    ax.margins(y=0.15)


def _empty(ax, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", color=TEXT, transform=ax.transAxes)


def participants_by_phase(counts: Sequence[tuple[str, int]]) -> str:
    """A bar for each phase: how many participants are in it now. `counts`: (phase label, number)."""
    figure = Figure(figsize=SIZE)
    ax = figure.subplots()
    if not any(n for _, n in counts):
        _empty(ax, "No participants")
    else:
        _bars(ax, [label for label, _ in counts], [n for _, n in counts], BLUE, fmt="{:d}")
        ax.set_ylabel("Participants")
        ax.yaxis.get_major_locator().set_params(integer=True)
    return _svg(figure)


def coverage_heatmap(areas: Sequence[str], phases: Sequence[str], counts: Sequence[Sequence[int]]) -> str:
    """Agreed coaching sessions by content area (rows) and phase (columns), each cell shaded by its
    count and labelled with it. Drawn as vector squares (pcolormesh), never an embedded bitmap."""
    figure = Figure(figsize=(SIZE[0], max(2.0, 0.4 * len(areas) + 1.0)))
    ax = figure.subplots()
    if not areas or not phases:
        _empty(ax, "No content areas or phases")
        return _svg(figure)
    highest = max((n for row in counts for n in row), default=0)
    ax.pcolormesh(counts, cmap="Blues", vmin=0, vmax=max(highest, 1), edgecolors="white", linewidth=1)
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            # Dark text on pale cells, white on dark ones: readable either way.
            dark = highest and n > highest * 0.55
            ax.text(j + 0.5, i + 0.5, str(n), ha="center", va="center", color="white" if dark else TEXT)
    ax.set_xticks([j + 0.5 for j in range(len(phases))], phases)
    ax.set_yticks([i + 0.5 for i in range(len(areas))], areas)
    ax.invert_yaxis()
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return _svg(figure)


def coaching_by_school(rates: Sequence[tuple[str, float]]) -> str:
    """A horizontal bar for each school: agreed sessions per participant in the last 90 days."""
    figure = Figure(figsize=(SIZE[0], max(2.0, 0.35 * len(rates) + 1.0)))
    ax = figure.subplots()
    if not rates:
        _empty(ax, "No participants placed at a school")
        return _svg(figure)
    names = [name for name, _ in rates]
    values = [rate for _, rate in rates]
    bars = ax.barh(range(len(names)), values, color=BLUE)
    ax.set_yticks(list(range(len(names))), names)
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[f"{v:.1f}" for v in values], color=TEXT, padding=2)
    ax.set_xlabel("Agreed sessions per participant, last 90 days")
    ax.margins(x=0.15)
    return _svg(figure)


def outcomes_by_task(tasks: Sequence[str], passes: Sequence[int], refers: Sequence[int], fails: Sequence[int]) -> str:
    """Stacked bars for each assessed task: released passes, referrals and fails."""
    figure = Figure(figsize=(SIZE[0], max(2.0, 0.4 * len(tasks) + 1.2)))
    ax = figure.subplots()
    if not tasks:
        _empty(ax, "No released results")
        return _svg(figure)
    rows = list(range(len(tasks)))
    left = [0] * len(tasks)
    for label, values, colour in (("Pass", passes, GREEN), ("Refer", refers, ORANGE), ("Fail", fails, RED)):
        ax.barh(rows, values, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(rows, tasks)
    ax.invert_yaxis()
    ax.set_xlabel("Released results")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", frameon=False, ncols=3, bbox_to_anchor=(1, 1))
    return _svg(figure)


# Each phase's line differs in colour, marker and dash, so no line is told apart by colour alone.
_LINES = ((BLUE, "o", "-"), (GREEN, "s", "--"), (ORANGE, "^", ":"), (TEXT, "D", "-."))


def phases_over_time(months: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> str:
    """A line for each phase: how many participants were in it at the end of each month."""
    figure = Figure(figsize=SIZE)
    ax = figure.subplots()
    if not months or not any(any(values) for _, values in series):
        _empty(ax, "No participants")
        return _svg(figure)
    positions = list(range(len(months)))
    for (label, values), (colour, marker, dash) in zip(series, _LINES * len(series), strict=False):
        ax.plot(positions, values, color=colour, marker=marker, linestyle=dash, markersize=4, label=label)
    # About eight month labels, counted back from this month so that it is always labelled.
    ticks = positions[:: -max(1, len(months) // 8)][::-1]
    ax.set_xticks(ticks, [months[i] for i in ticks], rotation=30, ha="right")
    ax.set_ylabel("Participants")
    ax.set_ylim(bottom=0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower left", frameon=False, ncols=len(series), bbox_to_anchor=(0, 1))
    return _svg(figure)
