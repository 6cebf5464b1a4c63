"""The assessment app's models, one module per part (see docs/assessment.md). Imports only."""

from assessment.models.credits import PhaseCompletion, PriorLearningClaim  # noqa: F401
from assessment.models.examiner import (  # noqa: F401
    ExaminerComment,
    ExaminerCommentRevision,
    ExaminerSample,
    SampledSubmission,
)
from assessment.models.feed_forward import FeedForwardResponse  # noqa: F401
from assessment.models.marking import Citation, CommentBankEntry, CriterionMark, MarkChange, Marking  # noqa: F401
from assessment.models.moderation import Moderation, ModerationNote, ModerationSample  # noqa: F401
from assessment.models.rubrics import Criterion, Descriptor, GradeBand, Rubric  # noqa: F401
from assessment.models.statements import StatementCitation, SupportingStatement  # noqa: F401
from assessment.models.submissions import Submission, SubmissionItem, SubmittedFile  # noqa: F401
from assessment.models.tasks import AssessmentTask, Extension  # noqa: F401
