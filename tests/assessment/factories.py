"""Rubrics, assessment tasks and extensions, for the assessment tests.

`RubricFactory()` gives a rubric with the UK bands (Distinction 70, Merit 60, Pass 50, Fail 0) and
two criteria, each with a descriptor per band. Task dates default to a fixed calendar (below), so
no test depends on today's date."""

import datetime

import factory

from accounts.roles import Role
from assessment.models import AssessmentTask, Criterion, Descriptor, Extension, GradeBand, Rubric
from assessment.models.rubrics import UK_BANDS
from programme.models import Phase
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

OPENS_ON = datetime.date(2025, 10, 1)
DUE_ON = datetime.date(2025, 11, 14)
LATE_CUTOFF_ON = datetime.date(2025, 11, 21)
MARKS_DUE_ON = datetime.date(2025, 12, 12)


class RubricFactory(factory.django.DjangoModelFactory):
    """A rubric with the UK bands and `criteria` criteria (default two), a descriptor for each band.
    Pass `criteria=0` or `bands=False` for a bare rubric."""

    class Meta:
        model = Rubric
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Rubric {n}")
    version = 1

    @factory.post_generation
    def bands(self, create, extracted, **kwargs):
        if extracted is False:
            return
        for order, (name, min_mark, is_pass) in enumerate(UK_BANDS):
            GradeBand.objects.create(rubric=self, name=name, min_mark=min_mark, is_pass=is_pass, sort_order=order)

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        count = 2 if extracted is None else extracted
        titles = ["Knowledge and critical awareness", "Reflection", "Communication", "Enquiry methodology"]
        bands = list(self.bands.all())
        for order in range(count):
            title = titles[order] if order < len(titles) else f"Criterion {order + 1}"
            criterion = Criterion.objects.create(rubric=self, title=title, sort_order=order)
            for band in bands:
                Descriptor.objects.create(criterion=criterion, band=band, text=f"{title} at {band.name} level.")


class AssessmentTaskFactory(factory.django.DjangoModelFactory):
    """A core task in phase 1, open 1 Oct, due 14 Nov, late until 21 Nov, marks back 12 Dec 2025."""

    class Meta:
        model = AssessmentTask
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    phase = factory.LazyFunction(lambda: Phase.objects.get(number=1))
    title = factory.Sequence(lambda n: f"Assignment {n}")
    brief = "<p>Write about a change in your practice and what it did for your pupils.</p>"
    kind = AssessmentTask.Kind.CORE
    credits = 30
    word_limit = 4000
    opens_on = OPENS_ON
    due_on = DUE_ON
    late_cutoff_on = LATE_CUTOFF_ON
    marks_due_on = MARKS_DUE_ON
    rubric = factory.SubFactory(RubricFactory)

    @factory.post_generation
    def content_areas(self, create, extracted, **kwargs):
        if extracted:
            self.content_areas.set(extracted)


class ExtensionFactory(factory.django.DjangoModelFactory):
    """A week past the task's due date, for an enrolment in the task's cohort."""

    class Meta:
        model = Extension

    task = factory.SubFactory(AssessmentTaskFactory)
    enrolment = factory.SubFactory(EnrolmentFactory, cohort=factory.SelfAttribute("..task.cohort"))
    due_on = factory.LazyAttribute(lambda o: o.task.due_on + datetime.timedelta(days=7))
    reason = "Illness during the final fortnight, with a note from the GP."
    granted_by = factory.SubFactory(UserFactory, roles=[Role.PROGRAMME_LEADER])
