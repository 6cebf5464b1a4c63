"""AuditEvent: one row per audited action, written once and never changed.

The rows point at people and enrolments without a database constraint and are never cascaded:
deleting or anonymising a person must not touch, or be blocked by, the trail of what they did.
"""

import datetime

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    # Sign-in (accounts), from Django's and allauth's signals.
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    PASSWORD_CHANGE = "password_change", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    MFA_ADD = "mfa_add", "Two-factor method added"
    MFA_REMOVE = "mfa_remove", "Two-factor method removed"
    MFA_RESET = "mfa_reset", "Recovery codes replaced"
    MFA_USE = "mfa_use", "Two-factor code accepted"
    MFA_FAIL = "mfa_fail", "Two-factor code refused"
    # People and the programme (accounts.services, programme.services).
    INVITATION_CREATE = "invitation_create", "Invitation sent"
    INVITATION_RESEND = "invitation_resend", "Invitation sent again"
    INVITATION_ACCEPT = "invitation_accept", "Invitation accepted"
    ROLE_GRANT = "role_grant", "Role granted"
    ROLE_REVOKE = "role_revoke", "Role removed"
    ENROLMENT_CREATE = "enrolment_create", "Participant enrolled"
    ENROLMENT_STATUS = "enrolment_status", "Enrolment status changed"
    PHASE_PROGRESS = "phase_progress", "Phase changed"
    PERIOD_START = "period_start", "Period started"
    PERIOD_END = "period_end", "Period ended"
    SCHOOL_MOVE = "school_move", "School move"
    # Assessment set-up by the programme leader (assessment.services: rubrics, tasks, extensions).
    RUBRIC_CREATE = "rubric_create", "Rubric created"
    RUBRIC_CHANGE = "rubric_change", "Rubric changed (not yet in use)"
    RUBRIC_REVISE = "rubric_revise", "Rubric revised (new version)"
    TASK_CREATE = "task_create", "Assessment task set"
    TASK_CHANGE = "task_change", "Assessment task changed"
    TASK_DELETE = "task_delete", "Assessment task deleted (nothing submitted)"
    EXTENSION_GRANT = "extension_grant", "Extension granted"
    # Coaching records (coaching.services).
    LOG_CREATE = "log_create", "Dialogue log recorded"
    LOG_CHANGE = "log_change", "Dialogue log draft changed"
    LOG_SEND = "log_send", "Dialogue log sent for agreement"
    LOG_AGREE = "log_agree", "Dialogue log agreed"
    LOG_REQUEST_CHANGE = "log_request_change", "Change to a dialogue log asked for"
    LOG_NEW_VERSION = "log_new_version", "Agreed dialogue log changed (new version)"
    DIAGNOSIS_CHANGE = "diagnosis_change", "Initial diagnosis saved"
    DIAGNOSIS_SEND = "diagnosis_send", "Initial diagnosis sent for agreement"
    DIAGNOSIS_AGREE = "diagnosis_agree", "Initial diagnosis agreed"
    DIAGNOSIS_REQUEST_CHANGE = "diagnosis_request_change", "Change to an initial diagnosis asked for"
    LEARNING_PLAN_CHANGE = "learning_plan_change", "Learning goal added"
    LEARNING_PLAN_REVIEW = "learning_plan_review", "Learning plan revisited"
    EVIDENCE_ADD = "evidence_add", "Evidence attached"
    # The participant's portfolio (portfolio.services).
    PORTFOLIO_ADD = "portfolio_add", "Portfolio record added"
    PORTFOLIO_CHANGE = "portfolio_change", "Portfolio record changed"
    # The research library (portfolio.services.library).
    LIBRARY_DRAFT = "library_draft", "Library summary written or changed"
    LIBRARY_SEND = "library_send", "Library summary sent to the tutor"
    LIBRARY_APPROVE = "library_approve", "Library summary approved"
    LIBRARY_RETURN = "library_return", "Library summary returned with a comment"
    LIBRARY_PUBLISH = "library_publish", "Library summary published"
    LIBRARY_WITHDRAW = "library_withdraw", "Library summary withdrawn"
    # The participant's export of their portfolio (portfolio.services.exports, portfolio.export_views).
    EXPORT_REQUEST = "export_request", "Portfolio export asked for"
    EXPORT_DOWNLOAD = "export_download", "Portfolio export downloaded"
    # A head's or programme leader's participants' table written in the background (tracking.export_jobs).
    LIST_EXPORT_REQUEST = "list_export_request", "Participants' table export asked for"
    LIST_EXPORT_DOWNLOAD = "list_export_download", "Participants' table export downloaded"
    # Data protection (privacy): a subject access export asked for, built and downloaded; a former
    # participant's records erased after the retention period (counts per kind in the detail).
    SUBJECT_ACCESS_REQUEST = "subject_access_request", "Subject access export asked for"
    SUBJECT_ACCESS_DOWNLOAD = "subject_access_download", "Subject access export downloaded"
    ERASURE = "erasure", "Personal data erased after the retention period"
    # Submissions (assessment.services.submissions).
    SUBMISSION_SAVE = "submission_save", "Submission draft saved"
    SUBMISSION_SUBMIT = "submission_submit", "Work submitted (frozen)"
    SUBMISSION_WITHDRAW = "submission_withdraw", "Submitted work withdrawn"
    # Marking and release (assessment.services.marking).
    MARKING_START = "marking_start", "Marking started"
    MARK_CHANGE = "mark_change", "Mark, outcome or feedback changed"
    MARKING_MOVE = "marking_move", "Marking moved on in its workflow"
    RESULTS_RELEASE = "results_release", "Results released"
    MARK_AMEND = "mark_amend", "Released result amended"
    MODERATION_CONFIRM = "moderation_confirm", "Second marking chosen and confirmed"
    MODERATION_NOTE = "moderation_note", "Moderation recorded (a step or a note)"
    # Credits and progression (assessment.services.credits, .progression, .statements).
    PRIOR_LEARNING_CLAIM = "prior_learning_claim", "Prior learning claimed"
    PRIOR_LEARNING_APPROVE = "prior_learning_approve", "Prior learning approved"
    PRIOR_LEARNING_REFUSE = "prior_learning_refuse", "Prior learning not approved"
    PHASE_COMPLETE = "phase_complete", "Phase confirmed complete"
    STATEMENT_SAVE = "statement_save", "Supporting statement written or changed"
    # The external examiner's sample and comments (assessment.services.examiner).
    EXAMINER_SAMPLE_DRAW = "examiner_sample_draw", "Examiner's sample drawn"
    EXAMINER_SAMPLE_CHANGE = "examiner_sample_change", "Examiner's sample changed by hand"
    EXAMINER_SAMPLE_CONFIRM = "examiner_sample_confirm", "Examiner's sample confirmed"
    EXAMINER_COMMENT = "examiner_comment", "External examiner's comment or report saved"
    # Reads by someone other than the participant, and requests the access policy refused.
    READ = "read", "Read"
    READ_SUMMARY = "read_summary", "Read a summary"
    SEARCH_RESULT = "search_result", "Shown, with a snippet, in search results"
    REFUSED = "refused", "Request refused"


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Failed"


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


