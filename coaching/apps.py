"""Initial diagnosis, dialogue logs, action steps and learning opportunities."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from coaching import models as m
        from programme import access
        from programme.access import RecordKind as K

        log = (K.DIALOGUE_LOG_DRAFT, K.DIALOGUE_LOG_AGREED)
        diagnosis = (K.DIAGNOSIS_DRAFT, K.DIAGNOSIS_AGREED)
        # Each model whose rows belong to a participant, with how to find the participant and the
        # date the policy judges it on; a part of a record (a need, a goal) with its record's kinds.
        for model, kinds, enrolment, date in [
            (m.InitialDiagnosis, diagnosis, "enrolment", "held_on"),
            (m.DiagnosedNeed, diagnosis, "diagnosis__enrolment", "diagnosis__held_on"),
            (m.DiagnosisEvidence, diagnosis, "diagnosis__enrolment", "diagnosis__held_on"),
            (m.LearningPlan, diagnosis, "enrolment", "diagnosis__held_on"),
            (m.LearningGoal, diagnosis, "plan__enrolment", "plan__diagnosis__held_on"),
            (m.LearningPlanReview, diagnosis, "plan__enrolment", "plan__diagnosis__held_on"),
            (m.DialogueLog, log, "enrolment", "session_on"),
            (m.DialogueLogVersion, (K.DIALOGUE_LOG_AGREED,), "log__enrolment", "session_on"),
            (m.PlannedSession, log, "log__enrolment", "log__session_on"),
            (m.PrivateNote, (K.PRIVATE_NOTE,), "log__enrolment", "log__session_on"),
            (m.ActionStep, (K.ACTION_STEP_DRAFT, K.ACTION_STEP_AGREED), "enrolment", "log__session_on"),
            (
                m.LearningOpportunity,
                (K.LEARNING_OPPORTUNITY_ARRANGED, K.LEARNING_OPPORTUNITY_AGREED),
                "enrolment",
                "happens_on",
            ),
        ]:
            access.register(model, kinds=kinds, enrolment=enrolment, date=date)
        # Release time summed from agreed logs: dates and minutes only, so what a summary shows.
        access.register(m.CoachingTime, kinds=(K.DIALOGUE_LOG_AGREED,), enrolment="enrolment", date="first_on")

        from coaching.services.release_time import release_time_recount
        from programme import services as programme_services

        programme_services.on_placements_changed(release_time_recount)
