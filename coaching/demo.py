"""Coaching histories for the demo, made through the coaching services as coaches and participants
would make them, so each role signing in sees a believable, lived-in record.

Every demo participant placed at the demo school (the first of programme.demo.SCHOOLS) gets one,
among the first DEFAULT_PARTICIPANTS: an initial diagnosis with its learning plan (revisited at the
start of each later phase), a session every few weeks in several states, action steps open,
overdue, done and dropped, and learning opportunities past and to come. Participants beyond those
(bench/seed_demo.sh loads thousands) exist to make lists long, so the seed stays fast.

Safe to run again: a participant who already has a diagnosis or a log is left alone.
"""

from __future__ import annotations

import datetime

from accounts.models import User
from coaching import services
from coaching.demo_stories import (
    CHANGE_REQUEST,
    DIAGNOSIS_INDUCTION,
    DIAGNOSIS_PERFORMANCE,
    DIAGNOSIS_SUMMARY,
    DROPPED_NOTE,
    ENQUIRIES,
    GOAL_FIRST,
    GOAL_NEW,
    GOAL_SECOND,
    NEED_FIRST,
    NEED_SECOND,
    OPPORTUNITY_LEARNED,
    OPPORTUNITY_NEXT,
    OPPORTUNITY_PAST,
    REVIEW_NOTE,
    STAGES,
    Enquiry,
    Stage,
)
from coaching.models import ActionStep, DialogueLog, InitialDiagnosis, LearningGoal, LearningOpportunity
from programme.demo import DEFAULT_PARTICIPANTS, SCHOOLS, participant_email
from programme.models import CoachAssignment, ContentArea, Enrolment, Phase, SchoolPlacement, Standard

DEMO_SCHOOL_URN = SCHOOLS[0].urn
SESSIONS_BY_PHASE = {1: 3, 2: 4, 3: 5}
_DAY = datetime.timedelta(days=1)


def demo_school_enrolments(today: datetime.date) -> list[Enrolment]:
    """The demo participants at the demo school today, in participant order, one enquiry each."""
    emails = [participant_email(n) for n in range(1, DEFAULT_PARTICIPANTS + 1)]
    placed = SchoolPlacement.objects.covering(today).filter(school__urn=DEMO_SCHOOL_URN).values("enrolment")
    enrolments = (
        Enrolment.objects.filter(pk__in=placed, participant__email__in=emails)
        .select_related("participant", "current_phase")
        .order_by("participant__email")
    )
    # participant@ sorts before participant.0002@: the fixed demo login takes the first enquiry.
    return sorted(enrolments, key=lambda e: (e.participant.email != participant_email(1), e.participant.email))[
        : len(ENQUIRIES)
    ]


def seed_coaching(*, today: datetime.date) -> int:
    """Give each demo-school participant without coaching records a history. Returns how many."""
    enrolments = demo_school_enrolments(today)
    started = set(DialogueLog.objects.filter(enrolment__in=enrolments).values_list("enrolment_id", flat=True))
    started |= set(InitialDiagnosis.objects.filter(enrolment__in=enrolments).values_list("enrolment_id", flat=True))
    tags = _Tags()
    made = 0
    for story, enrolment in enumerate(enrolments):
        if enrolment.pk in started:
            continue
        _History(enrolment, ENQUIRIES[story], story=story, today=today, tags=tags).make()
        made += 1
    return made


def seed_history(enrolment: Enrolment, *, today: datetime.date, spare: int = 0) -> None:
    """A coaching history for one participant away from the demo school, so that work they submit
    has agreed logs to cite. The demo school tells the first stories; this one tells the last but
    `spare` (so two such participants do not share one)."""
    if DialogueLog.objects.filter(enrolment=enrolment).exists():
        return
    story = len(ENQUIRIES) - 1 - spare
    _History(enrolment, ENQUIRIES[story], story=story, today=today, tags=_Tags()).make()


class _Tags:
    """Content areas by number and standards by code, read once."""

    def __init__(self):
        self.areas = dict(ContentArea.objects.values_list("number", "pk"))
        self.standards = dict(Standard.objects.values_list("code", "pk"))
        self.phases = {p.number: p for p in Phase.objects.all()}


