"""Make the thumbnails the export's PDF shows for photos kept before thumbnails were made at
upload (portfolio.thumbnails). Safe to run again: a photo that has one is left alone."""

from django.core.management.base import BaseCommand

from portfolio import thumbnails
from portfolio.models import EvidenceFile


class Command(BaseCommand):
    help = "Make the missing thumbnails of evidence photos, for the portfolio export."

    def handle(self, *args, **options):
        missing = EvidenceFile.objects.filter(thumbnail="", content_type__in=thumbnails.KINDS).exclude(file="")
        made = sum(thumbnails.keep(kept) for kept in missing.iterator(chunk_size=200))
        self.stdout.write(f"Thumbnails made: {made}.")
