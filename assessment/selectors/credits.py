"""The credit ledger and where a participant stands against completing the programme: read for the
ledger page and the participant's home in a fixed number of queries, however many tasks, claims
and content areas there are."""

from dataclasses import dataclass, field, replace

from django.db.models import Expression, F, Func, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from assessment.models import AssessmentTask, PhaseCompletion, PriorLearningClaim
from assessment.rules.credits import prior_learning_left
from assessment.rules.marks import Outcome
from assessment.rules.progression import Standing, programme_standing
from portfolio.models import Evidence
from programme.models import ContentArea, Enrolment, Phase, ProgrammeSettings


def _passes(enrolment):
    """The released passes of one participant (`enrolment`: their enrolment's id, or an expression
    naming it in an outer query)."""
    from assessment.selectors.marking import released_results

    return released_results().filter(submission__enrolment_id=enrolment, outcome=Outcome.PASS)


def passes_of(enrolment_ids) -> QuerySet:
    """The released passes of these participants (`_passes` for many at once)."""
    from assessment.selectors.marking import released_results

    return released_results().filter(submission__enrolment_id__in=enrolment_ids, outcome=Outcome.PASS)


def passed_tasks(enrolment_id: int) -> QuerySet[AssessmentTask]:
    """The tasks this participant has passed: an outcome of pass, released to them. The one place
    that reads marking's results for credits and progression. A result is what the participant was
    told (`released_results`: the agreed mark where moderation agreed one), so first marks that an
    agreed fail replaced never count, and a pass on a resubmission counts once for its task."""
    return AssessmentTask.objects.filter(pk__in=_passes(enrolment_id).values("submission__task_id"))


def credits_so_far(enrolment: str = "pk") -> Expression:
    """A participant's credits so far, as the ledger counts them (`Ledger.credits`: the credits of
    the tasks they passed, by `passed_tasks`' definition, and of their approved prior learning), as
    an expression for a query of many enrolments (`enrolment` names the enrolment's id in it), so a
    table of participants sorts and pages by credits with two subqueries per row and no query more."""
    passed = AssessmentTask.objects.filter(pk__in=_passes(OuterRef(OuterRef(enrolment))).values("submission__task_id"))
    approved = PriorLearningClaim.objects.filter(
        enrolment_id=OuterRef(enrolment), status=PriorLearningClaim.Status.APPROVED
    )
    return Coalesce(Subquery(_sum_of_credits(passed)), 0) + Coalesce(Subquery(_sum_of_credits(approved)), 0)


def _sum_of_credits(rows: QuerySet) -> QuerySet:
    """SUM(credits) of these rows as a one-row subquery (an aggregate over the whole subquery, not
    grouped by anything)."""
    return rows.order_by().annotate(total=Func(F("credits"), function="SUM")).values("total")


@dataclass(frozen=True)
class PassedTask:
    pk: int
    title: str
    phase_number: int
    kind: str
    credits: int
    area_numbers: tuple[int, ...]


@dataclass
class Ledger:
    enrolment: Enrolment
    total_credits: int
    prior_learning_cap: int
    passed: list[PassedTask]
    claims: list[PriorLearningClaim]
    completions: list[PhaseCompletion]
    phases: list[Phase]
    areas: list[ContentArea]
    standing: Standing = field(init=False)

    def __post_init__(self) -> None:
        self.standing = programme_standing(
            phases_complete=[c.phase.number for c in self.completions],
            credits=self.credits,
            total_credits=self.total_credits,
            areas_covered={n for task in self.passed for n in task.area_numbers},
            area_numbers=[a.number for a in self.areas],
        )

    @property
    def passed_credits(self) -> int:
        return sum(task.credits for task in self.passed)

    @property
    def prior_learning_credits(self) -> int:
        return sum(c.credits for c in self.claims if c.status == PriorLearningClaim.Status.APPROVED)

    @property
    def prior_learning_waiting(self) -> int:
        return sum(c.credits for c in self.claims if c.status == PriorLearningClaim.Status.CLAIMED)

    @property
    def prior_learning_left(self) -> int:
        return prior_learning_left(counted=self.prior_learning_credits, cap=self.prior_learning_cap)

    @property
    def credits(self) -> int:
        return self.passed_credits + self.prior_learning_credits

    @property
    def phase_rows(self) -> list[tuple[Phase, PhaseCompletion | None]]:
        done = {c.phase_id: c for c in self.completions}
        return [(phase, done.get(phase.pk)) for phase in self.phases]

    @property
    def area_rows(self) -> list[tuple[ContentArea, bool]]:
        return [(area, area.number in self.standing.areas_covered) for area in self.areas]

    @property
    def credits_percent(self) -> int:
        return min(100, round(100 * self.credits / self.total_credits)) if self.total_credits else 100


def ledger(enrolment: Enrolment, *, settings: ProgrammeSettings | None = None) -> Ledger:
    """Six queries (five with `settings`, the provider's settings already read): settings, passed
    tasks with their areas (one row per task and area), claims, completions, phases and content areas."""
    settings = settings or ProgrammeSettings.load()
    # One row per task and content area (a task with none: one row, its area None), as values.
    rows = passed_tasks(enrolment.pk).values_list(
        "pk", "title", "phase__number", "kind", "credits", "content_areas__number"
    )
    passed: dict[int, PassedTask] = {}
    for pk, title, phase_number, kind, credits, area_number in rows.order_by("phase__number", "due_on", "pk"):
        task = passed.get(pk) or PassedTask(pk, title, phase_number, kind, credits, ())
        if area_number is not None:
            task = replace(task, area_numbers=tuple(sorted((*task.area_numbers, area_number))))
        passed[pk] = task
    claims = list(
        PriorLearningClaim.objects.filter(enrolment=enrolment).select_related("decided_by").order_by("claimed_on", "pk")
    )
    # By phase: the model's own order sorts by the enrolment's, which joins the participant to sort one row.
    completions = list(
        PhaseCompletion.objects.filter(enrolment=enrolment)
        .select_related("phase", "confirmed_by")
        .order_by("phase__number")
    )
    return Ledger(
        enrolment=enrolment,
        total_credits=settings.total_credits,
        prior_learning_cap=settings.max_prior_learning_credits,
        passed=list(passed.values()),
        claims=claims,
        completions=completions,
        phases=list(Phase.objects.order_by("number")),
        areas=list(ContentArea.objects.order_by("number")),
    )


def claim_detail(pk: int) -> PriorLearningClaim | None:
    evidence = Evidence.objects.order_by("-relates_to", "-pk")
    return (
        PriorLearningClaim.objects.select_related("enrolment__participant", "decided_by")
        .prefetch_related(Prefetch("study_evidence", queryset=evidence), Prefetch("impact_evidence", queryset=evidence))
        .filter(pk=pk)
        .first()
    )


def core_tasks(enrolment: Enrolment, phase: Phase) -> QuerySet[AssessmentTask]:
    """The core tasks set for the participant's cohort in a phase."""
    return AssessmentTask.objects.filter(
        cohort_id=enrolment.cohort_id, phase=phase, kind=AssessmentTask.Kind.CORE
    ).order_by("due_on", "pk")
