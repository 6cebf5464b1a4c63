"""Submitting freezes the work: the commentary, each chosen record's content as it was and a copy of
each evidence file with its SHA-256. Nothing done to the portfolio afterwards (an edit, a file
replaced, a record deleted, a new version of an agreed log) changes a byte of what was submitted;
the submission says what has changed since."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import Submission, SubmissionItem, SubmittedFile
from assessment.selectors.submissions import CHANGED, DELETED, UNCHANGED, change_since
from coaching import services as coaching
from portfolio import services as portfolio
from portfolio.models import Enquiry, Evidence, EvidenceFile, Reflection
from programme.models import ContentArea, Phase
from tests.assessment.submissions.helpers import evidence_content
from tests.files import samples
from tests.portfolio.factories import DAY
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

K = SubmissionItem.Kind


def frozen(submission: Submission) -> dict:
    """Everything a submission holds, down to the bytes of its files."""
    submission = Submission.objects.get(pk=submission.pk)
    return {
        "commentary": submission.commentary,
        "word_count": submission.word_count,
        "is_late": submission.is_late,
        "submitted_at": submission.submitted_at,
        "items": [
            (item.kind, item.title, item.body, item.meta, item.source_version, item.log_version_id)
            for item in submission.items.order_by("sort_order")
        ],
        "files": [
            (f.name, f.content_type, f.size, f.sha256, Path(f.file.path).read_bytes())
            for f in SubmittedFile.objects.filter(item__submission=submission).order_by("pk")
        ],
    }


def test_submitting_freezes_the_commentary_every_chosen_record_and_a_copy_of_each_file(world):
    submission = world.submit()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.submitted_at is not None
    assert not submission.is_late
    assert submission.commentary == "<p>Waiting longer after questions changed who answered.</p>"
    assert submission.word_count == 7
    items = list(submission.items.order_by("sort_order"))
    assert [item.kind for item in items] == [
        K.EVIDENCE,
        K.EVIDENCE,
        K.REFLECTION,
        K.DIALOGUE_LOG,
        K.ENQUIRY_SECTION,
        K.ENQUIRY_SECTION,
    ]
    written = items[1]
    assert (written.title, written.body) == ("Exit tickets", "<p>Most pupils explained it.</p>")
    assert written.meta["date"] == DAY.isoformat()
    assert written.meta["content_areas"] == [str(ContentArea.objects.get(number=1))]
    log_item = items[3]
    assert log_item.meta["version"] == 1
    assert log_item.log_version == world.log.versions.get(number=1)
    assert "We watched the starter and talked about wait time." in log_item.body
    assert "I will plan my questions in advance." in log_item.body  # the participant's reflection
    question = items[4]
    assert question.title == "Wait time: Question"
    assert question.body == "<p>Does wait time change who answers?</p>"

    copy = SubmittedFile.objects.get()
    original = world.evidence.current_file
    assert copy.item == items[0]
    assert Path(copy.file.path).read_bytes() == samples.pdf()
    assert copy.sha256 == hashlib.sha256(samples.pdf()).hexdigest()
    assert Path(copy.file.path) != Path(original.file.path)  # a copy of its own, not the same file
    assert items[0].meta["files"] == [{"name": copy.name, "size": copy.size, "sha256": copy.sha256}]


def test_what_was_submitted_stays_byte_for_byte_after_every_kind_of_later_change(world):
    submission = world.submit()
    before = frozen(submission)
    by = world.participant
    phase = Phase.objects.get(number=1).pk
    items = {item.kind + item.section: item for item in submission.items.all()}

    # The file of the evidence is replaced, and the written evidence is rewritten.
    evidence = Evidence.objects.get(pk=world.evidence.pk)
    portfolio.evidence_update(
        by=by,
        evidence=evidence,
        version=evidence.version,
        content=evidence_content(title="A new title", upload=SimpleUploadedFile("plan.png", samples.png())),
    )
    written = Evidence.objects.get(pk=world.written.pk)
    portfolio.evidence_update(
        by=by,
        evidence=written,
        version=written.version,
        content=evidence_content(kind=Evidence.Kind.WRITTEN, title="Exit tickets", body="Rewritten.", upload=None),
    )
    assert frozen(submission) == before

    # The reflection and an enquiry section are changed; the coach makes a new version of the log.
    reflection = Reflection.objects.get(pk=world.reflection.pk)
    portfolio.reflection_update(
        by=by,
        reflection=reflection,
        version=reflection.version,
        content=portfolio.ReflectionContent(written_on=DAY, title="Changed", body="Changed.", phase_id=phase),
    )
    enquiry = Enquiry.objects.get(pk=world.enquiry.pk)
    portfolio.enquiry_section_save(
        by=by,
        enquiry=enquiry,
        section="findings",
        version=enquiry.version,
        content=portfolio.SectionContent(text="Something else."),
    )
    log = world.log
    log.refresh_from_db()
    coaching.log_new_version(
        log=log,
        by=world.coach,
        version=log.version,
        content=coaching.LogContent(
            session_on=log.session_on, duration_minutes=30, kind=log.kind, setting=log.setting, discussed="Other."
        ),
        reason="Tidied the record",
    )
    assert frozen(submission) == before
    states = {key: change_since(SubmissionItem.objects.get(pk=item.pk)) for key, item in items.items()}
    assert states == {
        K.EVIDENCE: CHANGED,
        K.REFLECTION: CHANGED,
        K.DIALOGUE_LOG: CHANGED,
        K.ENQUIRY_SECTION + "question": UNCHANGED,
        K.ENQUIRY_SECTION + "findings": CHANGED,
    }

    # Evidence, its stored files, the reflection and the enquiry are deleted.
    for kept in EvidenceFile.objects.all():
        kept.file.delete(save=False)
    Evidence.objects.all().delete()
    Reflection.objects.all().delete()
    Enquiry.objects.all().delete()
    assert frozen(submission) == before
    assert {change_since(item) for item in SubmissionItem.objects.filter(submission=submission)} == {
        DELETED,
        CHANGED,  # the log, which is never deleted
    }


def test_an_unchanged_portfolio_shows_every_item_unchanged(world):
    submission = world.submit()
    assert {change_since(item) for item in submission.items.all()} == {UNCHANGED}


def test_a_draft_holds_choices_only_and_copies_nothing(world):
    draft = world.save()
    assert draft.state == Submission.State.DRAFT
    assert draft.items.count() == 6
    assert set(draft.items.values_list("body", flat=True)) == {""}
    assert not SubmittedFile.objects.exists()


def test_a_submission_that_fails_half_way_leaves_no_copied_file_behind(world, settings):
    """The first file is copied, the second cannot be read: the copy is removed, nothing is saved."""
    lost = portfolio.evidence_create(by=world.participant, enrolment=world.enrolment, content=evidence_content())
    lost.current_file.file.delete(save=False)
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    kept_before = sorted(p for p in private.rglob("*") if p.is_file())
    with pytest.raises(RuleError) as refused:
        world.submit(evidence_ids=(world.evidence.pk, lost.pk))
    assert refused.value.rule == "file_unreadable"
    assert sorted(p for p in private.rglob("*") if p.is_file()) == kept_before
    assert not SubmittedFile.objects.exists()
    assert not Submission.objects.exists()


def test_a_submitted_file_is_never_changed_or_deleted(world):
    world.submit()
    copy = SubmittedFile.objects.get()
    copy.name = "renamed.pdf"
    with pytest.raises(ValueError, match="never changed"):
        copy.save()
    with pytest.raises(ValueError, match="never deleted"):
        copy.delete()
