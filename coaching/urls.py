from django.urls import path

from coaching.views import (
    action_steps,
    agreement,
    diagnosis,
    evidence,
    learning_plan,
    logs,
    opportunities,
    participants,
    preferences,
    release_time,
    tutor,
)

app_name = "coaching"

urlpatterns = [
    path("", participants.index, name="index"),
    path("emails/", preferences.reminder_preferences, name="reminder_preferences"),
    path("tutor/agreed-logs/", tutor.tutor_logs, name="tutor_logs"),
    path("release-time/", release_time.release_time, name="release_time"),
    path("release-time.csv", release_time.release_time_csv, name="release_time_csv"),
    path("participants/<int:enrolment_id>/", participants.timeline, name="timeline"),
    path("participants/<int:enrolment_id>/summary/", participants.summary, name="summary"),
    path("participants/<int:enrolment_id>/action-steps/", action_steps.action_steps, name="action_steps"),
    path("participants/<int:enrolment_id>/logs/new/", logs.log_create, name="log_create"),
    path("participants/<int:enrolment_id>/diagnosis/", diagnosis.diagnosis, name="diagnosis"),
    path("participants/<int:enrolment_id>/diagnosis/edit/", diagnosis.diagnosis_edit, name="diagnosis_edit"),
    path("participants/<int:enrolment_id>/diagnosis/respond/", diagnosis.diagnosis_respond, name="diagnosis_respond"),
    path(
        "participants/<int:enrolment_id>/diagnosis/evidence/new/",
        evidence.diagnosis_evidence_add,
        name="diagnosis_evidence_add",
    ),
    path("participants/<int:enrolment_id>/learning-plan/goals/new/", learning_plan.goal_add, name="goal_add"),
    path("participants/<int:enrolment_id>/learning-plan/review/", learning_plan.plan_review, name="plan_review"),
    path("participants/<int:enrolment_id>/opportunities/", opportunities.opportunities, name="opportunities"),
    path("opportunities/<int:pk>/learning/", opportunities.opportunity_learning, name="opportunity_learning"),
    path("logs/<int:pk>/", logs.log_detail, name="log_detail"),
    path("logs/<int:pk>/edit/", logs.log_edit, name="log_edit"),
    path("logs/<int:pk>/send/", agreement.log_send, name="log_send"),
    path("logs/<int:pk>/respond/", agreement.log_respond, name="log_respond"),
    path("logs/<int:pk>/new-version/", agreement.log_new_version, name="log_new_version"),
    path("logs/<int:pk>/versions/", logs.log_versions, name="log_versions"),
    path("logs/<int:pk>/versions/<int:number>/", logs.log_version_detail, name="log_version_detail"),
    path("logs/<int:pk>/action-steps/new/", action_steps.action_step_create, name="action_step_create"),
    path("logs/<int:pk>/private-note/", logs.private_note, name="private_note"),
    path("action-steps/<int:pk>/close/", action_steps.action_step_close, name="action_step_close"),
]
