"""Real requests through nginx for deploy/smoke.sh: a participant adds evidence with a file, downloads
it, and has a Celery worker build their portfolio export; and, after a restore, that the evidence and
its file are back. Every response's X-Request-ID (nginx's $request_id, echoed by the portal) is
noted, so smoke.sh can tell from the web containers' logs which one served each request.

    python3 deploy/smoke/journey.py add    STATE ORIGIN CACERT EMAIL PASSWORD
    python3 deploy/smoke/journey.py check  STATE ORIGIN CACERT EMAIL PASSWORD

`add` writes STATE (JSON: the evidence's address, its file's address and SHA-256, and the request
ids of each step); `check` reads it, signs in again and fails unless the same evidence page and the
same file bytes come back, then adds a second file (the restored folder must still take uploads).
Standard library only: it runs on the host, outside the containers.
"""

import hashlib
import http.client
import json
import re
import ssl
import struct
import sys
import time
import uuid
import zlib
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit


class Failed(Exception):
    pass


def png(width: int = 40, height: int = 30, rgb: tuple[int, int, int] = (29, 112, 184)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Forms(HTMLParser):
    """Each form's action, method and the values a browser would send as the page stands."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action") or "",
                    "method": (a.get("method") or "get").lower(),
                    "fields": [],
                    "names": set(),
                }
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            form["names"].add(name)
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                form.setdefault("options", {}).setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            form["names"].add(name)
            self._select = name
            form.setdefault("select_first", {})[name] = None
        elif tag == "option" and self._select:
            first = form["select_first"]
            if first[self._select] is None:
                first[self._select] = a.get("value", "")
            if "selected" in a:
                form["fields"].append((self._select, a.get("value", "")))
                first[self._select] = False
        elif tag == "textarea" and name:
            form["names"].add(name)
            self._textarea = name
            form["fields"].append((name, ""))

    def handle_data(self, data):
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            first = self.forms[-1]["select_first"][self._select]
            if first not in (None, False):  # nothing selected: a browser sends the first option
                self.forms[-1]["fields"].append((self._select, first))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_with(page: str, field: str, action: str = "") -> dict:
    """The page's first form with this field (and this address, if given: every page also has the
    sign-out form)."""
    parser = Forms()
    parser.feed(page)
    for form in parser.forms:
        if field in form["names"] and form["action"].endswith(action):
            return form
    raise Failed(f"no form on the page has a field {field!r} and the address {action!r}")


class Browser:
    def __init__(self, origin: str, cacert: str):
        self.origin = origin
        parts = urlsplit(origin)
        self.host_header = parts.netloc
        self.port = parts.port or 443
        # nginx is reached on the loopback; the certificate is still checked against the throwaway CA
        # (its name, mtl-smoke.test, is what the Host header says).
        self.context = ssl.create_default_context(cafile=cacert)
        self.context.check_hostname = False
        self.cookies: dict[str, str] = {}
        self.served: list[tuple[str, str, str, int]] = []  # (step, method path, request id, status)

    def request(self, step: str, method: str, url: str, body: bytes | None = None, content_type: str | None = None):
        path = urlsplit(urljoin(self.origin + "/", url))
        target = path.path + (f"?{path.query}" if path.query else "")
        headers = {"Host": self.host_header, "User-Agent": "mtl-smoke-journey"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update({"Origin": self.origin, "Referer": self.origin + target, "Content-Type": content_type})
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30)
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.served.append((step, f"{method} {path.path}", response.headers.get("X-Request-ID", ""), response.status))
        return response.status, response.headers, data

    def get(self, step: str, url: str, *, follow: bool = True) -> tuple[str, bytes]:
        for _ in range(5):
            status, headers, data = self.request(step, "GET", url)
            if status in (301, 302, 303) and follow:
                url = headers["Location"]
                continue
            if status != 200:
                raise Failed(f"{step}: GET {url} answered {status}")
            return url, data
        raise Failed(f"{step}: too many redirects from {url}")

    def post(self, step: str, url: str, fields: list[tuple[str, str]], files: dict | None = None) -> str:
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content, kind) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {kind}\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        status, headers, data = self.request(step, "POST", url, body, content_type)
        if status not in (302, 303):
            errors = re.findall(r'class="govuk-error-message"[^>]*>(.*?)</', data.decode(errors="replace"), re.S)
            raise Failed(f"{step}: POST {url} answered {status}, not a redirect {[e.strip() for e in errors]}")
        return headers["Location"]

    def sign_in(self, email: str, password: str) -> str:
        url, page = self.get("sign-in form", "/accounts/login/")
        form = form_with(page.decode(), "password")
        fields = [(k, v) for k, v in form["fields"] if k not in ("login", "password")]
        fields += [("login", email), ("password", password)]
        home = self.post("sign in", form["action"] or url, fields)
        url, page = self.get("home after signing in", home)
        if "Sign out" not in page.decode():
            raise Failed(f"not signed in after signing in as {email} ({url})")
        return url

    def signed_in_page(self, step: str, url: str) -> str:
        url, page = self.get(step, url)
        text = page.decode()
        if "Sign out" not in text or "/accounts/login/" in url:
            raise Failed(f"{step}: {url} is not a signed-in page")
        return text


def add_evidence(browser: Browser, title: str, picture: bytes) -> tuple[str, str]:
    """Add a file as evidence from the participant's portfolio; the evidence's and its file's addresses."""
    _, page = browser.get("portfolio", "/portfolio/")
    match = re.search(r'href="(/portfolio/participants/\d+/evidence/new/)"', page.decode())
    if not match:
        raise Failed("the participant's portfolio has no link to add evidence")
    url, page = browser.get("add evidence form", match.group(1))
    form = form_with(page.decode(), "title")
    fields = [(k, v) for k, v in form["fields"] if k not in ("kind", "title", "anonymised", "content_areas")]
    areas = form.get("options", {}).get("content_areas") or []
    if not areas:
        raise Failed("the add evidence form offers no content area")
    fields += [("kind", "file"), ("title", title), ("anonymised", "on"), ("content_areas", areas[0])]
    detail = browser.post(
        "add evidence", form["action"] or url, fields, files={"file": ("board.png", picture, "image/png")}
    )
    text = browser.signed_in_page("evidence page", detail)
    if title not in text:
        raise Failed(f"the evidence page {detail} does not show {title!r}")
    files = re.findall(r'href="(/files/[\w-]+/\d+/)"', text)
    if not files:
        raise Failed(f"the evidence page {detail} links to no file")
    return urlsplit(urljoin(browser.origin, detail)).path, files[0]


