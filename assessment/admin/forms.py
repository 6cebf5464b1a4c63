"""Forms for the assessment screens. They check what one field can; the rules of a whole rubric,
task or extension are checked by assessment.services, whose errors go beside the field they name."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import WagtailAdminModelFormMetaclass

from assessment.models import AssessmentTask, Extension, Rubric
from assessment.models.rubrics import UK_BANDS
from assessment.rules.rubrics import BandContent, CriterionContent, RubricContent
from assessment.rules.tasks import DATE_ORDER, TaskDates, check_dates
from assessment.selectors.rubrics import current_rubrics
from assessment.services.tasks import TaskContent
from programme.models import Enrolment, ProgrammeSettings
from ui.limits import NOTE_MAX, SHORT_TEXT_MAX

# A rubric is edited on one page: a row per band and a section per criterion, with a descriptor
# per band in each. Empty rows and sections are left out when it is saved.
BAND_SLOTS = 6
CRITERION_SLOTS = 10


def band_field(i: int, part: str) -> str:
    return f"band_{i}_{part}"


def criterion_field(j: int, part: str) -> str:
    return f"criterion_{j}_{part}"


def descriptor_field(j: int, i: int) -> str:
    return f"criterion_{j}_descriptor_{i}"


def _declared_fields() -> dict:
    fields = {}
    for i in range(BAND_SLOTS):
        fields[band_field(i, "name")] = forms.CharField(label=f"Band {i + 1}: name", max_length=60, required=False)
        fields[band_field(i, "min_mark")] = forms.IntegerField(
            label=f"Band {i + 1}: lowest mark", min_value=0, max_value=100, required=False
        )
        fields[band_field(i, "is_pass")] = forms.BooleanField(label=f"Band {i + 1}: a pass", required=False)
    for j in range(CRITERION_SLOTS):
        n = j + 1
        fields[criterion_field(j, "title")] = forms.CharField(
            label=f"Criterion {n}: title", max_length=200, required=False
        )
        fields[criterion_field(j, "guidance")] = forms.CharField(
            label=f"Criterion {n}: guidance for markers",
            max_length=NOTE_MAX,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        fields[criterion_field(j, "weight")] = forms.IntegerField(
            label=f"Criterion {n}: weight", min_value=1, max_value=100, required=False, initial=1
        )
        for i in range(BAND_SLOTS):
            fields[descriptor_field(j, i)] = forms.CharField(
                label=f"Criterion {n}: band {i + 1}",
                max_length=SHORT_TEXT_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
    return fields


class _RubricFormBase(WagtailAdminModelForm):
    """Saved only through assessment.services.rubrics: in place while unused, as a new version once in use."""

    class Meta:
        model = Rubric
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            bands = list(self.instance.bands.all())
            criteria = list(self.instance.criteria.prefetch_related("descriptors"))
        else:
            bands = [GradeBandRow(name, min_mark, is_pass) for name, min_mark, is_pass in UK_BANDS]
            criteria = []
        for i, band in enumerate(bands[:BAND_SLOTS]):
            self.initial.setdefault(band_field(i, "name"), band.name)
            self.initial.setdefault(band_field(i, "min_mark"), band.min_mark)
            self.initial.setdefault(band_field(i, "is_pass"), band.is_pass)
            for j in range(CRITERION_SLOTS):
                self.fields[descriptor_field(j, i)].label = f"Criterion {j + 1}: what {band.name} work shows"
        slot_of = {band.pk: i for i, band in enumerate(bands) if getattr(band, "pk", None)}
        for j, criterion in enumerate(criteria[:CRITERION_SLOTS]):
            self.initial.setdefault(criterion_field(j, "title"), criterion.title)
            self.initial.setdefault(criterion_field(j, "guidance"), criterion.guidance)
            self.initial.setdefault(criterion_field(j, "weight"), criterion.weight)
            for descriptor in criterion.descriptors.all():
                if descriptor.band_id in slot_of:
                    self.initial.setdefault(descriptor_field(j, slot_of[descriptor.band_id]), descriptor.text)

    def clean(self):
        data = super().clean()
        for i in range(BAND_SLOTS):
            name, mark = data.get(band_field(i, "name")), data.get(band_field(i, "min_mark"))
            if name and mark is None and band_field(i, "min_mark") not in self.errors:
                self.add_error(band_field(i, "min_mark"), f"Enter the lowest mark of {name}.")
            if not name and mark is not None:
                self.add_error(band_field(i, "name"), "Name this band, or clear its lowest mark.")
        for j in range(CRITERION_SLOTS):
            written = [data.get(descriptor_field(j, i)) for i in range(BAND_SLOTS)]
            if not data.get(criterion_field(j, "title")) and (data.get(criterion_field(j, "guidance")) or any(written)):
                self.add_error(
                    criterion_field(j, "title"), "Give this criterion a title, or clear what is written for it."
                )
            for i in range(BAND_SLOTS):
                if data.get(descriptor_field(j, i)) and not data.get(band_field(i, "name")):
                    self.add_error(
                        descriptor_field(j, i), f"There is no band {i + 1} to describe. Name it, or clear this."
                    )
        return data

    def content(self) -> RubricContent:
        data = self.cleaned_data
        bands = {
            i: BandContent(data[band_field(i, "name")], data[band_field(i, "min_mark")], data[band_field(i, "is_pass")])
            for i in range(BAND_SLOTS)
            if data.get(band_field(i, "name"))
        }
        criteria = [
            CriterionContent(
                title=data[criterion_field(j, "title")],
                guidance=data.get(criterion_field(j, "guidance")) or "",
                weight=data.get(criterion_field(j, "weight")) or 1,
                descriptors={band.name: data.get(descriptor_field(j, i)) or "" for i, band in bands.items()},
            )
            for j in range(CRITERION_SLOTS)
            if data.get(criterion_field(j, "title"))
        ]
        return RubricContent(name=data["name"], bands=list(bands.values()), criteria=criteria)


class GradeBandRow:
    """The default bands offered on a new rubric, shaped like a saved band."""

    def __init__(self, name, min_mark, is_pass):
        self.name, self.min_mark, self.is_pass, self.pk = name, min_mark, is_pass, None


RubricForm = WagtailAdminModelFormMetaclass("RubricForm", (_RubricFormBase,), _declared_fields())


class AssessmentTaskForm(WagtailAdminModelForm):
    """Saved only through assessment.services.tasks, which checks the dates and the marking rule."""

    class Meta:
        model = AssessmentTask
        fields = [
            "cohort",
            "phase",
            "title",
            "kind",
            "brief",
            "content_areas",
            "credits",
            "word_limit",
            "opens_on",
            "due_on",
            "late_cutoff_on",
            "marks_due_on",
            "release_on",
            "rubric",
            "second_marking",
            "sample_percent",
            "sample_min",
            "sample_max",
            "sample_sqrt",
            "include_fails",
            "include_borderline",
            "include_distinctions",
            "borderline_from",
            "borderline_to",
            "blind_second_marking",
            "reconcile_threshold",
            "resubmission_cap",
            "resubmission_weeks",
        ]
        widgets = {
            "content_areas": forms.CheckboxSelectMultiple,
            "brief": forms.Textarea(attrs={"rows": 6}),
            "kind": forms.RadioSelect,
            "second_marking": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest version of each rubric; a task keeps a replaced version it already has.
        rubrics = current_rubrics()
        if self.instance.pk and self.instance.rubric_id:
            rubrics = rubrics | Rubric.objects.filter(pk=self.instance.rubric_id)
        self.fields["rubric"].queryset = rubrics.distinct()
        if not self.instance.pk:  # a new task's cap starts at the programme's pass mark
            self.initial.setdefault("resubmission_cap", ProgrammeSettings.load().pass_mark)
        self.fields["rubric"].help_text = "Only the latest version of each rubric is offered for a new choice."
        self.fields[
            "brief"
        ].help_text = "What participants are asked to do. Plain paragraphs; a blank line starts a new one."

    def clean(self):
        # The dates' rule runs here too, so dates out of order show with any other field's error at once.
        data = super().clean()
        dates = TaskDates(*(data.get(name) for name, _ in DATE_ORDER))
        for broken in check_dates(dates):
            for name, texts in broken.errors.items():
                if name not in self.errors:
                    for text in texts:
                        self.add_error(name, text)
        return data

    def content(self) -> TaskContent:
        data = dict(self.cleaned_data)
        data["content_areas"] = list(data.get("content_areas") or [])
        return TaskContent(**data)


class ExtensionForm(WagtailAdminModelForm):
    """Saved only through assessment.services.extensions, which checks the date and the cohort."""

    class Meta:
        model = Extension
        fields = ["enrolment", "task", "due_on", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enrolments = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).select_related("participant", "cohort")
        task_id = self.initial.get("task") if not self.is_bound else None
        if task_id and (task := AssessmentTask.objects.filter(pk=task_id).first()):
            enrolments = enrolments.filter(cohort_id=task.cohort_id)
        self.fields["enrolment"].queryset = enrolments.order_by("participant__last_name", "participant__first_name")
        self.fields["enrolment"].label_from_instance = lambda e: (
            f"{e.participant.get_full_name() or e.participant.email} ({e.participant.email}), {e.cohort}"
        )
        self.fields["task"].queryset = AssessmentTask.objects.select_related("cohort", "phase")
        self.fields["task"].label_from_instance = lambda t: (
            f"{t.title}, {t.cohort}, phase {t.phase.number}, due {t.due_on:%d/%m/%Y}"
        )
        self.fields["due_on"].help_text = "A date after the task's due date."
        self.fields["reason"].help_text = "Kept with the extension and in the audit trail."
        if self.instance.pk:
            # An extension belongs to one participant and task; only its date and reason change.
            for name in ("enrolment", "task"):
                self.fields[name].disabled = True

    def validate_unique(self):
        # Granting a participant an extension they already have moves its date (the service does).
        pass
