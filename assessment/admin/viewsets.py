"""The assessment screens as Wagtail viewsets under an "Assessment" menu. Every save goes through
assessment.services (assessment.admin.views)."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from assessment.admin import forms as admin_forms
from assessment.admin import views as admin_views
from assessment.admin.forms import BAND_SLOTS, CRITERION_SLOTS, band_field, criterion_field, descriptor_field
from assessment.models import AssessmentTask, Extension, Rubric


def _rubric_panels() -> list:
    bands = MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel(band_field(i, part)) for part in ("name", "min_mark", "is_pass")])
            for i in range(BAND_SLOTS)
        ],
        heading="Grade bands",
        help_text=(
            "Highest first. A mark belongs to the highest band whose lowest mark it reaches, so one band starts "
            "at 0. Leave a row empty for no band. The UK bands are offered on a new rubric."
        ),
    )
    criteria = [
        MultiFieldPanel(
            [
                FieldPanel(criterion_field(j, "title")),
                FieldPanel(criterion_field(j, "guidance")),
                FieldPanel(criterion_field(j, "weight")),
                *[FieldPanel(descriptor_field(j, i)) for i in range(BAND_SLOTS)],
            ],
            heading=f"Criterion {j + 1}",
            help_text="What work in each band shows against this criterion. Leave the title empty for no criterion."
            if j == 0
            else "",
        )
        for j in range(CRITERION_SLOTS)
    ]
    return [FieldPanel("name"), bands, *criteria]


class RubricViewSet(ModelViewSet):
    model = Rubric
    name = "assessment_rubrics"
    icon = "list-ul"
    menu_label = "Rubrics"
    copy_view_enabled = False
    add_view_class = admin_views.RubricCreateView
    edit_view_class = admin_views.RubricEditView
    list_display = ["name", "version", "created_at"]
    search_fields = ["name"]
    search_backend_name = None
    edit_handler = ObjectList(_rubric_panels(), base_form_class=admin_forms.RubricForm)


class AssessmentTaskViewSet(ModelViewSet):
    model = AssessmentTask
    name = "assessment_tasks"
    icon = "doc-full"
    menu_label = "Assessment tasks"
    copy_view_enabled = False
    index_view_class = admin_views.TaskIndexView
    delete_view_class = admin_views.TaskDeleteView
    add_view_class = admin_views.TaskCreateView
    edit_view_class = admin_views.TaskEditView
    list_display = ["title", "cohort", "phase", "kind", "due_on", Column("rubric", label="Rubric")]
    list_filter = ["cohort", "phase", "kind"]
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("cohort"),
            FieldPanel("phase"),
            FieldPanel("title"),
            FieldPanel("kind"),
            FieldPanel("brief"),
            FieldPanel("content_areas"),
            FieldRowPanel([FieldPanel("credits"), FieldPanel("word_limit")]),
            MultiFieldPanel(
                [
                    FieldPanel("opens_on"),
                    FieldPanel("due_on"),
                    FieldPanel("late_cutoff_on"),
                    FieldPanel("marks_due_on"),
                    FieldPanel("release_on"),
                ],
                heading="Dates",
                help_text="In this order; two may fall on the same day. Every date is inclusive.",
            ),
            FieldPanel("rubric"),
            MultiFieldPanel(
                [
                    FieldPanel("second_marking"),
                    FieldRowPanel([FieldPanel("sample_percent"), FieldPanel("sample_min"), FieldPanel("sample_max")]),
                    FieldPanel("sample_sqrt"),
                    FieldPanel("include_fails"),
                    FieldPanel("include_borderline"),
                    FieldRowPanel([FieldPanel("borderline_from"), FieldPanel("borderline_to")]),
                    FieldPanel("include_distinctions"),
                    FieldPanel("blind_second_marking"),
                    FieldPanel("reconcile_threshold"),
                    FieldRowPanel([FieldPanel("resubmission_cap"), FieldPanel("resubmission_weeks")]),
                ],
                heading="Second marking and resubmission",
            ),
        ],
        base_form_class=admin_forms.AssessmentTaskForm,
    )


class ExtensionViewSet(ModelViewSet):
    model = Extension
    name = "assessment_extensions"
    icon = "date"
    menu_label = "Extensions"
    copy_view_enabled = False
    add_view_class = admin_views.ExtensionCreateView
    edit_view_class = admin_views.ExtensionEditView
    list_display = ["enrolment", "task", "due_on", "granted_by", "granted_at"]
    list_filter = ["task"]
    search_fields = ["enrolment__participant__first_name", "enrolment__participant__last_name", "task__title"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return admin_forms.ExtensionForm


class AssessmentViewSetGroup(ViewSetGroup):
    menu_label = "Assessment"
    menu_icon = "tasks"
    menu_order = 210
    items = (AssessmentTaskViewSet, RubricViewSet, ExtensionViewSet)