class _History:
    """One participant's coaching, from the initial diagnosis to today."""

    def __init__(self, enrolment: Enrolment, enquiry: Enquiry, *, story: int, today: datetime.date, tags: _Tags):
        self.enrolment = enrolment
        self.participant = enrolment.participant
        self.enquiry = enquiry
        self.words = vars(enquiry)
        self.story = story
        self.today = today
        self.tags = tags
        # Only the current coach's time: a participant who moved school starts afresh at the new one.
        assignment = CoachAssignment.objects.covering(today).filter(enrolment=enrolment).get()
        self.coach: User = assignment.coach
        self.start = max(enrolment.programme_started_on, assignment.starts_on)

    def text(self, template: str, **extra) -> str:
        filled = template.format(**self.words, **extra)
        return filled[:1].upper() + filled[1:]

    def make(self) -> None:
        held_on = min(self.start + 10 * _DAY, self.today)
        diagnosis = self.diagnosis(held_on)
        dates = self.session_dates(held_on)
        logs = self.sessions(dates)
        if diagnosis.status == "agreed":
            self.reviews(diagnosis, dates)
        self.opportunities(logs)

    # --- The initial diagnosis and its learning plan.

    def diagnosis(self, held_on: datetime.date) -> InitialDiagnosis:
        first, second = self.enquiry.areas
        a, b = (self.tags.standards[c] for c in self.enquiry.standards)
        diagnosis = services.diagnosis_save(
            enrolment=self.enrolment,
            coach=self.coach,
            content=services.DiagnosisContent(
                held_on=held_on,
                induction_outcomes=self.text(DIAGNOSIS_INDUCTION),
                performance_management_outcomes=self.text(DIAGNOSIS_PERFORMANCE),
                summary=self.text(DIAGNOSIS_SUMMARY),
                needs=(
                    services.NeedInput(self.tags.areas[first], self.text(NEED_FIRST), (a,)),
                    services.NeedInput(self.tags.areas[second], self.text(NEED_SECOND), (b,)),
                ),
            ),
            version=None,
            send_for_agreement=True,
            today=self.today,
        )
        plan = diagnosis.learning_plan
        deadline = held_on + datetime.timedelta(days=540)
        for area, template, days in ((first, GOAL_FIRST, 240), (second, GOAL_SECOND, 420)):
            services.learning_goal_add(
                plan=plan,
                by=self.coach,
                goal=services.GoalInput(
                    self.tags.areas[area], self.text(template), min(held_on + days * _DAY, deadline)
                ),
            )
        # A phase 1 participant in every third story has not agreed it yet: it waits for them.
        if self.enrolment.current_phase.number == 1 and self.story % 3 == 1:
            return diagnosis
        diagnosis.refresh_from_db()
        return services.diagnosis_agree(diagnosis=diagnosis, by=self.participant, version=diagnosis.version)

    def reviews(self, diagnosis: InitialDiagnosis, dates: list[datetime.date]) -> None:
        """The plan revisited at the start of each phase after the first."""
        phase_now = self.enrolment.current_phase.number
        if phase_now < 2 or not dates:
            return
        plan = diagnosis.learning_plan
        for number in range(2, phase_now + 1):
            # Phases are spread over the participant's sessions; each review comes early in its share.
            reviewed_on = dates[min(len(dates) - 1, (number - 1) * len(dates) // phase_now)]
            goals = list(plan.goals.order_by("pk"))
            statuses = {goals[0].pk: LearningGoal.Status.MET} if number == 2 else {}
            new = ()
            if number == 2:
                new = (
                    services.GoalInput(
                        self.tags.areas[self.enquiry.areas[0]],
                        self.text(GOAL_NEW),
                        reviewed_on + 300 * _DAY,
                    ),
                )
            services.learning_plan_review(
                plan=plan,
                by=self.coach,
                phase=self.tags.phases[number],
                reviewed_on=reviewed_on,
                note=self.text(REVIEW_NOTE, phase=number),
                goal_statuses=statuses,
                new_goals=new,
                today=self.today,
            )

    # --- Sessions.

    def session_dates(self, held_on: datetime.date) -> list[datetime.date]:
        """A session every few weeks (at most four) after the diagnosis, the last a few days ago: so
        the session before it, agreed, is recent, as a coach who meets their participant monthly
        would have it."""
        first = held_on + 14 * _DAY
        last = self.today - (2 + self.story % 4) * _DAY
        wanted = SESSIONS_BY_PHASE[self.enrolment.current_phase.number]
        count = min(wanted, max(0, (last - first).days // 14 + 1))
        if count <= 0:
            return []
        if count == 1:
            return [last]
        gap = min((last - first).days // (count - 1), 28)
        return [last - gap * (count - 1 - n) * _DAY for n in range(count)]

    def sessions(self, dates: list[datetime.date]) -> list[DialogueLog]:
        logs: list[DialogueLog] = []
        previous_steps: list[tuple[ActionStep, str]] = []
        for n, session_on in enumerate(dates):
            last = n == len(dates) - 1
            stage = STAGES[n]
            next_on = self.next_session(session_on) if last else None
            log = self.log(stage, session_on, next_on)
            steps = self.steps(log, stage, session_on)
            # The end of the story varies: waiting for the participant, a draft the coach has not
            # sent, a change the participant asked for, or agreed.
            ending = self.story % 4 if last else 3
            if ending == 1:
                log_state = "draft"
            else:
                log.refresh_from_db()
                log = services.log_send_for_agreement(log=log, by=self.coach, version=log.version)
                if ending == 2:
                    log = services.log_request_change(
                        log=log, by=self.participant, version=log.version, comment=self.text(CHANGE_REQUEST)
                    )
                elif ending == 3:
                    log = services.log_agree(
                        log=log, by=self.participant, version=log.version, reflection=self.text(stage.reflection)
                    )
                log_state = ending
            # The steps of the session before are reviewed at this one once its record is sent
            # (agreed, or waiting for the participant); a draft leaves them open, overdue in some
            # stories. The last agreed session's steps stay open.
            if log_state in (0, 3):
                self.review_steps(previous_steps, dropped=n == 1 and self.story % 2 == 0)
            if log_state == 3:
                previous_steps = steps
            logs.append(log)
        return logs

    def next_session(self, session_on: datetime.date) -> datetime.date | None:
        """Two stories in three have their next session arranged within the week."""
        if self.story % 3 == 2:
            return None
        return max(session_on, self.today + (1 + self.story % 6) * _DAY)

    def log(self, stage: Stage, session_on: datetime.date, next_on: datetime.date | None) -> DialogueLog:
        first, second = self.enquiry.areas
        areas = (first,) if stage.kind == "lesson_observation" else (first, second)
        ahead = next_on is not None and next_on > self.today  # a planned session gets a time and length
        return services.log_draft_create(
            enrolment=self.enrolment,
            coach=self.coach,
            content=services.LogContent(
                session_on=session_on,
                duration_minutes=stage.minutes + 5 * (self.story % 3),
                kind=stage.kind,
                setting="partner_school" if stage.kind == "collaborative_learning" else "own_school",
                focus=self.text(stage.focus),
                discussed=self.text(stage.discussed),
                strengths=self.text(stage.strengths),
                pupil_outcomes=self.text(stage.pupil_outcomes),
                evidence_considered=self.text("{evidence}."),
                next_session_on=next_on,
                next_session_at=datetime.time(15, 30 + 15 * (self.story % 2)) if ahead else None,
                next_session_minutes=stage.minutes if ahead else None,
                content_area_ids=tuple(self.tags.areas[a] for a in areas),
                standard_ids=tuple(self.tags.standards[c] for c in self.enquiry.standards),
            ),
            today=self.today,
        )

    def steps(self, log: DialogueLog, stage: Stage, session_on: datetime.date) -> list[tuple[ActionStep, str]]:
        made = []
        for step in stage.steps:
            created = services.action_step_create(
                log=log,
                by=self.coach,
                owner=self.coach if step.by_coach else self.participant,
                description=self.text(step.description),
                due_on=session_on + (step.days + self.story % 5) * _DAY,
                success_criteria=self.text(step.success),
            )
            made.append((created, self.text(step.done)))
        return made

    def review_steps(self, steps: list[tuple[ActionStep, str]], *, dropped: bool) -> None:
        for n, (step, done) in enumerate(steps):
            if dropped and n == len(steps) - 1 and len(steps) > 1:
                services.action_step_close(
                    step=step, by=self.coach, status=ActionStep.Status.DROPPED, note=self.text(DROPPED_NOTE)
                )
            else:
                # In some stories the participant closes their own steps; the coach closes the rest.
                by = self.participant if step.owner_id == self.participant.pk and self.story % 2 else self.coach
                services.action_step_close(step=step, by=by, status=ActionStep.Status.DONE, note=done)

    # --- Learning opportunities.

    def opportunities(self, logs: list[DialogueLog]) -> None:
        agreed = [log for log in logs if log.is_agreed]
        if len(agreed) >= 2:
            happened = agreed[0].session_on + 7 * _DAY
            opportunity = services.learning_opportunity_arrange(
                enrolment=self.enrolment,
                coach=self.coach,
                kind=LearningOpportunity.Kind.OTHER_SCHOOL,
                description=self.text(OPPORTUNITY_PAST),
                happens_on=happened,
            )
            services.learning_opportunity_record_learning(
                opportunity=opportunity,
                by=self.coach,
                what_was_learned=self.text(OPPORTUNITY_LEARNED),
                log=agreed[1],
                today=self.today,
            )
        if self.story % 2 == 0:
            services.learning_opportunity_arrange(
                enrolment=self.enrolment,
                coach=self.coach,
                kind=LearningOpportunity.Kind.WIDER_WORKFORCE,
                description=self.text(OPPORTUNITY_NEXT),
                happens_on=self.today + (12 + self.story) * _DAY,
            )
