"""A photo's thumbnail, for the export's PDF: made once when the photo is uploaded and kept beside
it in private storage; the export reads it rather than decoding the photo again; a photo kept
before thumbnails were gets one made at export time, and `portfolio_thumbnails` makes the missing
ones; erasure removes it with the photo."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from portfolio import thumbnails
from portfolio.export import archive, contents
from portfolio.models import Evidence, EvidenceFile
from tests.files import samples
from tests.portfolio import export_world
from tests.portfolio.export_world import stored, with_file
from tests.portfolio.factories import EvidenceFactory
from tests.portfolio.test_evidence_files import add

pytestmark = pytest.mark.django_db
private_root = export_world.private_root


def size_of(data: bytes) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size


def test_a_photo_uploaded_keeps_a_small_jpeg_beside_it(client, world, private_root):
    assert add(client, world, "class.jpg", samples.image("JPEG", (1200, 900))).status_code == 302
    kept = Evidence.objects.get().current_file
    assert kept.thumbnail
    assert Path(kept.thumbnail.path).is_relative_to(private_root)
    with kept.thumbnail.open("rb") as small:
        assert size_of(small.read()) == ("JPEG", (480, 360))
    assert len(stored(private_root)) == 2  # the photo and its thumbnail, nothing else


def test_a_document_gets_no_thumbnail(client, world, private_root):
    assert add(client, world, "plan.pdf", samples.pdf()).status_code == 302
    assert not Evidence.objects.get().current_file.thumbnail
    assert len(stored(private_root)) == 1


def test_a_transparent_png_is_shown_on_white_not_black():
    out = io.BytesIO()
    Image.new("RGBA", (60, 40), (0, 0, 0, 0)).save(out, "PNG")
    with Image.open(io.BytesIO(thumbnails.make(io.BytesIO(out.getvalue())))) as small:
        assert min(small.getpixel((30, 20))) > 240


def test_an_unreadable_image_gets_none_and_is_no_error():
    assert thumbnails.make(io.BytesIO(b"\x89PNG\r\n\x1a\n not really")) == b""


def pdf_of(world) -> PdfReader:
    found = contents.gather(world.enrolment, by=world.participant, today=timezone.localdate())
    out = io.BytesIO()
    archive.write(found, out, feed_id="urn:test", now=timezone.now(), valid_days=7)
    return PdfReader(io.BytesIO(zipfile.ZipFile(out).read(archive.PDF)))


def images_in(reader: PdfReader) -> set[tuple[int, int]]:
    """The sizes of the images the PDF embeds (a page lists those of the resources it shares)."""
    return {(image.image.width, image.image.height) for page in reader.pages for image in page.images}


def test_the_export_shows_the_kept_thumbnail_without_decoding_the_photo(client, world, monkeypatch):
    add(client, world, "class.jpg", samples.image("JPEG", (1200, 900)))
    made = []
    original = thumbnails.make
    monkeypatch.setattr(thumbnails, "make", lambda stream: made.append(1) or original(stream))
    assert images_in(pdf_of(world)) == {(480, 360)}
    assert made == []  # read from storage, not made again


def test_a_photo_kept_before_thumbnails_gets_one_at_export_and_from_the_command(world):
    evidence = EvidenceFactory(enrolment=world.enrolment, kind="file", body="", title="Seating plan")
    kept = with_file(evidence, "seating.jpg", samples.image("JPEG", (960, 960)), "image/jpeg")
    assert not kept.thumbnail
    assert images_in(pdf_of(world)) == {(480, 480)}  # made at export time
    kept.refresh_from_db()
    assert not kept.thumbnail  # the export only reads
    out = io.StringIO()
    call_command("portfolio_thumbnails", stdout=out)
    assert "Thumbnails made: 1." in out.getvalue()
    kept.refresh_from_db()
    assert kept.thumbnail
    call_command("portfolio_thumbnails", stdout=out)
    assert "Thumbnails made: 0." in out.getvalue()


def test_a_thumbnail_gone_from_storage_is_made_again_at_export(client, world):
    add(client, world, "class.jpg", samples.image("JPEG", (1200, 900)))
    kept = EvidenceFile.objects.get()
    Path(kept.thumbnail.path).unlink()
    assert images_in(pdf_of(world)) == {(480, 360)}
