"""Feed-forward answered: in a piece of work, the participant says how they addressed each point of
the feed-forward on their previous released result. The point is kept as it read when they wrote
(and again when they submit), so the next marker reads the point and the answer together, whatever
happens to the earlier marking afterwards. Part of its submission for the access policy.

Which result's feed-forward applies is `assessment.selectors.feed_forward`; the points of a
feed-forward are `assessment.rules.feed_forward.points`; they are saved with the submission by
`assessment.services.submissions`."""

import datetime

from django.db import models

from programme.access import RecordKind
from ui.limits import SHORT_TEXT_MAX

from .marking import Marking
from .submissions import Submission


class FeedForwardResponse(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="feed_forward_responses")
    marking = models.ForeignKey(
        Marking, on_delete=models.PROTECT, related_name="feed_forward_responses", help_text="Whose feed-forward."
    )
    number = models.PositiveSmallIntegerField(help_text="The point's place in the feed-forward, from 1.")
    point = models.TextField(help_text="The point as it read when answered (frozen when the work is submitted).")
    response = models.TextField(blank=True, max_length=SHORT_TEXT_MAX)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="feed_forward_point_answered_once"),
        ]

    def __str__(self) -> str:
        return f"Feed-forward point {self.number}"

    @property
    def access_kind(self) -> RecordKind:
        return self.submission.access_kind

    @property
    def access_enrolment_id(self) -> int:
        return self.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.submission.dated_on
