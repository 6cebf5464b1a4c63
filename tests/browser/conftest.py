"""Real Chromium (Debian's package) driven by Playwright against Django's live server."""

import base64
import contextlib
import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Only the violations are wanted: axe then keeps one node of each passing or inapplicable rule, not
# all of them, which makes a run on a long page markedly faster.
AXE_RUN = (
    "exclude => axe.run(exclude.length ? {exclude} : document,"
    f" {{runOnly: {{type: 'tag', values: {WCAG_22_AA}}}, resultTypes: ['violations']}})"
)


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


# Draftail, Wagtail's rich-text editor (draft-js), gives its editable box role="textbox" and no name
# of its own (the field's label sits outside it): Wagtail's script, which the portal cannot change,
# on the CMS's page editor only. Everything else on those pages is checked.
NOT_OURS = {"/cms/": [".public-DraftEditor-content"]}


def axe_violations(page) -> list[dict]:
    """WCAG 2.2 A and AA violations that axe-core finds on the page as it stands."""
    # Evaluated by the browser's tools, not added as an inline script, which the CSP would refuse.
    page.evaluate(_axe_source())
    path = urlsplit(page.url).path
    exclude = [[one] for prefix, selectors in NOT_OURS.items() if path.startswith(prefix) for one in selectors]
    result = page.evaluate(AXE_RUN, exclude)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


def axe_violations_without_javascript(page) -> list[dict]:
    """axe-core on the page that `page`, a context with JavaScript off, shows. There axe.run would
    never finish (it waits on timers, and with JavaScript off no timer fires, so page.evaluate waits
    for ever): the same address is opened again in a context with JavaScript on, the same cookies
    and every script the site serves refused, and axe runs on that. Only for a GET whose page does
    not change between the two loads (every page load is checked anyway: see `every_page_load`)."""
    browser = page.context.browser
    context = type(browser).new_context(browser, viewport=page.viewport_size)  # not one every_page_load records
    try:
        context.add_cookies(page.context.cookies())
        context.route(SCRIPTS, lambda route: route.abort())
        copy = context.new_page()
        copy.goto(page.url)
        return axe_violations(copy)
    finally:
        context.close()


# --- Every page load is checked by axe-core -------------------------------------------------------
#
# Each page a browser test opens (browser.new_context, then new_page: the page fixtures and every
# helper) has each document's response paused in Chromium until `PageLoads.capture` has kept its
# HTML; the browser itself sends the request, follows redirects, sets cookies and downloads files,
# as it would have. When the test has passed, each distinct HTML document is served again at its
# address in a fresh page with the same viewport and cookies (its styles and scripts from the live
# server) and axe-core runs there. Running axe while the test goes on instead would race the test's
# next click: a result could be lost, or a page never checked. Documents identical but for the CSRF
# token and the CSP nonce are checked once a run, in each kind of context (viewport, JavaScript).

SCRIPTS = re.compile(r"\.m?js(\?.*)?$")
NOT_STATIC = re.compile(r"^(?!.*/static/)")  # the site's own files are never documents
VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
REDIRECT = range(300, 400)
NOT_REPLAYED = {"content-length", "content-encoding", "transfer-encoding", "set-cookie"}
# axe-core measures a position: sticky element where it is drawn (dequelabs/axe-core#3720), and reads
# colours mid-animation: the page at its top, and finite animations at their end, as a reader sees
# it a moment later (the CMS's messages fade their colour in).
SETTLE = (
    "() => { for (const area of [document.scrollingElement, ...document.querySelectorAll('main')])"
    " area.scrollTo({top: 0, behavior: 'instant'});"
    " for (const a of document.getAnimations())"
    " if (a.effect && a.effect.getComputedTiming().endTime !== Infinity) a.finish(); }"
)
CHECKED: set[tuple] = set()  # documents found clean this run, by content and kind of context


@dataclass(frozen=True)
class PageLoad:
    method: str
    url: str
    status: int
    headers: dict
    body: bytes
    cookies: list
    options: dict  # those the test's context was made with

    @property
    def javascript(self) -> bool:
        return self.options.get("java_script_enabled", True)

    def kind(self) -> str:
        """The context options that can change what axe finds: the viewport, and JavaScript."""
        return repr(sorted((k, v) for k, v in self.options.items() if k in {"viewport", "java_script_enabled"}))

    def key(self) -> tuple:
        return (hashlib.sha256(VOLATILE.sub(rb'\1""', self.body)).hexdigest(), self.kind())


