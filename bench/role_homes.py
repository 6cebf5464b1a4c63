"""Time each role's home page, and count its queries, on a database of N participants.

Usage: bench/role_homes.sh [N]   (seeds a fresh SQLite file, then runs this)
Prints one line per page: median and worst of 20 requests in milliseconds, and the query count.
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from programme.demo import demo_email

PAGES = [
    ("participant", "programme:participant_home"),
    ("coach", "programme:coach_home"),
    ("tutor", "programme:tutor_home"),
    ("head", "tracking:head_home"),
    ("leader", "tracking:leader_home"),
]
REPEATS = 20


def main() -> None:
    for who, url_name in PAGES:
        client = Client()
        client.force_login(User.objects.get(email=demo_email(who)))
        url = reverse(url_name)
        timings = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(
            f"{who:12} {url:32} median {statistics.median(timings):7.1f} ms"
            f"  worst {max(timings):7.1f} ms  {len(queries):3d} queries"
        )


main()