def download(browser: Browser, step: str, url: str) -> bytes:
    status, _, data = browser.request(step, "GET", url)
    if status != 200:
        raise Failed(f"{step}: GET {url} answered {status}")
    return data


def export_by_worker(browser: Browser, timeout: int = 240) -> int:
    """Ask for the portfolio's export (a Celery task), wait until a worker has built it, download it."""
    _, page = browser.get("portfolio", "/portfolio/")
    match = re.search(r'"(/portfolio/participants/\d+/export/)"', page.decode())
    if not match:
        raise Failed("the participant's portfolio has no way to export it")
    url, page = browser.get("export page", match.group(1))
    form = form_with(page.decode(), "csrfmiddlewaretoken", match.group(1))
    detail = browser.post("ask for the export", url, form["fields"])
    pk = re.search(r"/exports/(\d+)/", detail)
    if not pk:
        raise Failed(f"asking for the export led to {detail}")
    deadline = time.monotonic() + timeout
    while True:
        status, _, data = browser.request("export progress", "GET", f"/portfolio/exports/{pk.group(1)}/progress/")
        state = json.loads(data) if status == 200 else {"status": status}
        if state.get("status") == "ready":
            break
        if state.get("status") in ("failed", "expired") or time.monotonic() > deadline:
            raise Failed(f"the export is {state} after {timeout} s")
        time.sleep(2)
    data = download(browser, "download the export", f"/portfolio/exports/{pk.group(1)}/download/")
    if not data.startswith(b"PK") and not data.startswith(b"%PDF"):
        raise Failed("the export's download is neither a zip nor a PDF")
    return len(data)


def main(action: str, state_file: str, origin: str, cacert: str, email: str, password: str) -> None:
    browser = Browser(origin, cacert)
    browser.sign_in(email, password)
    state = {}
    if action == "add":
        picture = png()
        evidence, file_url = add_evidence(browser, "Board work, smoke test", picture)
        # Six times each: with two web containers behind nginx, both serve them (smoke.sh checks whether).
        for n in range(6):
            if download(browser, f"download {n + 1}", file_url) != picture:
                raise Failed(f"the file downloaded from {file_url} differs from the one uploaded")
        for n in range(6):
            browser.signed_in_page(f"signed-in page {n + 1}", evidence)
        export_bytes = export_by_worker(browser)
        state = {
            "evidence": evidence,
            "file": file_url,
            "sha256": hashlib.sha256(picture).hexdigest(),
            "export_bytes": export_bytes,
        }
    elif action == "check":
        with open(state_file) as f:
            state = json.load(f)
        text = browser.signed_in_page("restored evidence page", state["evidence"])
        if "Board work, smoke test" not in text:
            raise Failed(f"the restored evidence page {state['evidence']} does not show the evidence")
        data = download(browser, "restored file", state["file"])
        if hashlib.sha256(data).hexdigest() != state["sha256"]:
            raise Failed(f"the restored file {state['file']} differs from the one backed up")
        add_evidence(browser, "Board work after the restore", png(rgb=(0, 112, 60)))
        state = dict(state, restored=True)
    else:
        raise SystemExit(f"unknown action {action!r}")
    state["served"] = browser.served
    with open(state_file, "w") as f:
        json.dump(state, f, indent=1)


if __name__ == "__main__":
    try:
        main(*sys.argv[1:])
    except Failed as error:
        print(f"journey: {error}", file=sys.stderr)
        sys.exit(1)
