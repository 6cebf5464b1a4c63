"""Writes to coaching records: the dialogue-log agreement workflow, action steps, private notes,
the initial diagnosis and its learning plan, learning opportunities and email preferences.

Each service is keyword-only, runs in one transaction, and raises ui.errors.RuleError naming the field
each message is about (None for the form as a whole); nothing is saved then. Who may call which
service is the access policy's decision (programme.access), asked by the views and, where a
service is given a date that changes the answer, by the service itself.

One module per subject; every service is imported from here (`from coaching import services`):

    logs              the dialogue log's agreement workflow and its versions
    planned_sessions  the next session in both people's calendars
    action_steps      action steps agreed in a session
    private_notes     the coach's private note on a session
    diagnosis         the initial diagnosis and its evidence
    learning_plan     the goals it produces, revisited at the start of each phase
    opportunities     learning opportunities the coach arranges
    preferences       which coaching emails a person receives
    release_time      release time kept summed per term, for its pages
"""

from coaching.services._checks import MAX_SESSION_MINUTES
from coaching.services.action_steps import action_step_close, action_step_create
from coaching.services.diagnosis import (
    STALE_DIAGNOSIS,
    STALE_DIAGNOSIS_FOR_PARTICIPANT,
    DiagnosisContent,
    NeedInput,
    diagnosis_agree,
    diagnosis_evidence_add,
    diagnosis_request_change,
    diagnosis_save,
)
from coaching.services.learning_plan import GoalInput, learning_goal_add, learning_plan_review
from coaching.services.logs import (
    STALE_FOR_PARTICIPANT,
    STALE_LOG,
    LogContent,
    log_agree,
    log_draft_create,
    log_draft_update,
    log_new_version,
    log_request_change,
    log_send_for_agreement,
)
from coaching.services.opportunities import learning_opportunity_arrange, learning_opportunity_record_learning
from coaching.services.planned_sessions import planned_session_sync
from coaching.services.preferences import reminder_preferences_save
from coaching.services.private_notes import private_note_save
from coaching.services.release_time import release_time_recount

__all__ = [
    "MAX_SESSION_MINUTES",
    "STALE_DIAGNOSIS",
    "STALE_DIAGNOSIS_FOR_PARTICIPANT",
    "STALE_FOR_PARTICIPANT",
    "STALE_LOG",
    "DiagnosisContent",
    "GoalInput",
    "LogContent",
    "NeedInput",
    "action_step_close",
    "action_step_create",
    "diagnosis_agree",
    "diagnosis_evidence_add",
    "diagnosis_request_change",
    "diagnosis_save",
    "learning_goal_add",
    "learning_opportunity_arrange",
    "learning_opportunity_record_learning",
    "learning_plan_review",
    "log_agree",
    "log_draft_create",
    "log_draft_update",
    "log_new_version",
    "log_request_change",
    "log_send_for_agreement",
    "planned_session_sync",
    "private_note_save",
    "release_time_recount",
    "reminder_preferences_save",
]
