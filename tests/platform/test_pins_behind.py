"""scripts/pins_behind.py: which locked versions are behind the newest release of their series,
read from a package list with no network. Lists made here, so the test does not go stale."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import pins_behind  # noqa: E402


@pytest.mark.parametrize(
    ("pinned", "newest", "verdict"),
    [
        ("65.21.1", "65.21.2", "behind"),  # a later patch of the same series
        ("5.2.19", "5.2.19", None),
        ("5.2.19", "6.1.3", "newer series"),  # moving series is an upgrade, a person decides
        ("3.20", "3.21", "behind"),  # two numbers: the series is the first one
        ("4.0", "5.0", "newer series"),
        ("2026.10.18", "2026.10.19.post1", "behind"),
        ("7.1.1", "7.1.0", None),  # the list is older than the lock
        ("1.2.0", "1.2.1rc1", None),  # a pre-release is not a release to move to
        ("2.9.0.post0", "2.9.1", "behind"),
        ("not-a-version", "1.0", None),
    ],
)
def test_compare(pinned, newest, verdict):
    assert pins_behind.compare(pinned, newest) == verdict


def test_pins_are_read_with_their_extras_and_names_normalised(tmp_path):
    lock = tmp_path / "base.txt"
    lock.write_text(
        "# header\n"
        "Django==5.2.18 \\\n    --hash=sha256:aa\n"
        "psycopg[binary]==3.3.8 \\\n    --hash=sha256:bb\n"
        "    # via -r base.in\n"
        "zope.interface==7.0\n"
    )
    assert pins_behind.python_pins([lock]) == [
        ("base.txt", "django", "5.2.18"),
        ("base.txt", "psycopg", "3.3.8"),
        ("base.txt", "zope-interface", "7.0"),
    ]


def test_findings_name_the_pins_behind_and_skip_unknown_packages(tmp_path):
    listing = tmp_path / "pypi.tsv"
    listing.write_text(
        "name\tversion\tmonth\n"
        "Django\t5.2.19\t2026-11\n"
        "django_allauth\t65.22.1\t2026-11\n"
        "certifi\t\t2026-10\n"  # no version known
    )
    newest = pins_behind.read_list(listing, normalise_names=True)
    pins = [
        ("base.txt", "django", "5.2.18"),
        ("base.txt", "django-allauth", "65.22.1"),
        ("base.txt", "certifi", "2026.10.18"),
        ("base.txt", "not-listed", "1.0"),
    ]
    assert pins_behind.findings(pins, newest) == [
        pins_behind.Finding("base.txt", "django", "5.2.18", "5.2.19", "behind")
    ]


def test_the_script_fails_when_a_pin_is_behind_and_says_so_when_there_is_no_list(tmp_path):
    listing = tmp_path / "pypi.tsv"
    listing.write_text("name\tversion\n")
    missing_npm = tmp_path / "none.tsv"
    run = [sys.executable, str(ROOT / "scripts" / "pins_behind.py")]
    clean = subprocess.run([*run, str(listing), str(missing_npm)], capture_output=True, text=True, check=False)  # noqa: S603
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no pin is behind its series" in clean.stdout
    assert "package-lock.json not compared" in clean.stderr

    pinned = pins_behind.python_pins([ROOT / "requirements" / "base.txt"])
    name, version = next((name, version) for _, name, version in pinned if name == "django")
    major, minor, patch = (int(n) for n in version.split(".")[:3])
    listing.write_text(f"name\tversion\n{name}\t{major}.{minor}.{patch + 1}\n")
    behind = subprocess.run([*run, str(listing), str(missing_npm)], capture_output=True, text=True, check=False)  # noqa: S603
    assert behind.returncode == 1
    assert f"behind        django {version} -> {major}.{minor}.{patch + 1}" in behind.stdout

    absent = subprocess.run([*run, str(tmp_path / "absent.tsv")], capture_output=True, text=True, check=False)  # noqa: S603
    assert absent.returncode == 2
    assert "nothing was compared" in absent.stderr


def test_a_pin_with_only_a_newer_series_listed_is_said_to_be_unchecked_not_up_to_date(tmp_path):
    # The list's one version of django is 6.x: whether 5.2 has a later patch cannot be known from it.
    listing = tmp_path / "pypi.tsv"
    listing.write_text("name\tversion\ndjango\t99.0.0\n")
    run = [sys.executable, str(ROOT / "scripts" / "pins_behind.py"), str(listing), str(tmp_path / "none.tsv")]
    result = subprocess.run(run, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NOT CHECKED for 1 pins whose newest release is in a newer series (django)" in result.stdout
