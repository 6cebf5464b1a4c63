"""Evidence attached to the initial diagnosis: checked by content (not by name), stored where no
URL reaches it, and downloaded only by those who may read the diagnosis in full."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching.models import AgreementStatus, DiagnosisEvidence, InitialDiagnosis
from tests.coaching.factories import SESSION_DAY
from tests.files import samples

pytestmark = pytest.mark.django_db

PDF = samples.pdf()
PNG = samples.png()
EXE = samples.EXE
HTML = samples.HTML


def _download_url(found: DiagnosisEvidence) -> str:
    return reverse("files:download", args=["diagnosis-evidence", found.pk])


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _diagnosis(world, status=AgreementStatus.DRAFT) -> InitialDiagnosis:
    return InitialDiagnosis.objects.create(
        enrolment=world.enrolment, coach=world.coach, held_on=SESSION_DAY, summary="Needs", status=status
    )


def _upload(client, person, world, name: str, content: bytes, content_type="application/pdf"):
    client.force_login(person)
    return client.post(
        reverse("coaching:diagnosis_evidence_add", args=[world.enrolment.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def _stored_files(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def test_the_coach_attaches_a_pdf_and_the_participant_downloads_it(client, world, private_root):
    diagnosis = _diagnosis(world)
    response = _upload(client, world.coach, world, "Induction report.pdf", PDF)
    assert response.status_code == 302
    found = DiagnosisEvidence.objects.get(diagnosis=diagnosis)
    assert (found.name, found.content_type, found.size) == ("Induction_report.pdf", "application/pdf", len(PDF))
    # Stored privately: outside MEDIA_ROOT, under a random name, with no URL.
    path = Path(found.file.path)
    assert path.is_relative_to(private_root)
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "Induction" not in path.name
    with pytest.raises(ValueError, match="no URL"):
        found.file.url  # noqa: B018
    client.force_login(world.participant)
    page = client.get(reverse("coaching:diagnosis", args=[world.enrolment.pk])).content.decode()
    url = _download_url(found)
    assert url in page
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Induction_report.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_the_participant_attaches_a_docx_while_agreeing_and_the_coach_downloads_it(client, world):
    diagnosis = _diagnosis(world, status=AgreementStatus.AWAITING_PARTICIPANT)
    version = diagnosis.version
    response = _upload(client, world.participant, world, "review.docx", samples.docx(), "application/octet-stream")
    assert response.status_code == 302
    found = DiagnosisEvidence.objects.get()
    assert found.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert found.uploaded_by == world.participant
    diagnosis.refresh_from_db()
    assert diagnosis.version == version + 1  # an agreement form opened before the file was added is stale
    client.force_login(world.coach)
    assert client.get(_download_url(found)).status_code == 200


def test_a_file_is_named_for_what_it_is_not_what_its_name_says(client, world):
    _diagnosis(world)
    assert _upload(client, world.coach, world, "photo.exe", PNG, "application/x-msdownload").status_code == 302
    found = DiagnosisEvidence.objects.get()
    assert (found.name, found.content_type) == ("photo.png", "image/png")


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", EXE), ("report.pdf", HTML), ("notes.docx", b"just some text"), ("archive.pdf", b"PK\x03\x04zip")],
)
def test_a_file_that_is_not_an_allowed_kind_is_refused_by_content_and_nothing_is_saved(
    client, world, private_root, name, content
):
    diagnosis = _diagnosis(world)
    version = diagnosis.version
    response = _upload(client, world.coach, world, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not one of those, whatever its name says" in page
    assert 'id="id_file-error-1"><span class="govuk-visually-hidden">Error:</span> The file must be a PDF' in page
    assert not DiagnosisEvidence.objects.exists()
    assert _stored_files(private_root) == []
    diagnosis.refresh_from_db()
    assert diagnosis.version == version


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", samples.docx_with_html_body(), "is not one of those, whatever its name says"),
        ("notes.docx", samples.docm(), "contains macros"),
        ("notes.docx", samples.zip_bomb(), "would unpack to far more than its own size"),
        ("report.pdf", samples.PDF_THEN_HTML, "starts like a PDF but is not a readable PDF"),
        ("report.pdf", samples.pdf_with_javascript_in_names(), "contains a script or an automatic action"),
        ("report.pdf", samples.pdf_with_open_action_script(), "contains a script or an automatic action"),
        ("report.pdf", samples.pdf_with_embedded_file(), "has other files embedded in it"),
        ("photo.png", samples.png_bomb(), "The image has too many pixels"),
        ("photo.png", samples.png_truncated(), "the picture in it cannot be read"),
        ("talk.mp3", samples.mp3(), "is not one of those"),  # recordings are for the portfolio, not the diagnosis
    ],
)
def test_a_file_whose_structure_is_not_its_kind_is_refused_beside_the_field_and_nothing_is_saved(
    client, world, private_root, name, content, message
):
    diagnosis = _diagnosis(world)
    version = diagnosis.version
    response = _upload(client, world.coach, world, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_file-error-1"><span class="govuk-visually-hidden">Error:</span>' in page
    assert message in page
    assert not DiagnosisEvidence.objects.exists()
    assert _stored_files(private_root) == []
    diagnosis.refresh_from_db()
    assert diagnosis.version == version


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("plan.docx", samples.docx(), "plan.docx"),
        ("data.xlsx", samples.xlsx(), "data.xlsx"),
        ("slides.pptx", samples.pptx(), "slides.pptx"),
        ("essay.odt", samples.odt(), "essay.odt"),
        ("photo.jpeg", samples.jpeg(), "photo.jpg"),
    ],
)
def test_each_kind_of_document_and_image_is_kept(client, world, name, content, stored_as):
    _diagnosis(world)
    assert _upload(client, world.coach, world, name, content).status_code == 302
    assert DiagnosisEvidence.objects.get().name == stored_as


def test_the_form_says_which_kinds_and_sizes_are_kept(client, world):
    _diagnosis(world)
    client.force_login(world.coach)
    page = client.get(reverse("coaching:diagnosis_evidence_add", args=[world.enrolment.pk])).content.decode()
    assert "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument text (ODT), PNG or JPEG" in page
    assert "smaller than 10 MB" in page


def test_a_file_of_10_mb_or_more_is_refused(client, world, private_root):
    _diagnosis(world)
    response = _upload(client, world.coach, world, "big.pdf", PDF + b"0" * settings.PRIVATE_FILE_MAX_BYTES)
    assert response.status_code == 200
    assert "smaller than 10 MB" in response.content.decode()
    assert not DiagnosisEvidence.objects.exists()
    assert _stored_files(private_root) == []


def test_no_file_chosen_gets_a_message_beside_the_field(client, world):
    _diagnosis(world)
    client.force_login(world.coach)
    response = client.post(reverse("coaching:diagnosis_evidence_add", args=[world.enrolment.pk]), {})
    assert response.status_code == 200
    assert "Choose a file to attach." in response.content.decode()


def _attached(world, status) -> DiagnosisEvidence:
    diagnosis = _diagnosis(world, status=status)
    upload = SimpleUploadedFile("report.pdf", PDF)
    from coaching import services

    return services.diagnosis_evidence_add(diagnosis=diagnosis, by=world.coach, upload=upload)


@pytest.mark.parametrize("role_name", ["participant", "coach", "tutor"])
def test_participant_coach_and_tutor_download_evidence_of_an_agreed_diagnosis(client, world, role_name):
    found = _attached(world, AgreementStatus.AWAITING_PARTICIPANT)
    InitialDiagnosis.objects.filter(pk=found.diagnosis_id).update(status=AgreementStatus.AGREED)
    client.force_login(world.person(role_name))
    assert client.get(_download_url(found)).status_code == 200


@pytest.mark.parametrize(
    "role_name", ["head", "leader", "examiner", "stranger_coach", "other_head", "other_tutor", "other_participant"]
)
def test_nobody_else_can_download_evidence_even_of_an_agreed_diagnosis(client, world, role_name):
    found = _attached(world, AgreementStatus.AWAITING_PARTICIPANT)
    InitialDiagnosis.objects.filter(pk=found.diagnosis_id).update(status=AgreementStatus.AGREED)
    client.force_login(world.person(role_name))
    assert client.get(_download_url(found)).status_code == 404


def test_the_tutor_cannot_download_evidence_of_a_draft_diagnosis(client, world):
    found = _attached(world, AgreementStatus.DRAFT)
    client.force_login(world.tutor)
    assert client.get(_download_url(found)).status_code == 404


def test_downloading_needs_sign_in(client, world):
    found = _attached(world, AgreementStatus.DRAFT)
    response = client.get(_download_url(found))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("role_name", ["head", "leader", "stranger_coach", "tutor"])
def test_only_the_coach_and_participant_attach_evidence(client, world, role_name):
    _diagnosis(world)
    assert _upload(client, world.person(role_name), world, "report.pdf", PDF).status_code == 404
    assert not DiagnosisEvidence.objects.exists()


def test_no_evidence_is_attached_to_an_agreed_diagnosis(client, world):
    _diagnosis(world, status=AgreementStatus.AGREED)
    assert _upload(client, world.coach, world, "report.pdf", PDF).status_code == 403
    assert not DiagnosisEvidence.objects.exists()
