"""An upload is judged by what it is inside, never by its name: each kind the portal keeps must
have the structure of that kind, and hostile files built to pass a first-bytes check are refused
with a message that says what to do."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from files import content, media
from files.apps import kinds_have_checks
from files.errors import FileRefused
from files.forms import PrivateFileField
from tests.files import samples

EVERYTHING = ("document", "image", "audio", "video")


def _judge(data: bytes, accept=EVERYTHING, name: str = "upload.bin"):
    return content.judge(SimpleUploadedFile(name, data), accept=accept)


@pytest.mark.parametrize(
    ("build", "extension", "content_type"),
    [
        (samples.pdf, "pdf", "application/pdf"),
        (samples.docx, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (samples.xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (samples.pptx, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        (samples.odt, "odt", "application/vnd.oasis.opendocument.text"),
        (samples.png, "png", "image/png"),
        (samples.jpeg, "jpg", "image/jpeg"),
        (samples.mp3, "mp3", "audio/mpeg"),
        (lambda: samples.mp3(tagged=False), "mp3", "audio/mpeg"),
        (samples.m4a, "m4a", "audio/mp4"),
        (samples.mp4, "mp4", "video/mp4"),
    ],
)
def test_a_sound_file_of_each_kind_is_kept_as_what_it_is(build, extension, content_type):
    kind = _judge(build(), name="misleading.exe")
    assert (kind.extension, kind.content_type) == (extension, content_type)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (samples.docx_with_html_body(), "is not one of those, whatever its name says"),
        (samples.docm(), "contains macros"),
        (samples.odt(mimetype="application/vnd.oasis.opendocument.text-template"), "is not one of those"),
        (samples.PDF_THEN_HTML, "starts like a PDF but is not a readable PDF"),
        (samples.pdf_with_javascript_in_names(), "contains a script or an automatic action"),
        (samples.pdf_with_open_action_script(), "contains a script or an automatic action"),
        (samples.pdf_with_page_action(), "contains a script or an automatic action"),
        (samples.pdf_with_embedded_file(), "has other files embedded in it"),
        (samples.png_bomb(), "The image has too many pixels: it may have at most 40 million"),
        (samples.png_truncated(), "the picture in it cannot be read"),
        (samples.EXE, "is not one of those"),
        (samples.HTML, "is not one of those"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\0" * 10 + samples.HTML, "not a recording that can be played"),
        (samples.mp4_without_movie(), "not a recording that can be played"),
        (samples.mp4_with_lying_box(), "not a recording that can be played"),
    ],
)
def test_a_hostile_or_broken_file_is_refused_with_a_reason(data, message):
    with pytest.raises(FileRefused, match=message):
        _judge(data)


@pytest.mark.parametrize("build", [samples.mp4_of_countless_boxes, samples.mp3_behind_countless_tags])
def test_a_recording_of_countless_empty_parts_is_refused_before_they_are_all_read(build, monkeypatch):
    monkeypatch.setattr(media, "MAX_READS", 10_000)
    with pytest.raises(FileRefused, match="not a recording that can be played"):
        _judge(build(20_000))


def test_a_recording_of_a_few_thousand_parts_is_kept(monkeypatch):
    monkeypatch.setattr(media, "MAX_READS", 10_000)
    assert _judge(samples.mp4_of_countless_boxes(5_000)).extension == "mp4"


def test_a_docx_whose_relationships_point_at_a_missing_part_is_refused():
    data = samples.ooxml("word/document.xml", samples.WORD_MAIN)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = {name: package.read(name) for name in package.namelist() if name != "word/document.xml"}
    broken = samples.zipped(entries)
    with pytest.raises(FileRefused):
        _judge(broken)


def test_an_odt_without_its_mimetype_first_and_stored_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("content.xml", "<office:document-content/>")
        package.writestr("META-INF/manifest.xml", "<manifest/>")
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(FileRefused, match="not a complete document"):
        _judge(buffer.getvalue())


def test_a_zip_bomb_is_refused_from_its_directory_without_expanding_anything(monkeypatch):
    bomb = samples.zip_bomb()

    def expand(*args, **kwargs):
        raise AssertionError("An entry of the zip was opened.")

    monkeypatch.setattr(zipfile.ZipFile, "open", expand)
    with pytest.raises(FileRefused, match="would unpack to far more than its own size"):
        _judge(bomb)


def test_a_zip_that_expands_past_the_total_limit_is_refused(settings):
    settings.PRIVATE_FILE_ZIP_MAX_BYTES = 64 * 1024
    with pytest.raises(FileRefused, match="would unpack"):
        _judge(samples.ooxml("word/document.xml", samples.WORD_MAIN, "<w:document>" + "x" * 70_000 + "</w:document>"))


def test_a_zip_of_too_many_entries_is_refused(settings):
    settings.PRIVATE_FILE_ZIP_MAX_ENTRIES = 50
    assert _judge(samples.zip_of_many_entries(40)).extension == "docx"
    with pytest.raises(FileRefused, match="would unpack"):
        _judge(samples.zip_of_many_entries(60))


def test_the_pixel_limit_is_a_setting(settings):
    settings.PRIVATE_FILE_MAX_IMAGE_PIXELS = 1_000_000
    assert _judge(samples.image(size=(1000, 1000))).extension == "png"
    with pytest.raises(FileRefused, match="at most 1 million"):
        _judge(samples.image(size=(1001, 1000)))


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="The file is empty"):
        _judge(b"")


def test_a_kind_the_form_does_not_accept_is_refused_and_the_message_lists_what_it_does():
    with pytest.raises(FileRefused, match=r"must be a PNG or JPEG\. This file's content is not one of those"):
        _judge(samples.pdf(), accept=("image",))


def test_documents_must_be_under_10_mb_and_recordings_under_50_mb(settings):
    padded_pdf = samples.pdf() + b"\n" * (10 * 1024 * 1024)
    with pytest.raises(FileRefused, match="PDF files must be smaller than 10 MB"):
        _judge(padded_pdf)
    long_mp3 = samples.mp3(frames=(12 * 1024 * 1024) // len(samples.MP3_FRAME))
    assert _judge(long_mp3).extension == "mp3"
    with pytest.raises(FileRefused, match="The file must be smaller than 50 MB"):
        _judge(samples.mp3(frames=(51 * 1024 * 1024) // len(samples.MP3_FRAME)))


def test_the_allow_list_and_limits_are_settings(settings):
    settings.PRIVATE_FILE_KINDS = {
        **settings.PRIVATE_FILE_KINDS,
        "pdf": {"label": "PDF", "content_type": "application/pdf", "group": "document", "max_bytes": 1024},
    }
    del settings.PRIVATE_FILE_KINDS["docx"]
    with pytest.raises(FileRefused, match="PDF files must be smaller than 1 KB"):
        _judge(samples.pdf() + b"\n" * 1024)
    with pytest.raises(FileRefused, match="is not one of those"):
        _judge(samples.docx())


def test_the_form_field_lists_the_kinds_and_their_limits():
    assert PrivateFileField(accept=("document", "image")).help_text == (
        "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument text (ODT), PNG or JPEG, smaller than 10 MB."
    )
    assert PrivateFileField(accept=("image", "audio", "video")).help_text == (
        "PNG or JPEG: smaller than 10 MB. MP3, M4A or MP4: smaller than 50 MB."
    )


def test_a_kind_in_the_settings_that_the_code_cannot_check_is_a_configuration_error(settings):
    assert kinds_have_checks() == []
    settings.PRIVATE_FILE_KINDS = {
        "exe": {"label": "Program", "content_type": "application/x-msdownload", "group": "x"}
    }
    assert [error.id for error in kinds_have_checks()] == ["files.E001"]


def test_an_opendocument_with_a_basic_macro_is_refused_but_its_empty_library_index_is_not():
    index = {"Basic/script-lc.xml": "<library:libraries/>", "Basic/Standard/script-lb.xml": "<library:library/>"}
    entries = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": "<office:document-content/>",
        "META-INF/manifest.xml": "<manifest/>",
        **index,
    }
    assert _judge(samples.zipped(entries, stored=("mimetype",))).extension == "odt"
    entries["Basic/Standard/Module1.xml"] = '<script:module>Sub Main\nShell("calc")\nEnd Sub</script:module>'
    with pytest.raises(FileRefused, match="contains macros"):
        _judge(samples.zipped(entries, stored=("mimetype",)))
