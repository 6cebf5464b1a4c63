"""Real Chromium (Debian's package) driven by Playwright against Django's live server."""

import os
import re
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"Chromium not found at {executable}; scripts/test installs it.")
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # access happens in its own thread, and test set-up code is synchronous by design.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch_csp(page) -> list[str]:
    """Chromium reports every script, style or frame the Content-Security-Policy refused on its console."""
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return refused


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    refused = watch_csp(page)
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy refused something on a page this test visited"


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    refused = watch_csp(page)
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy refused something on a page this test visited"


def axe_violations(page) -> list[dict]:
    """WCAG 2.2 A and AA violations that axe-core finds on the page as it stands."""
    # Evaluated by the browser's tools, not added as an inline script, which the CSP would refuse.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


def axe_violations_without_javascript(page) -> list[dict]:
    """axe-core on the page that `page`, a context with JavaScript off, shows. There axe.run would
    never finish (it waits on timers, and with JavaScript off no timer fires, so page.evaluate waits
    for ever): the same address is opened again in a context with JavaScript on, the same cookies
    and every script the site serves refused, and axe runs on that. Only for a GET whose page does
    not change between the two loads."""
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        context.add_cookies(page.context.cookies())
        context.route(re.compile(r"\.m?js(\?.*)?$"), lambda route: route.abort())
        copy = context.new_page()
        copy.goto(page.url)
        return axe_violations(copy)
    finally:
        context.close()


@pytest.fixture(autouse=True)
def programme_structure(transactional_db):
    """Live-server tests run on a flushed database; put back what the data migrations seed."""
    import importlib

    from django.apps import apps

    importlib.import_module("programme.migrations.0002_seed_programme").seed(apps, None)


@pytest.fixture
def wagtail_tree(transactional_db):
    """The root page and default locale that Wagtail's migrations make, which the flush removed."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
