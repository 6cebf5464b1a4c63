"""Submissions are registered with the access policy like every record of a participant, so
subject access and the audit trail find them, and a submitted file downloads only through the
files app's view, to those the policy lets read the submission."""

import pytest
from django.urls import reverse

from assessment.models import Submission, SubmissionItem, SubmittedFile
from programme import access
from programme.access import RecordKind

pytestmark = pytest.mark.django_db


def test_submissions_their_items_and_files_are_registered():
    for model in (Submission, SubmissionItem, SubmittedFile):
        registration = access.registration(model)
        assert registration is not None
        assert registration.kinds == {RecordKind.SUBMISSION_DRAFT, RecordKind.SUBMISSION}
        assert registration.sample is not None  # wired for the examiner's sample, empty until marking draws it


def test_records_of_an_enrolment_include_its_submissions(world):
    submission = world.submit()
    found = access.records_of(world.enrolment)
    assert list(found[Submission]) == [submission]
    assert found[SubmissionItem].count() == 6
    assert found[SubmittedFile].count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("coach", 200),
        ("tutor", 200),
        ("leader", 200),
        ("head", 404),  # the outcome only, never the work
        ("examiner", 404),  # not in a sample
        ("stranger_coach", 404),
        ("other_tutor", 404),
        ("other_participant", 404),
    ],
)
def test_a_submitted_file_downloads_only_for_those_who_read_the_submission(client, world, who, status):
    world.submit()
    copy = SubmittedFile.objects.get()
    client.force_login(world.person(who))
    response = client.get(reverse("files:download", args=["submitted-file", copy.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == copy.file.open("rb").read()


def test_a_draft_is_the_participants_alone(world):
    draft = world.save()
    assert access.allowed_actions(world.participant, draft) == {access.Action.VIEW, access.Action.CHANGE}
    for who in ("coach", "tutor", "head", "leader", "examiner"):
        assert not access.allowed_actions(world.person(who), draft)
