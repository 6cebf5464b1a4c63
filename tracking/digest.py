"""The weekly digest emailed to each head (their school's participants) and each programme leader
(every participant): last week's agreed coaching sessions, submissions and released results, as
counts, and who is at risk today with every reason (tracking.risks), as names and reasons.

It reads what the dashboards read, through the same selectors and the same access policy
(`access.enrolments_for`, `access.readable_where`), so it says nothing the person's dashboard
would not: never what anyone wrote in a session, a step, the portfolio, submitted work or feedback.

Sent once per person per week: celery beat runs `digests_send` every Monday (tracking.tasks), which
queues one `digest_send` per person; each claims a coaching `SentReminder` row (kind WEEKLY_DIGEST,
unique on kind, person and the week's Monday) in the transaction that sends it, so running either
twice in a week sends nothing more. A person turns it off with their other emails (coaching's
email choices page, `ReminderPreference`)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from assessment.models import Submission
from assessment.rules.marks import Outcome
from assessment.selectors.marking import released_results
from coaching import reminders
from coaching.models import AgreementStatus, DialogueLog, ReminderKind, SentReminder
from programme import access
from programme.access import RecordKind, Relation
from tracking import selectors
from tracking.risks import Thresholds

KIND = ReminderKind.WEEKLY_DIGEST.value
# The at-risk list in the email stops at this many names; the rest are a link away.
LISTED_AT_RISK = 50


@dataclass(frozen=True)
class Week:
    """Monday to Sunday, both days included."""

    starts_on: datetime.date

    @property
    def ends_on(self) -> datetime.date:
        return self.starts_on + datetime.timedelta(days=6)

    @classmethod
    def before(cls, today: datetime.date) -> "Week":
        """The last whole week before `today`'s: what a digest sent today reports."""
        return cls(today - datetime.timedelta(days=today.weekday() + 7))

    def __str__(self) -> str:
        start, end = self.starts_on, self.ends_on
        first = f"{start.day} {start:%B}" + ("" if start.year == end.year else f" {start.year}")
        return f"{first} to {end.day} {end:%B %Y}"


@dataclass(frozen=True)
class AtRisk:
    name: str
    school: str
    reasons: list[str]


@dataclass
class Digest:
    person: User
    relation: Relation
    week: Week
    sessions: int = 0
    participants_coached: int = 0
    submissions: int = 0
    released: dict[str, int] = field(default_factory=dict)  # outcome label -> count
    at_risk_count: int = 0
    at_risk: list[AtRisk] = field(default_factory=list)

    @property
    def results(self) -> int:
        return sum(self.released.values())

    @property
    def more_at_risk(self) -> int:
        return self.at_risk_count - len(self.at_risk)


def relation_of(person: User) -> Relation | None:
    """Whose digest a person gets: every participant's if they are a programme leader, otherwise
    their school's if they are a head; nothing for anyone else."""
    held = access.held_relations(person)
    for relation in (Relation.PROGRAMME_LEADER, Relation.HEAD):
        if relation in held:
            return relation
    return None


def recipients() -> list[int]:
    """The ids of everyone a digest may go to: active heads and programme leaders."""
    people = User.objects.filter(is_active=True, role_grants__role__in=[Role.HEAD, Role.PROGRAMME_LEADER])
    return sorted(set(people.values_list("pk", flat=True)))


def digest_for(person: User, relation: Relation, week: Week, today: datetime.date) -> Digest:
    """What the digest says, from the participants the person tracks today in `relation`: a fixed
    number of queries however many participants or records there are."""
    enrolments = access.enrolments_for(person, relation, today).order_by().values("pk")
    in_week = (week.starts_on, week.ends_on)
    logs = DialogueLog.objects.filter(
        access.readable_where(person, RecordKind.DIALOGUE_LOG_AGREED, enrolment="enrolment", on="session_on"),
        enrolment__in=enrolments,
        status=AgreementStatus.AGREED,
        session_on__range=in_week,
    ).aggregate(sessions=Count("pk"), participants=Count("enrolment", distinct=True))
    submissions = Submission.objects.filter(
        access.readable_where(person, RecordKind.SUBMISSION, enrolment="enrolment", on="dated_on"),
        enrolment__in=enrolments,
        state=Submission.State.SUBMITTED,
        submitted_at__date__range=in_week,
    ).count()
    outcomes = (
        released_results()
        .filter(
            access.readable_where(
                person, RecordKind.MARKS_RELEASED, enrolment="submission__enrolment", on="submission__dated_on"
            ),
            submission__enrolment__in=enrolments,
            released_at__date__range=in_week,
        )
        .order_by()
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    counted = {row["outcome"]: row["n"] for row in outcomes}
    released = {label: counted[value] for value, label in Outcome.choices if counted.get(value)}

    t = Thresholds.load(today)
    found = selectors.participants(
        person, relation, filters=selectors.Filters(at_risk=True), sort="name", descending=False, t=t
    )
    listed = [
        AtRisk(name=row.name, school=row.school, reasons=row.reasons)
        for row in selectors.iter_rows(person, found[:LISTED_AT_RISK], t)
    ]
    return Digest(
        person=person,
        relation=relation,
        week=week,
        sessions=logs["sessions"],
        participants_coached=logs["participants"],
        submissions=submissions,
        released=released,
        at_risk_count=found.count(),
        at_risk=listed,
    )


def _sent(person_id: int, week: Week) -> Q:
    return Q(kind=KIND, object_id=person_id, person_id=person_id, due_on=week.starts_on)


def digest_send(*, person_id: int, today: datetime.date | None = None) -> bool:
    """Email one head or programme leader last week's digest, once. False when nothing was sent:
    not a head or leader (any more), inactive, turned off, or already sent for that week."""
    today = today or timezone.localdate()
    week = Week.before(today)
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not reminders.wants(person, KIND):
        return False
    relation = relation_of(person)
    if relation is None or SentReminder.objects.filter(_sent(person_id, week)).exists():
        return False
    digest = digest_for(person, relation, week, today)
    home = "tracking:leader_home" if relation == Relation.PROGRAMME_LEADER else "tracking:head_home"
    base = reminders.portal_url(home)
    return reminders.send_once(
        kind=KIND,
        object_id=person.pk,  # one digest per person: the person is what it is about
        person=person,
        due_on=week.starts_on,
        subject=f"Your participants in the week of {week}",
        template="tracking/email/digest.txt",
        html_template="tracking/email/digest.html",
        context={"digest": digest, "url": base, "at_risk_url": f"{base}?at_risk=yes&sort=-risk"},
    )


def digests_send(*, today: datetime.date | None = None) -> list[int]:
    """Queue a digest for every head and programme leader (each sends once, see `digest_send`)."""
    from tracking import tasks

    today = today or timezone.localdate()
    people = recipients()
    for person_id in people:
        tasks.send_digest.delay(person_id, today.isoformat())
    return people
