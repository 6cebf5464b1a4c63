from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.index, name="index"),
    path("emails/", views.reminder_preferences, name="reminder_preferences"),
    path("tutor/agreed-logs/", views.tutor_logs, name="tutor_logs"),
    path("release-time/", views.release_time, name="release_time"),
    path("release-time.csv", views.release_time_csv, name="release_time_csv"),
    path("participants/<int:enrolment_id>/", views.timeline, name="timeline"),
    path("participants/<int:enrolment_id>/summary/", views.summary, name="summary"),
    path("participants/<int:enrolment_id>/action-steps/", views.action_steps, name="action_steps"),
    path("participants/<int:enrolment_id>/logs/new/", views.log_create, name="log_create"),
    path("participants/<int:enrolment_id>/diagnosis/", views.diagnosis, name="diagnosis"),
    path("participants/<int:enrolment_id>/diagnosis/edit/", views.diagnosis_edit, name="diagnosis_edit"),
    path("participants/<int:enrolment_id>/diagnosis/respond/", views.diagnosis_respond, name="diagnosis_respond"),
    path(
        "participants/<int:enrolment_id>/diagnosis/evidence/new/",
        views.diagnosis_evidence_add,
        name="diagnosis_evidence_add",
    ),
    path("diagnosis-evidence/<int:pk>/", views.diagnosis_evidence_download, name="diagnosis_evidence_download"),
    path("participants/<int:enrolment_id>/learning-plan/goals/new/", views.goal_add, name="goal_add"),
    path("participants/<int:enrolment_id>/learning-plan/review/", views.plan_review, name="plan_review"),
    path("participants/<int:enrolment_id>/opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/<int:pk>/learning/", views.opportunity_learning, name="opportunity_learning"),
    path("logs/<int:pk>/", views.log_detail, name="log_detail"),
    path("logs/<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("logs/<int:pk>/send/", views.log_send, name="log_send"),
    path("logs/<int:pk>/respond/", views.log_respond, name="log_respond"),
    path("logs/<int:pk>/new-version/", views.log_new_version, name="log_new_version"),
    path("logs/<int:pk>/versions/", views.log_versions, name="log_versions"),
    path("logs/<int:pk>/versions/<int:number>/", views.log_version_detail, name="log_version_detail"),
    path("logs/<int:pk>/action-steps/new/", views.action_step_create, name="action_step_create"),
    path("logs/<int:pk>/private-note/", views.private_note, name="private_note"),
    path("action-steps/<int:pk>/close/", views.action_step_close, name="action_step_close"),
]
