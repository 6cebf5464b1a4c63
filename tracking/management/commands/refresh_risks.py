"""Judge every participant's at-risk reasons again and store them (tracking.stored_risks): after a
bulk load that bypassed the models' saves (seed_scale), or at any time; the nightly task does the
same."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from tracking.models import ParticipantRisk
from tracking.stored_risks import risks_refresh_all


class Command(BaseCommand):
    help = "Judge every participant's at-risk reasons for today and store them."

    def handle(self, *args, **options):
        started = time.perf_counter()
        risks_refresh_all()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ParticipantRisk._meta.db_table}")
        self.stdout.write(f"At-risk reasons judged: {time.perf_counter() - started:.1f} s")
