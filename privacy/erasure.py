"""Erasing a former participant once the provider's retention period has passed
(programme.rules.retention decides when). Names, personal text and files go; results, credits, the
award record and the shape of the history (dates, durations, states, marks, who held which role)
stay, so a school's release time, a task's results and the programme's figures still add up.

What is erased is declared here, field by field, for every kind of record that belongs to a
participant: ERASED (blanked: text to "", JSON to its empty default, files deleted from storage)
and KEPT (with the reason). tests/privacy walks every model whose rows lead to an enrolment and
fails if a field that can hold text or a file is in neither, so a new field cannot slip past.

Rows are blanked in place with queryset updates, never deleted: the records other records point at
(a citation, a marking, a release-time total) keep their ids. Records that are otherwise never
changed (a log's agreed versions, a recorded mark change) are blanked too: erasure is the one
change the law asks for that their versioning does not.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from portfolio.models import Enquiry


# Blanked: (model, the lookup from it to the enrolment, the fields erased).
@dataclass(frozen=True)
class Erase:
    label: str
    enrolment: str
    fields: tuple[str, ...]

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


_LOG_TEXT = ("focus", "discussed", "strengths", "pupil_outcomes", "evidence_considered", "participant_reflection")

ERASED: tuple[Erase, ...] = (
    Erase("programme.Enrolment", "pk", ("backdated_reason",)),
    Erase("programme.PhaseChange", "enrolment", ("note",)),
    Erase(
        "coaching.InitialDiagnosis",
        "enrolment",
        ("induction_outcomes", "performance_management_outcomes", "summary", "change_request"),
    ),
    Erase("coaching.DiagnosedNeed", "diagnosis__enrolment", ("description",)),
    Erase("coaching.DiagnosisEvidence", "diagnosis__enrolment", ("file", "name")),
    Erase("coaching.LearningGoal", "plan__enrolment", ("goal",)),
    Erase("coaching.LearningPlanReview", "plan__enrolment", ("note",)),
    Erase("coaching.DialogueLog", "enrolment", (*_LOG_TEXT, "change_request")),
    Erase("coaching.DialogueLogVersion", "log__enrolment", (*_LOG_TEXT, "tags", "action_steps", "reason")),
    Erase("coaching.ActionStep", "enrolment", ("description", "success_criteria", "closing_note")),
    Erase("coaching.LearningOpportunity", "enrolment", ("description", "what_was_learned")),
    Erase("coaching.PrivateNote", "log__enrolment", ("text",)),
    Erase("portfolio.Evidence", "enrolment", ("title", "description", "body", "url")),
    Erase("portfolio.EvidenceFile", "evidence__enrolment", ("file", "name", "thumbnail")),
    Erase("portfolio.Reflection", "enrolment", ("title", "body")),
    # An enquiry's title, its ten sections (Enquiry.SECTION_NAMES) and how consent was recorded.
    Erase("portfolio.Enquiry", "enrolment", ("title", *Enquiry.SECTION_NAMES, "consent_record")),
    Erase("portfolio.LibrarySummary", "enrolment", ("title", "summary", "findings", "implications", "tutor_comment")),
    Erase("portfolio.ExportRequest", "enrolment", ("file",)),
    Erase("assessment.PriorLearningClaim", "enrolment", ("studied", "institution", "impact", "tutor_note")),
    Erase("assessment.PhaseCompletion", "enrolment", ("note",)),
    Erase("assessment.Extension", "enrolment", ("reason",)),
    Erase("assessment.Submission", "enrolment", ("commentary",)),
    Erase("assessment.SubmissionItem", "submission__enrolment", ("title", "body", "meta")),
    Erase("assessment.SubmittedFile", "item__submission__enrolment", ("file", "name")),
    Erase("assessment.FeedForwardResponse", "submission__enrolment", ("point", "response")),
    Erase("assessment.Marking", "submission__enrolment", ("adjustment_reason", "feed_forward")),
    Erase("assessment.CriterionMark", "marking__submission__enrolment", ("strengths", "development")),
    Erase("assessment.Citation", "criterion_mark__marking__submission__enrolment", ("label", "text")),
    Erase("assessment.MarkChange", "marking__submission__enrolment", ("old", "new", "reason")),
    Erase("assessment.SupportingStatement", "submission__enrolment", ("practice", "outcomes")),
    Erase("assessment.StatementCitation", "statement__submission__enrolment", ("label", "text")),
    Erase("assessment.ModerationNote", "moderation__submission__enrolment", ("text",)),
    Erase("assessment.ExaminerComment", "submission__enrolment", ("text",)),
    Erase("assessment.ExaminerCommentRevision", "comment__submission__enrolment", ("text",)),
    Erase("assessment.SampledSubmission", "submission__enrolment", ("removal_reason",)),
)

# Fields that can hold text but are kept, and why.
KEPT: dict[str, dict[str, str]] = {
    "coaching.DiagnosisEvidence": {"content_type": "the kind of file it was (a PDF, an image): no content"},
    "portfolio.EvidenceFile": {"content_type": "the kind of file it was: no content"},
    "assessment.SubmittedFile": {
        "content_type": "the kind of file it was: no content",
        "sha256": "the fingerprint of the file that was marked: shows which work a result was for, reveals none of it",
    },
    "assessment.SubmissionItem": {
        "section": "which part of the portfolio an item came from (evidence, enquiry): no content"
    },
    "assessment.Citation": {"section": "which part of the work a mark cited: no content"},
    "assessment.MarkChange": {"field": "which part of a marking changed (the mark, the band): no content"},
    "assessment.SampledSubmission": {
        "reasons": "why the work was sampled (its marker and band): about the sample, not the person"
    },
    "assessment.Moderation": {
        "reasons": "why the work was second-marked (its marker and band): about the sample, not the person"
    },
    "coaching.PlannedSession": {"uid": "a random identifier of a calendar invitation"},
    "portfolio.ExportRequest": {"claimed_by_task": "the id of the background task that built the file: no content"},
}

# Blanked on the person's own account rows (found by their foreign key to the person).
ACCOUNT: tuple[tuple[str, str, tuple[str, ...]], ...] = (("coaching.ReleaseTimeTotal", "person", ("sort_name",)),)
# Deleted outright: the person's sign-in addresses and two-factor secrets, their email choices.
DELETED: tuple[tuple[str, str], ...] = (
    ("account.EmailAddress", "user"),
    ("mfa.Authenticator", "user"),
    ("coaching.ReminderPreference", "user"),
)


# Erased text where the database requires some (an adjusted mark has a reason, a removal from the
# examiner's sample has one): this sentence instead of nothing.
ERASED_TEXT = "Erased after the retention period."
NOT_EMPTY = frozenset({("assessment.Marking", "adjustment_reason"), ("assessment.SampledSubmission", "removal_reason")})


def _blank(model: type[models.Model], name: str):
    """What an erased field holds: nothing (JSON's empty default), or ERASED_TEXT where the
    database requires text."""
    field = model._meta.get_field(name)
    if isinstance(field, models.JSONField):
        return field.get_default()
    if (model._meta.label, name) in NOT_EMPTY:
        return ERASED_TEXT
    return ""


def erased_name(person) -> tuple[str, str, str]:
    """What an erased person is called from then on: first name, last name and an address that
    can never receive email (`.invalid` is reserved for that)."""
    return "Former participant", f"#{person.pk}", f"erased-{person.pk}@erased.invalid"


def erase(person, enrolment_ids: list[int]) -> tuple[dict[str, int], list[tuple[object, str]]]:
    """Blank every ERASED field of the person's records and their account, and delete DELETED rows:
    in the caller's transaction. Returns the records blanked per kind, and the stored files to
    delete once the transaction has committed (storage is not rolled back with it)."""
    counts: dict[str, int] = {}
    files: list[tuple[object, str]] = []
    # A research summary they published is taken off the public library and deleted with its
    # revisions (it carries their name as its author); the summary's own text is blanked below.
    pages = apps.get_model("handbook", "LibraryPage")._default_manager.filter(
        library_summary__enrolment__in=enrolment_ids
    )
    for page in pages:
        page.delete()
        counts["handbook.LibraryPage"] = counts.get("handbook.LibraryPage", 0) + 1
    for item in ERASED:
        model = item.model
        rows = model._default_manager.filter(**{f"{item.enrolment}__in": enrolment_ids})
        for name in item.fields:
            field = model._meta.get_field(name)
            if isinstance(field, models.FileField):
                stored = rows.exclude(**{name: ""}).values_list(name, flat=True)
                files.extend((field.storage, stored_name) for stored_name in stored)
        changed = rows.update(**{name: _blank(model, name) for name in item.fields})
        if changed:
            counts[item.label] = changed
    # A subject access export about them holds everything above: its file goes now, not in its days.
    exports = apps.get_model("privacy", "SubjectAccessRequest")._default_manager.filter(person=person).exclude(file="")
    files.extend(
        (exports.model._meta.get_field("file").storage, name) for name in exports.values_list("file", flat=True)
    )
    changed = exports.update(file="", status="expired")
    if changed:
        counts["privacy.SubjectAccessRequest"] = changed
    for label, lookup, fields in ACCOUNT:
        model = apps.get_model(label)
        changed = model._default_manager.filter(**{lookup: person.pk}).update(**{f: _blank(model, f) for f in fields})
        if changed:
            counts[label] = changed
    for label, lookup in DELETED:
        deleted, _ = apps.get_model(label)._default_manager.filter(**{lookup: person.pk}).delete()
        if deleted:
            counts[label] = deleted
    first, last, email = erased_name(person)
    invitations = apps.get_model("accounts", "Invitation")._default_manager.filter(
        models.Q(accepted_user=person) | models.Q(email__iexact=person.email)
    )
    changed = invitations.update(first_name="", last_name="", email=email)
    if changed:
        counts["accounts.Invitation"] = changed
    person.first_name, person.last_name, person.email = first, last, email
    person.is_active = False
    person.set_unusable_password()
    person.save(update_fields=["first_name", "last_name", "email", "is_active", "password"])
    counts["accounts.User"] = 1
    counts["files"] = len(files)
    return counts, files
