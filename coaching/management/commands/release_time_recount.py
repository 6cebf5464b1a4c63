"""Rewrite the summed release time from the agreed logs: after loading logs in bulk, outside the
services (the services keep the sums themselves)."""

from django.core.management.base import BaseCommand

from coaching.services import release_time_recount


class Command(BaseCommand):
    help = "Recount the stored release time (per participant, coach, school and term) from the agreed logs."

    def handle(self, *args, **options) -> None:
        release_time_recount()
        self.stdout.write("Release time recounted.")
