"""The practitioner enquiry: a titled cycle of sections, each able to cite evidence and agreed
sessions; the ethics section records consent; several enquiries across the phases."""

import pytest
from django.urls import reverse

from portfolio.models import Enquiry, EnquiryCitation
from programme.models import ContentArea, Phase
from tests.coaching.factories import DialogueLogFactory, agreed_log
from tests.portfolio.factories import DAY, EnquiryFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def start_data(**overrides) -> dict:
    data = {
        "version": "",
        "title": "Wait time and who answers",
        "started_on": DAY.isoformat(),
        "phase": str(Phase.objects.get(number=1).pk),
        "content_areas": [str(ContentArea.objects.get(number=1).pk)],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def section_url(enquiry, section="method"):
    return reverse("portfolio:enquiry_section", args=[enquiry.pk, section])


def test_participant_starts_enquiries_in_different_phases(client, world):
    client.force_login(world.participant)
    url = reverse("portfolio:enquiry_create", args=[world.enrolment.pk])
    assert client.post(url, start_data()).status_code == 302
    phase3 = Phase.objects.get(number=3)
    assert client.post(url, start_data(title="My specialist research", phase=str(phase3.pk))).status_code == 302
    assert sorted(Enquiry.objects.values_list("phase__number", flat=True)) == [1, 3]


def test_a_section_is_written_and_cites_evidence_and_an_agreed_session(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    evidence = EvidenceFactory(enrolment=world.enrolment)
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.participant)
    response = client.post(
        section_url(enquiry),
        {"version": "1", "text": "Two classes, four weeks.", "evidence": [str(evidence.pk)], "logs": [str(log.pk)]},
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.method == "<p>Two classes, four weeks.</p>"
    assert set(EnquiryCitation.objects.values_list("section", "evidence_id", "log_id")) == {
        ("method", evidence.pk, None),
        ("method", None, log.pk),
    }
    page = client.get(enquiry.get_absolute_url()).content.decode()
    assert "Two classes, four weeks." in page
    assert evidence.title in page
    assert reverse("coaching:log_detail", args=[log.pk]) in page

    # Saving the section again with nothing ticked removes its citations.
    client.post(section_url(enquiry), {"version": str(enquiry.version), "text": "Two classes."})
    assert not EnquiryCitation.objects.exists()


def test_a_section_cannot_cite_a_draft_session(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.participant)
    response = client.post(section_url(enquiry), {"version": "1", "text": "Typed", "logs": [str(draft.pk)]})
    assert 'id="id_logs-error-1"' in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.method == ""
    assert enquiry.version == 1


def test_ethics_records_consent_and_asks_how_it_was_recorded(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    url = section_url(enquiry, "ethics")
    response = client.post(url, {"version": "1", "text": "Pupils' names removed.", "consent": "given"})
    body = response.content.decode()
    assert 'id="id_consent_record-error-1"' in body
    assert "Say how consent was recorded" in body
    assert "Pupils&#x27; names removed." in body or "Pupils' names removed." in body

    response = client.post(
        url,
        {"version": "1", "text": "Names removed.", "consent": "given", "consent_record": "Parents' letters, 2 Oct."},
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.consent == Enquiry.Consent.GIVEN
    assert enquiry.consent_record == "Parents' letters, 2 Oct."
    assert "Parents&#x27; letters, 2 Oct." in client.get(enquiry.get_absolute_url()).content.decode()


def test_an_unknown_section_is_not_found(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    assert client.get(section_url(enquiry, "conclusion")).status_code == 404


def test_a_section_longer_than_the_limit_is_refused_beside_the_field(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    response = client.post(section_url(enquiry, "findings"), {"version": "1", "text": "x" * 20_001})
    assert "Keep this section to 20,000 characters or fewer." in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.findings == ""


def test_two_tabs_writing_one_enquiry_the_second_save_is_refused_and_its_text_kept(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    assert 'name="version" value="1"' in client.get(section_url(enquiry, "findings")).content.decode()
    assert client.post(section_url(enquiry, "data"), {"version": "1", "text": "Tallies"}).status_code == 302
    response = client.post(section_url(enquiry, "findings"), {"version": "1", "text": "Second-tab-findings"})
    body = response.content.decode()
    assert "Your changes have not been saved" in body
    assert "Second-tab-findings" in body
    enquiry.refresh_from_db()
    assert enquiry.findings == ""
    assert enquiry.data == "<p>Tallies</p>"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title for your enquiry."),
        ({"content_areas": []}, "content_areas", "Choose at least one content area"),
        ({"phase": ""}, "phase", "Choose the phase this belongs to."),
        ({"started_on": "31/02/2025"}, "started_on", "Enter a real date"),
    ],
)
def test_bad_enquiry_is_refused_beside_the_field(client, world, overrides, field, message):
    client.force_login(world.participant)
    response = client.post(reverse("portfolio:enquiry_create", args=[world.enrolment.pk]), start_data(**overrides))
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}-error-1"' in body
    assert not Enquiry.objects.exists()
