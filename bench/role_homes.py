"""Time each role's home page against a trivial page (Your account), and count its queries, on a
database of N participants, in one Django process (the test client: no server, no network).

Usage: bench/role_homes.sh [N]   (seeds a fresh SQLite file, or uses DATABASE_URL's, then runs this)
Prints one line per page: the median wall-clock and process CPU time of REPEATS requests (20), each
as a ratio to the trivial page's, and the query count. Pages are measured in turn, round after
round (ROUNDS, 1), so a busy machine slows them alike. ONLY="coach tutor" measures only those (and
the trivial page); PROFILE=coach profiles that page instead (cProfile, by `SORT`, tottime;
CALLEES=needs_of: what that function's time went on).
"""

import cProfile
import os
import pstats
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from programme.demo import demo_email

PAGES = [
    # (label, who, url name): the trivial page first
    ("trivial", "participant", "accounts:account_overview"),
    ("participant", "participant", "tracking:participant_home"),
    ("coach", "coach", "tracking:coach_home"),
    ("tutor", "tutor", "tracking:tutor_home"),
    ("examiner", "examiner", "tracking:examiner_home"),
    ("head", "head", "tracking:head_home"),
    ("leader", "leader", "tracking:leader_home"),
]
REPEATS = int(os.environ.get("REPEATS", "20"))
ROUNDS = int(os.environ.get("ROUNDS", "1"))


def _client(who: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=demo_email(who)))
    return client


def _get(client: Client, url: str) -> None:
    response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)


def profile(label: str) -> None:
    _, who, url_name = next(page for page in PAGES if page[0] == label)
    client, url = _client(who), reverse(url_name)
    _get(client, url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REPEATS):
        _get(client, url)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime"))
    if os.environ.get("CALLEES"):  # what one function's time went on, e.g. CALLEES=needs_of
        stats.print_callees(os.environ["CALLEES"])
    else:
        stats.print_stats(35)


def main() -> None:
    only = os.environ.get("ONLY", "").split()
    pages = [page for page in PAGES if page[0] == "trivial" or not only or page[0] in only]
    clients = {who: _client(who) for _, who, _ in pages}
    wall: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    cpu: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    queries: dict[str, int] = {}
    for label, who, url_name in pages:
        _get(clients[who], reverse(url_name))  # warm: the first request may create settings rows
        with CaptureQueriesContext(connection) as captured:
            _get(clients[who], reverse(url_name))
        queries[label] = len(captured)
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    for _ in range(ROUNDS):
        for label, who, url_name in pages:
            url = reverse(url_name)
            for _ in range(REPEATS):
                start, start_cpu = time.perf_counter(), time.process_time()
                _get(clients[who], url)
                wall[label].append((time.perf_counter() - start) * 1000)
                cpu[label].append((time.process_time() - start_cpu) * 1000)
    base_wall, base_cpu = statistics.median(wall["trivial"]), statistics.median(cpu["trivial"])
    print(f"{'page':12} {'wall':>9} {'x':>5} {'CPU':>9} {'x':>5} {'queries':>8}")
    for label, _, _ in pages:
        w, c = statistics.median(wall[label]), statistics.median(cpu[label])
        print(f"{label:12} {w:7.1f}ms {w / base_wall:5.1f} {c:7.1f}ms {c / base_cpu:5.1f} {queries[label]:8d}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if os.environ.get("PROFILE"):
    profile(os.environ["PROFILE"])
else:
    main()
