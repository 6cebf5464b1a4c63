"""The pages bench/load.py asks for, each with a signed-in session of the person it belongs to, one a
line (label, path, cookie) on standard output; the trivial page first. Run by bench/load.sh through
`manage.py shell` on the database it measures, with the server's settings."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from programme.demo import demo_email

LEADER_FILTER = "?region=north_west&at_risk=yes&sort=-risk"
PAGES = [
    # (label, who, url name, arguments, query)
    ("trivial: your account", "participant", "accounts:account_overview", [], ""),
    ("participant home", "participant", "tracking:participant_home", [], ""),
    ("coach home", "coach", "tracking:coach_home", [], ""),
    ("tutor home", "tutor", "tracking:tutor_home", [], ""),
    ("examiner home", "examiner", "tracking:examiner_home", [], ""),
    ("head home (dashboard)", "head", "tracking:head_home", [], ""),
    ("leader home (dashboard)", "leader", "tracking:leader_home", [], ""),
    ("leader dashboard, filtered", "leader", "tracking:leader_home", [], LEADER_FILTER),
    ("head charts", "head", "tracking:head_charts", [], ""),
    ("leader charts", "leader", "tracking:leader_charts", [], ""),
    ("leader chart: coverage.svg", "leader", "tracking:leader_chart", ["coverage"], ""),
    ("leader chart: phases.svg", "leader", "tracking:leader_chart", ["phases"], ""),
    ("head export CSV", "head", "tracking:head_export", ["csv"], ""),
    ("head export XLSX", "head", "tracking:head_export", ["xlsx"], ""),
    ("leader export CSV, filtered", "leader", "tracking:leader_export", ["csv"], LEADER_FILTER),
    ("leader export XLSX, filtered", "leader", "tracking:leader_export", ["xlsx"], LEADER_FILTER),
]


def main() -> None:
    cookies = {}
    for label, who, url_name, args, query in PAGES:
        if who not in cookies:
            client = Client()
            client.force_login(User.objects.get(email=demo_email(who)))
            cookies[who] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        print(f"{label}\t{reverse(url_name, args=args)}{query}\t{cookies[who]}")


main()
