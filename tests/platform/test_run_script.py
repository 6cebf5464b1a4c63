"""scripts/run points email links at the server it starts, on whatever port."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _base_url(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "PORTAL_BASE_URL"}}
    result = subprocess.run(
        ["bash", "-c", "source scripts/_setup.sh && portal_base_url"],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("port", "expected"),
    [
        ("127.0.0.1:8100", "http://127.0.0.1:8100"),
        ("8100", "http://127.0.0.1:8100"),
        ("0.0.0.0:8100", "http://localhost:8100"),
    ],
)
def test_email_links_follow_the_port_the_portal_runs_on(port, expected):
    assert _base_url(PORT=port) == expected


def test_without_a_port_email_links_use_the_default_address():
    assert _base_url() == "http://127.0.0.1:8000"


def test_a_base_url_given_is_kept():
    assert (
        _base_url(PORT="127.0.0.1:8100", PORTAL_BASE_URL="https://portal.example.org") == "https://portal.example.org"
    )
