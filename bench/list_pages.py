"""Time each long list page, and count its queries and size, on a database of N participants, each
with one agreed coaching log, against a near-trivial page (the account page: the same middleware,
session, menu and base template, and almost no data).

Usage: bench/list_pages.sh [N]   (seeds a fresh database, adds the logs, then runs this; see its
header for PostgreSQL, RUNS and ONLY)
Prints one line per page: the median of 30 requests in milliseconds, how many times the median of
the trivial page that is (the two requested in turn, so both meet the same load on a shared machine),
the query count and the size of the HTML. The target is 3 times the trivial page or less.
"""

import datetime
import io
import os
import statistics
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from coaching.models import AgreementStatus, DialogueLog
from programme.demo import demo_email
from programme.models import CoachAssignment, ContentArea

PAGES = [
    ("leader", "coaching:index"),
    ("coach", "coaching:index"),
    ("tutor", "coaching:index"),
    ("head", "coaching:index"),
    ("tutor", "coaching:tutor_logs"),
    ("leader", "coaching:release_time"),
    ("head", "coaching:release_time"),
    ("coach", "coaching:release_time"),
]
TRIVIAL = "accounts:account_overview"
REPEATS = 30


def add_agreed_logs() -> int:
    """One agreed log for each participant without one, a week into their first coach's period, in
    bulk: a load for the lists to carry, not a demo (the demo school's histories use the services)."""
    have = set(DialogueLog.objects.values_list("enrolment_id", flat=True))
    first_coach = {}
    for enrolment_id, coach_id, starts_on in CoachAssignment.objects.order_by("-starts_on").values_list(
        "enrolment_id", "coach_id", "starts_on"
    ):
        first_coach[enrolment_id] = (coach_id, starts_on)
    today = datetime.date.today()
    logs = []
    for enrolment_id, (coach_id, starts_on) in first_coach.items():
        if enrolment_id in have:
            continue
        session_on = min(starts_on + datetime.timedelta(days=7), today)
        logs.append(
            DialogueLog(
                enrolment_id=enrolment_id,
                coach_id=coach_id,
                session_on=session_on,
                duration_minutes=45 + enrolment_id % 30,
                kind="coaching_conversation",
                setting="own_school",
                focus="Bench session",
                discussed="<p>Bench.</p>",
                status=AgreementStatus.AGREED,
                agreed_version=1,
            )
        )
    made = DialogueLog.objects.bulk_create(logs, batch_size=500)
    area = ContentArea.objects.order_by("number").first()
    DialogueLog.content_areas.through.objects.bulk_create(
        [DialogueLog.content_areas.through(dialoguelog_id=log.pk, contentarea_id=area.pk) for log in made],
        batch_size=500,
    )
    # Loaded outside the services, so the stored release time is recounted as the command does.
    call_command("release_time_recount", stdout=io.StringIO())
    with connection.cursor() as cursor:
        # What autovacuum does for a database in use: statistics, and the visibility map that lets
        # PostgreSQL answer from an index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return len(made)


def _timed(client: Client, url: str) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one request (CPU time of this process: on SQLite that is
    the whole request, database included, and hardly moved by other work on a shared machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed, cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, cpu


def measure(client: Client, url: str) -> dict:
    """Medians of the page and of the trivial page, requested in turn by the same person, so both
    see the same load on a shared machine; then the page's queries and size."""
    trivial_url = reverse(TRIVIAL)
    _timed(client, url)
    _timed(client, trivial_url)
    pages, trivials = [], []
    for _ in range(REPEATS):
        trivials.append(_timed(client, trivial_url))
        pages.append(_timed(client, url))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "wall": statistics.median(p for p, _ in pages),
        "trivial": statistics.median(t for t, _ in trivials),
        "cpu": statistics.median(c for _, c in pages),
        "trivial_cpu": statistics.median(c for _, c in trivials),
        "queries": len(queries),
        "size": len(response.content),
    }


def main() -> None:
    print(f"  added {add_agreed_logs()} agreed logs")
    clients = {}
    for who in {who for who, _ in PAGES}:
        clients[who] = Client()
        clients[who].force_login(User.objects.get(email=demo_email(who)))
    print(f"  each page against the trivial page ({reverse(TRIVIAL)}), requested in turn")
    only = os.environ.get("ONLY", "").split()
    for who, url_name in PAGES:
        if only and not any(word in url_name for word in only):
            continue
        url = reverse(url_name)
        m = measure(clients[who], url)
        print(
            f"{who:7} {url:29} median {m['wall']:6.1f} ms {m['wall'] / m['trivial']:4.1f} x trivial"
            f" ({m['trivial']:4.1f} ms)"
            f"  cpu {m['cpu'] / m['trivial_cpu']:4.1f} x ({m['cpu']:5.1f}/{m['trivial_cpu']:4.1f})"
            f"  {m['queries']:3d} queries {m['size'] / 1024:5.1f} KB"
        )


main()