class PageLoads:
    def __init__(self, browser):
        self.browser = browser
        self.loads: list[PageLoad] = []
        self.unkept: list[str] = []  # documents shown whose HTML could not be read
        self.contexts: list = []
        self.watched: list = []
        self.opened: list = []
        self.recording = True

    def new_context(self, **options):
        context = type(self.browser).new_context(self.browser, **options)
        self.contexts.append(context)
        new_page = context.new_page

        def new_watched_page():
            page = new_page()
            self.watch(page, context, options)
            return page

        context.new_page = new_watched_page
        context.on("page", lambda page: self.opened.append(page))
        return context

    def watch(self, page, context, options) -> None:
        """Pauses each document's response in Chromium (the DevTools protocol's Fetch domain, at the
        response stage) until its HTML is kept. The browser itself sends every request and follows
        every redirect: Playwright's routes would not see a redirect's target, and Chromium does not
        hand a form's files to route.fetch."""
        cdp = context.new_cdp_session(page)
        cdp.on("Fetch.requestPaused", lambda event: self.capture(cdp, event, context, options))
        cdp.send("Fetch.enable", {"patterns": [{"resourceType": "Document", "requestStage": "Response"}]})
        self.watched.append(page)

    def capture(self, cdp, event, context, options) -> None:
        from playwright.sync_api import Error

        request = event["request"]
        headers = {h["name"].lower(): h["value"] for h in event.get("responseHeaders") or []}
        status = event.get("responseStatusCode")
        try:
            if status not in REDIRECT and headers.get("content-type", "").startswith("text/html") and self.recording:
                body = cdp.send("Fetch.getResponseBody", {"requestId": event["requestId"]})
                self.loads.append(
                    PageLoad(
                        method=request["method"],
                        url=request["url"],
                        status=status,
                        headers=headers,
                        body=base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode(),
                        cookies=context.cookies(),
                        options=options,
                    )
                )
        except Error as error:
            if self.recording:
                self.unkept.append(f"{request['method']} {request['url']}: {error.message.splitlines()[0]}")
        finally:
            with contextlib.suppress(Error):  # the page closed meanwhile: nothing more is shown
                cdp.send("Fetch.continueResponse", {"requestId": event["requestId"]})

    def close_contexts(self) -> None:
        self.recording = False
        self.unkept += [
            f"{page.url}: a page the site opened itself" for page in self.opened if page not in self.watched
        ]
        for context in self.contexts:
            context.close()

    def violations(self) -> list[str]:
        """Every rule axe-core finds broken on each document loaded, one line per document and rule."""
        found = [f"{where}: not checked, its HTML could not be kept" for where in self.unkept]
        replaying: dict = {}
        serving: list[PageLoad] = []

        def serve(route):
            request = route.request
            if request.resource_type == "document" and serving and request.url == serving[0].url:
                load = serving.pop()
                headers = {k: v for k, v in load.headers.items() if k not in NOT_REPLAYED}
                route.fulfill(status=load.status, headers=headers, body=load.body)
            elif request.resource_type in {"fetch", "xhr", "eventsource", "websocket"}:
                route.abort()  # a script polling the server (an export's progress) cannot reload the page
            else:
                route.fallback()

        try:
            seen: set[tuple] = set()
            for load in self.loads:
                if load.key() in CHECKED | seen:
                    continue
                seen.add(load.key())
                if load.kind() not in replaying:
                    context = type(self.browser).new_context(
                        self.browser, viewport=load.options.get("viewport"), bypass_csp=load.options.get("bypass_csp")
                    )
                    context.route(NOT_STATIC, serve)
                    if not load.javascript:
                        context.route(SCRIPTS, lambda route: route.abort())
                    replaying[load.kind()] = context.new_page()
                page = replaying[load.kind()]
                page.context.clear_cookies()
                page.context.add_cookies(load.cookies)
                serving[:] = [load]
                page.goto(load.url)
                assert not serving, f"{load.url} was not served again"
                page.evaluate(SETTLE)
                where = f"{load.method} {load.url} ({load.status}{'' if load.javascript else ', JavaScript off'})"
                problems = axe_violations(page)
                found += [f"{where}: {v['id']}: {v['help']}: {v['nodes']}" for v in problems]
                if not problems:
                    CHECKED.add(load.key())
        finally:
            for page in replaying.values():
                page.context.close()
        return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture(autouse=True)
def every_page_load(request):
    """Fails a browser test if axe-core finds a WCAG 2.2 A or AA violation on any page it loaded."""
    if "browser" not in request.fixturenames:
        yield None
        return
    browser = request.getfixturevalue("browser")
    loads = PageLoads(browser)
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setattr(browser, "new_context", loads.new_context)
    yield loads
    loads.close_contexts()
    if getattr(request.node, "call_failed", True):
        return  # the test's own failure says more; nor are its pages all loaded
    problems = loads.violations()
    assert not problems, "axe-core found WCAG 2.2 A/AA violations on pages this test loaded:\n" + "\n".join(problems)


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
