"""Build a provider-sized demo for measuring the portal: the ordinary demo (seed_demo), then
schools, staff and participants up to the numbers asked, each participant with up to three years of
coaching sessions, action steps, evidence and released marks. Each app makes its own part in bulk
(programme.demo_scale, coaching.demo_scale, portfolio.demo_scale, assessment.demo_scale). Prints
what it made and how long each part took."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from assessment.demo_scale import seed_scale_results
from coaching.demo_scale import seed_scale_coaching
from portfolio.demo_scale import seed_scale_evidence
from programme import demo, demo_scale
from programme.models import Cohort


class Command(BaseCommand):
    help = (
        "Create a provider-sized demo (about 600 schools and 5,000 participants with their histories) for "
        "measuring the portal. Only runs with DEBUG on, like seed_demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=5000, help="Participants in all (default 5000).")
        parser.add_argument("--schools", type=int, default=600, help="Schools in all (default 600).")

    def handle(self, *args, participants: int, schools: int, **options):
        if not settings.DEBUG:
            raise CommandError("seed_scale only runs with DEBUG on: demo accounts share a published password.")
        if demo_scale.is_seeded():
            self.stdout.write("The scale demo is already there; nothing to do.")
            return
        started = time.perf_counter()
        call_command("seed_demo", participants=min(participants, demo.DEFAULT_PARTICIPANTS), stdout=self.stdout)
        self._done("seed_demo", started)
        today = timezone.localdate()
        try:
            with transaction.atomic():
                step = time.perf_counter()
                made = demo_scale.seed_scale(participants=participants, schools=schools, today=today)
                self._done(f"{made.schools} schools, {made.participants} participants, {made.tutors} tutors", step)
                cohort = Cohort.objects.get(name=demo.COHORT_NAME)
                for label, seed in [
                    ("agreed sessions", seed_scale_coaching),
                    ("pieces of evidence", seed_scale_evidence),
                    ("released results", seed_scale_results),
                ]:
                    step = time.perf_counter()
                    count = seed(cohort_id=cohort.pk, today=today)
                    self._done(f"{count} {label}", step)
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        step = time.perf_counter()
        with connection.cursor() as cursor:
            # What autovacuum would do soon after: statistics for the planner, and on PostgreSQL the
            # visibility map that lets an index answer alone (VACUUM cannot run inside a transaction).
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self._done("statistics", step)
        step = time.perf_counter()
        # The bulk load bypassed the models' saves, so every participant's stored at-risk reasons
        # are judged once now (tracking's command: programme does not import tracking).
        call_command("refresh_risks", stdout=self.stdout)
        self._done("at-risk reasons", step)
        self.stdout.write(f"seed_scale took {time.perf_counter() - started:.1f} s in all")

    def _done(self, what: str, since: float) -> None:
        self.stdout.write(f"  {what}: {time.perf_counter() - since:.1f} s")
