"""The coach's supporting statement on a submitted piece of work (Q9 g): how the participant's
practice and their pupils' outcomes changed, citing agreed dialogue logs.

Written by the participant's coach on the submission's date (the access policy decides who that
is), changed only until the tutor starts marking (`assessment.rules.statements`), and only by
`assessment.services.statements`. `version` is raised on every save, so a save from a stale page is
refused. Each citation keeps the agreed version of the log it cites and its words as they were when
cited, as a marker's citations do."""

import datetime

from django.conf import settings
from django.db import models

from coaching.models import DialogueLog, DialogueLogVersion
from programme.access import RecordKind
from ui.limits import RICH_TEXT_MAX

from .submissions import Submission


class SupportingStatement(models.Model):
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="supporting_statement")
    practice = models.TextField(
        "how their practice changed", max_length=RICH_TEXT_MAX, help_text="Sanitised HTML, see coaching.richtext."
    )
    outcomes = models.TextField(
        "what changed for their pupils", max_length=RICH_TEXT_MAX, help_text="Sanitised HTML, see coaching.richtext."
    )
    word_count = models.PositiveIntegerField(default=0, help_text="Of both parts, counted by the server.")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submission"]

    def __str__(self) -> str:
        return f"Supporting statement on {self.submission}"

    # Judged on the submission's date: the coach on that day writes it.
    access_kind = RecordKind.SUPPORTING_STATEMENT

    @property
    def access_enrolment_id(self) -> int:
        return self.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.submission.dated_on


class StatementCitation(models.Model):
    """An agreed dialogue log the statement rests on, at the agreed version cited, with its words as
    they were then (plain text): a later version of the log changes nothing shown here."""

    statement = models.ForeignKey(SupportingStatement, on_delete=models.CASCADE, related_name="citations")
    log = models.ForeignKey(DialogueLog, on_delete=models.PROTECT, related_name="+")
    log_version = models.ForeignKey(DialogueLogVersion, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=300, help_text="What the session was called when cited.")
    text = models.TextField(blank=True, help_text="What it said when cited, as plain text.")
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["statement", "pk"]
        constraints = [models.UniqueConstraint(fields=["statement", "log"], name="statement_cites_a_log_once")]

    def __str__(self) -> str:
        return self.label

    access_kind = RecordKind.SUPPORTING_STATEMENT

    @property
    def access_enrolment_id(self) -> int:
        return self.statement.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.statement.submission.dated_on