def _loose_key(to: str, related_name: str = "+") -> models.ForeignKey:
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name=related_name
    )


class AuditEvent(models.Model):
    at = models.DateTimeField("when (UTC)", default=timezone.now, db_index=True, editable=False)
    actor = _loose_key(settings.AUTH_USER_MODEL)
    # AuditAction's values; not a database choice, so a new action needs no migration.
    action = models.CharField(max_length=40, db_index=True)
    record_kind = models.CharField(max_length=100, blank=True, help_text="The record's model, as app.model.")
    record_id = models.CharField(max_length=64, blank=True)
    enrolment = _loose_key("programme.Enrolment")
    client_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    # Facts that help read the event (a role, a version number, the path of a refused request);
    # never what a person wrote.
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["enrolment", "at"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.action_label} ({self.get_outcome_display().lower()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    @admin.display(description="When (UTC)")
    def at_utc(self) -> str:
        return self.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")

    @property
    @admin.display(description="Record")
    def record_label(self) -> str:
        return f"{self.record_kind} {self.record_id}".strip()

    @property
    @admin.display(description="Who acted")
    def who(self):
        """The person who acted, if any (and if still there)."""
        try:
            return self.actor
        except models.ObjectDoesNotExist:
            return None

    @property
    @admin.display(description="Participant")
    def participant(self):
        """The participant whose enrolment the event concerns, if any (and if still there)."""
        try:
            return self.enrolment.participant if self.enrolment_id else None
        except models.ObjectDoesNotExist:
            return None

    @property
    @admin.display(description="Action")
    def action_label(self) -> str:
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action
