"""A bounded load on a running portal: CLIENTS concurrent clients for SECONDS seconds, each asking for
the pages in PAGES in turn (each page as the person it belongs to), pausing THINK seconds on average
between requests as a person reading would. Prints, for each page, the median and 95th percentile
of its response times and each as a ratio to the trivial page's, measured in the same run.

Usage: python bench/load.py PAGES_FILE   (bench/load.sh writes PAGES_FILE and starts the server)

PAGES_FILE holds one page a line: `label<TAB>path<TAB>cookie` (name=value); the first line is the trivial
page. Plain asyncio sockets and HTTP/1.1 (no library to install, and cheap enough that the client
takes little of the machine from the server it measures). Only the standard library.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8011"))
CLIENTS = int(os.environ.get("CLIENTS", "50"))
SECONDS = float(os.environ.get("SECONDS", "30"))
THINK = float(os.environ.get("THINK", "1.0"))
TIMEOUT = float(os.environ.get("TIMEOUT", "60"))


@dataclass
class Page:
    label: str
    path: str
    cookie: str
    times: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)


async def fetch(page: Page) -> tuple[int, int]:
    """One GET on a new connection (gunicorn's sync workers close it after each response): the status
    and the body's length, read to the end."""
    reader, writer = await asyncio.open_connection(HOST, PORT)
    try:
        writer.write(
            (
                f"GET {page.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {page.cookie}\r\n"
                "X-Forwarded-Proto: https\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, len(body)


async def client(number: int, pages: list[Page], until: float) -> None:
    rng = random.Random(number)
    turn = number  # each client starts at a different page, so every page is asked for throughout
    await asyncio.sleep(rng.uniform(0, THINK))
    while time.perf_counter() < until:
        page = pages[turn % len(pages)]
        turn += 1
        start = time.perf_counter()
        try:
            status, size = await asyncio.wait_for(fetch(page), TIMEOUT)
        except (OSError, TimeoutError) as exc:
            page.failures.append(type(exc).__name__)
            continue
        elapsed = (time.perf_counter() - start) * 1000
        if status != 200:
            page.failures.append(str(status))
        else:
            page.times.append(elapsed)
            page.sizes.append(size)
        if THINK:
            await asyncio.sleep(rng.uniform(0.5 * THINK, 1.5 * THINK))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


async def main(pages_file: str) -> int:
    pages = []
    with open(pages_file) as lines:
        for line in lines:
            label, path, cookie = line.rstrip("\n").split("\t")
            pages.append(Page(label, path, cookie))
    for page in pages:  # every page once before the clock starts: a refusal shows at once
        status, _ = await fetch(page)
        if status != 200:
            print(f"{page.label} {page.path} answered {status}; stopping", file=sys.stderr)
            return 1
    load_before = os.getloadavg()[0]
    cpu = time.process_time()
    until = time.perf_counter() + SECONDS
    await asyncio.gather(*(client(n, pages, until) for n in range(CLIENTS)))
    cpu = time.process_time() - cpu
    load_after = os.getloadavg()[0]
    done = sum(len(p.times) for p in pages)
    print(
        f"{CLIENTS} clients for {SECONDS:.0f} s, think time {THINK} s on average: {done} requests "
        f"({done / SECONDS:.1f} a second); load average {load_before:.1f} before, {load_after:.1f} after; "
        f"this client used {cpu:.1f} s of CPU"
    )
    trivial = pages[0]
    if not trivial.times:
        print("the trivial page was never answered", file=sys.stderr)
        return 1
    base_median, base_p95 = statistics.median(trivial.times), p95(trivial.times)
    print(f"{'page':34} {'n':>4} {'median':>8} {'p95':>8} {'x median':>9} {'x p95':>6} {'KB':>6}  failed")
    for page in pages:
        if not page.times:
            print(f"{page.label:34} never answered: {page.failures[:3]}")
            continue
        median, high = statistics.median(page.times), p95(page.times)
        print(
            f"{page.label:34} {len(page.times):4d} {median:6.0f}ms {high:6.0f}ms {median / base_median:9.1f}"
            f" {high / base_p95:6.1f} {statistics.median(page.sizes) / 1024:6.1f}  {len(page.failures) or ''}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
