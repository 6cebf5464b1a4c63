#!/usr/bin/env python3
"""Name the locked versions that are behind the newest release of their own series.

Reads the pins in requirements/*.txt (and package-lock.json's top-level packages) and compares each
with a list of packages' newest versions, one `name<TAB>version` a line with a header line, such as
the ones a development machine keeps (PACKAGE_LIST and NPM_PACKAGE_LIST, or the arguments). No
network: a list only knows one version of each package, its newest, so a pin is reported "behind"
when that newest version is in the pin's own series (same release numbers but the last) and later;
a newest version in a later series is reported as "newer series" for a person to decide on, since
moving series is an upgrade, not a patch. Not part of scripts/test: the list is a snapshot and goes
stale. The ordinary way to see PyPI's own answer is `uv pip compile --upgrade` into a scratch file.

Usage: python scripts/pins_behind.py [PYPI_LIST [NPM_LIST]]
Exit status: 0 nothing behind its series; 1 at least one pin is behind; 2 a list cannot be read.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PYPI_LIST = "/work/.library/env/packages/pypi.tsv"
DEFAULT_NPM_LIST = "/work/.library/env/packages/npm.tsv"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


@dataclass(frozen=True)
class Finding:
    source: str
    name: str
    pinned: str
    newest: str
    verdict: str  # "behind" or "newer series"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def series(version: Version) -> tuple[int, ...]:
    """The releases that share a series: all release numbers but the last (5.2.19 -> 5.2, 4.0 -> 4)."""
    release = version.release
    return release[:-1] if len(release) > 1 else release


def compare(pinned: str, newest: str) -> str | None:
    """None when the pin is up to date for what the list knows; else 'behind' or 'newer series'."""
    try:
        have, latest = Version(pinned), Version(newest)
    except InvalidVersion:
        return None
    if latest <= have or latest.is_prerelease:
        return None
    return "behind" if series(latest) == series(have) else "newer series"


def python_pins(paths: list[Path]) -> list[tuple[str, str, str]]:
    pins = []
    for path in paths:
        for line in path.read_text().splitlines():
            match = PIN.match(line)
            if match:
                pins.append((path.name, normalise(match.group(1)), match.group(2)))
    return pins


def npm_pins(lock: Path) -> list[tuple[str, str, str]]:
    if not lock.exists():
        return []
    packages = json.loads(lock.read_text()).get("packages", {})
    root = packages.get("", {})
    direct = {**root.get("dependencies", {}), **root.get("devDependencies", {})}
    return [
        (lock.name, name, packages[f"node_modules/{name}"]["version"])
        for name in sorted(direct)
        if f"node_modules/{name}" in packages
    ]


def read_list(path: Path, *, normalise_names: bool) -> dict[str, str]:
    newest = {}
    with path.open(encoding="utf-8", errors="replace") as rows:
        next(rows, None)  # the header
        for row in rows:
            name, _, rest = row.partition("\t")
            version = rest.split("\t", 1)[0].strip()
            if name and version:
                newest[normalise(name) if normalise_names else name] = version
    return newest


def findings(pins: list[tuple[str, str, str]], newest: dict[str, str]) -> list[Finding]:
    found = []
    for source, name, pinned in pins:
        latest = newest.get(name)
        verdict = compare(pinned, latest) if latest else None
        if verdict:
            found.append(Finding(source, name, pinned, latest, verdict))
    return found


def main(argv: list[str]) -> int:
    pypi_list = Path(argv[1] if len(argv) > 1 else os.environ.get("PACKAGE_LIST", DEFAULT_PYPI_LIST))
    npm_list = Path(argv[2] if len(argv) > 2 else os.environ.get("NPM_PACKAGE_LIST", DEFAULT_NPM_LIST))
    if not pypi_list.exists():
        print(f"pins_behind: no package list at {pypi_list}; nothing was compared", file=sys.stderr)
        return 2
    found = findings(
        python_pins(sorted((ROOT / "requirements").glob("*.txt"))), read_list(pypi_list, normalise_names=True)
    )
    if npm_list.exists():
        found += findings(npm_pins(ROOT / "package-lock.json"), read_list(npm_list, normalise_names=False))
    else:
        print(f"pins_behind: no npm list at {npm_list}; package-lock.json not compared", file=sys.stderr)
    seen = set()
    for f in found:
        if (f.name, f.pinned, f.verdict) in seen:
            continue  # base.txt and dev.txt pin most packages twice
        seen.add((f.name, f.pinned, f.verdict))
        print(f"{f.verdict:13} {f.name} {f.pinned} -> {f.newest} ({f.source})")
    behind = any(f.verdict == "behind" for f in found)
    print("pins_behind: " + ("some pins are behind their series" if behind else "no pin is behind its series"))
    unknown = sorted({f.name for f in found if f.verdict == "newer series"})
    if unknown:
        # The list knows only a package's newest release: for these it cannot say whether the
        # locked series has a later patch (django 5.2.19 passed here while 5.2.20 was out).
        print(
            f"pins_behind: NOT CHECKED for {len(unknown)} pins whose newest release is in a newer series "
            f"({', '.join(unknown)}): the list cannot show their own series' latest patch; ask PyPI "
            "with `uv pip compile --upgrade requirements/base.in -o SCRATCH` and compare"
        )
    return 1 if behind else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
