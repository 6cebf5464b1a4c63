"""Time the head's and the programme leader's participants' tables and their exports on a database of
N participants (bench/tracking.sh seeds it). One line per request: median and worst of a few runs in
milliseconds, the queries of one, and the rows an export held."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from programme.demo import demo_email

NEWLINE = b"\n"
REQUESTS = [
    ("head", "tracking:head_home", {}, 10),
    ("head", "tracking:head_home", {"at_risk": "yes", "sort": "-risk"}, 10),
    ("leader", "tracking:leader_home", {}, 10),
    ("leader", "tracking:leader_home", {"sort": "-sessions"}, 5),
    ("leader", "tracking:leader_home", {"at_risk": "yes", "sort": "-risk"}, 5),
    ("leader", "tracking:leader_export", {"kind": "csv"}, 2),
    ("leader", "tracking:leader_export", {"kind": "xlsx"}, 2),
]


def _get(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body


def main() -> None:
    for who, url_name, params, repeats in REQUESTS:
        params = dict(params)
        kind = params.pop("kind", None)
        client = Client()
        client.force_login(User.objects.get(email=demo_email(who)))
        url = reverse(url_name, args=[kind] if kind else [])
        timings = []
        for _ in range(repeats):
            start = time.perf_counter()
            body = _get(client, url, params)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            _get(client, url, params)
        lines = body.count(NEWLINE) - 1
        rows = f"  {lines:5d} rows" if kind == "csv" else ""
        query = "&".join(f"{k}={v}" for k, v in params.items())
        print(
            f"{who:7} {url + ('?' + query if query else ''):50} median {statistics.median(timings):8.1f} ms"
            f"  worst {max(timings):8.1f} ms  {len(queries):3d} queries{rows}"
        )


main()
