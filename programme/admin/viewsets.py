"""The programme leader's screens as Wagtail viewsets, grouped under the "Programme" menu. Each
is declared from the model; only enrolments and staff memberships plug in views of their own
(programme.admin.views), because they save through programme.services."""

from django import forms
from django.urls import path
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from programme.admin import forms as admin_forms
from programme.admin import views as admin_views
from programme.admin.concurrency import StaleEditViewSetMixin
from programme.admin.structure import ContentAreaViewSet, PhaseViewSet, StandardFrameworkViewSet
from programme.models import ChallengeCategory, Cohort, Enrolment, School, StaffMembership


class SchoolViewSet(StaleEditViewSetMixin, ModelViewSet):
    model = School
    name = "programme_schools"
    icon = "home"
    menu_label = "Schools"
    copy_view_enabled = False
    list_display = ["name", "urn", "region", "phase_of_education", "fsm_percent"]
    list_filter = ["region", "phase_of_education", "challenge_categories"]
    search_fields = ["name", "urn"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("urn"),
        FieldPanel("region"),
        FieldPanel("phase_of_education"),
        FieldPanel("challenge_categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("fsm_percent"),
    ]


class ChallengeCategoryViewSet(ModelViewSet):
    model = ChallengeCategory
    name = "programme_challenge_categories"
    icon = "tag"
    menu_label = "Challenge categories"
    copy_view_enabled = False
    form_fields = ["name"]
    list_display = ["name"]


class EligibilityRulesPanel(InlinePanel):
    """An InlinePanel whose rows check each rule's value against its kind."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = admin_forms.EligibilityRuleForm
        return options


class CohortViewSet(StaleEditViewSetMixin, ModelViewSet):
    model = Cohort
    name = "programme_cohorts"
    icon = "group"
    menu_label = "Cohorts"
    copy_view_enabled = False
    list_display = ["name", "academic_year", "opens_on"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("academic_year"),
        FieldPanel("opens_on"),
        EligibilityRulesPanel(
            "eligibility_rules",
            label="Eligibility rules",
            heading="Eligibility rules",
            help_text="A participant must meet every rule to join this cohort.",
            panels=[FieldPanel("kind"), FieldPanel("value")],
        ),
    ]


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    name = admin_views.ENROLMENTS
    icon = "user"
    menu_label = "Enrolments"
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = admin_views.EnrolmentIndexView
    add_view_class = admin_views.EnrolmentCreateView
    edit_view_class = admin_views.EnrolmentEditView
    inspect_view_class = admin_views.EnrolmentInspectView
    edit_template_name = "programme/admin/enrolment_edit.html"
    inspect_template_name = "programme/admin/enrolment_inspect.html"
    list_display = [
        "participant",
        "cohort",
        "current_phase",
        "status",
        admin_views.SchoolNowColumn("school_name", label="School now", sort_key="school_name"),
    ]
    list_filter = ["cohort", "current_phase", "status"]
    # Searched by programme.selectors.search_people; listed so Wagtail shows the search box.
    search_fields = ["participant__first_name", "participant__last_name", "participant__email"]
    search_backend_name = None
    inspect_view_fields = [
        "participant",
        "cohort",
        "current_phase",
        "status",
        "post",
        "qts_awarded_on",
        "first_post_started_on",
        "programme_started_on",
    ]

    def get_form_class(self, for_update=False):
        return admin_forms.EnrolmentStatusForm if for_update else admin_forms.EnrolmentCreateForm

    def get_urlpatterns(self):
        actions = [
            path(
                f"{view.slug}/<int:pk>/",
                view.as_view(index_url_name=self.get_url_name("index"), edit_url_name=self.get_url_name("edit")),
                name=view.slug,
            )
            for view in admin_views.ENROLMENT_ACTIONS
        ]
        return super().get_urlpatterns() + actions


class StaffMembershipViewSet(ModelViewSet):
    model = StaffMembership
    name = "programme_staff_memberships"
    icon = "id-card"
    menu_label = "Staff memberships"
    copy_view_enabled = False
    index_view_class = admin_views.StaffMembershipIndexView
    add_view_class = admin_views.StaffMembershipCreateView
    edit_view_class = admin_views.StaffMembershipEndView
    list_display = ["user", "school", "role", "starts_on", Column("ends_on", label="Ends on", sort_key="ends_on")]
    list_filter = ["school", "role"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return admin_forms.StaffMembershipEndForm if for_update else admin_forms.StaffMembershipStartForm


class ProgrammeViewSetGroup(ViewSetGroup):
    menu_label = "Programme"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        EnrolmentViewSet,
        CohortViewSet,
        SchoolViewSet,
        StaffMembershipViewSet,
        ChallengeCategoryViewSet,
        PhaseViewSet,
        ContentAreaViewSet,
        StandardFrameworkViewSet,
    )
