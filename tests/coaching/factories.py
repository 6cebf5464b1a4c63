"""Coaching records and the people around one participant, for the coaching tests."""

import datetime
from dataclasses import dataclass

import factory

from accounts.models import User
from accounts.roles import Role
from coaching.models import (
    ActionStep,
    AgreementStatus,
    DialogueLog,
    DialogueLogVersion,
    PrivateNote,
    SessionKind,
    SessionSetting,
)
from coaching.services.release_time import release_time_recount
from programme.models import ContentArea, Enrolment, School, Standard, Topic
from tests.factories import EnrolmentFactory, SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff

SESSION_DAY = datetime.date(2025, 10, 1)


class DialogueLogFactory(factory.django.DjangoModelFactory):
    """A log as the services would leave it. Pass status=AGREED for an agreed one (see `agreed_log`)."""

    class Meta:
        model = DialogueLog
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)
    coach = factory.SubFactory(UserFactory, roles=[Role.COACH])
    session_on = SESSION_DAY
    duration_minutes = 45
    kind = SessionKind.LESSON_OBSERVATION
    setting = SessionSetting.OWN_SCHOOL
    focus = "Questioning in Year 9 science"
    discussed = "<p>We watched the starter and talked about wait time.</p>"
    strengths = "<p>Clear routines.</p>"
    pupil_outcomes = "<p>More pupils answered in full sentences.</p>"
    evidence_considered = "<p>Exit tickets from two lessons.</p>"
    status = AgreementStatus.DRAFT

    @factory.post_generation
    def content_areas(self, create, extracted, **kwargs):
        areas = extracted if extracted is not None else [ContentArea.objects.get(number=1)]
        self.content_areas.set(areas)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        if extracted:
            self.standards.set(extracted)


def agreed_log(**kwargs) -> DialogueLog:
    """A log both have agreed, with its first version recorded."""
    log = DialogueLogFactory(
        status=AgreementStatus.AGREED,
        participant_reflection=kwargs.pop("participant_reflection", "I will plan my questions in advance."),
        agreed_version=1,
        **kwargs,
    )
    DialogueLogVersion.objects.create(
        log=log,
        number=1,
        **log.record_values(),
        tags={"content_areas": [{"id": a.pk, "label": str(a)} for a in log.content_areas.all()]},
        created_by=log.enrolment.participant,
        reason="Agreed by the coach and the participant.",
    )
    release_time_recount(enrolment_ids=[log.enrolment_id])  # as log_agree does
    return log


def action_step(log: DialogueLog, **kwargs) -> ActionStep:
    defaults = {
        "owner": log.enrolment.participant,
        "description": "Plan three hinge questions for Thursday",
        "due_on": log.session_on + datetime.timedelta(days=14),
    }
    return ActionStep.objects.create(log=log, enrolment=log.enrolment, **{**defaults, **kwargs})


def private_note(log: DialogueLog, text: str = "Seemed tired; check workload.") -> PrivateNote:
    return PrivateNote.objects.create(log=log, author=log.coach, text=text)


@dataclass
class World:
    """One participant with everyone around them, and people from another school."""

    school: School
    enrolment: Enrolment
    participant: User
    coach: User
    tutor: User
    head: User
    leader: User
    examiner: User
    other_school: School
    stranger_coach: User
    other_head: User
    other_tutor: User
    other_participant: User

    def person(self, role_name: str) -> User:
        return getattr(self, role_name)

    @property
    def area(self) -> ContentArea:
        return ContentArea.objects.get(number=1)

    @property
    def topic(self) -> Topic:
        return Topic.objects.filter(content_area__number=3).first()

    @property
    def standard(self) -> Standard:
        return Standard.objects.first()


def coaching_world() -> World:
    school, other_school = SchoolFactory(), SchoolFactory()
    coach = staff(Role.COACH, school)
    head = staff(Role.HEAD, school)
    enrolment = enrol(school)
    assign_coach(enrolment, coach)
    tutor = UserFactory(roles=[Role.TUTOR])
    assign_tutor(enrolment, tutor)
    stranger_coach = staff(Role.COACH, other_school)
    other_head = staff(Role.HEAD, other_school)
    other_tutor = UserFactory(roles=[Role.TUTOR])
    other = enrol(other_school)
    assign_coach(other, stranger_coach)
    assign_tutor(other, other_tutor)
    return World(
        school=school,
        enrolment=enrolment,
        participant=enrolment.participant,
        coach=coach,
        tutor=tutor,
        head=head,
        leader=UserFactory(roles=[Role.PROGRAMME_LEADER]),
        examiner=UserFactory(roles=[Role.EXTERNAL_EXAMINER]),
        other_school=other_school,
        stranger_coach=stranger_coach,
        other_head=other_head,
        other_tutor=other_tutor,
        other_participant=other.participant,
    )


def log_form_data(**overrides) -> dict:
    """What a coach types into the session form, as posted."""
    data = {
        "version": "",
        "session_on": SESSION_DAY.isoformat(),
        "duration_minutes": "45",
        "kind": SessionKind.LESSON_OBSERVATION.value,
        "setting": SessionSetting.OWN_SCHOOL.value,
        "focus": "Questioning in Year 9 science",
        "content_areas": [str(ContentArea.objects.get(number=1).pk)],
        "discussed": "We watched the starter.\n\nWe talked about wait time.",
        "strengths": "Clear routines.",
        "pupil_outcomes": "More pupils answered in full sentences.",
        "evidence_considered": "Exit tickets.",
        "next_session_on": (SESSION_DAY + datetime.timedelta(days=14)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
