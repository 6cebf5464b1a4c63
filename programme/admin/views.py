"""Views behind the programme leader's screens in the CMS. Each write goes through a service;
a broken programme rule comes back as an error beside its field, with nothing saved."""

import datetime

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from programme import services
from programme.admin import forms as admin_forms
from programme.admin.concurrency import StaleEditViewMixin
from programme.models import Enrolment, Phase
from programme.rules.phases import LAST_PHASE
from programme.selectors import school_name_on, search_people
from ui.errors import RuleError, RuleErrorsMixin, show_on_form

# The enrolment viewset's name, which is also its URL namespace.
ENROLMENTS = "programme_enrolments"


class KeepHistoryPolicy(ModelPermissionPolicy):
    """Enrolments and periods are history: they end, and are never deleted from the CMS."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)


# --- Enrolments.


def period_history(enrolment: Enrolment) -> dict:
    """The enrolment (and whether its start was backdated, and why), every school placement, coach and
    tutor assignment and phase change, oldest first, with who recorded it."""
    return {
        "enrolment": enrolment,
        "phase_changes": enrolment.phase_changes.select_related("from_phase", "to_phase", "decided_by"),
        "placements": enrolment.school_placements.select_related("school", "created_by").order_by("starts_on"),
        "coach_assignments": enrolment.coach_assignments.select_related(
            "coach", "partner_school", "created_by"
        ).order_by("starts_on"),
        "tutor_assignments": enrolment.tutor_assignments.select_related("tutor", "created_by").order_by("starts_on"),
    }


def enrolment_actions(enrolment: Enrolment) -> list[tuple[str, str, str]]:
    """(label, url, icon) for each action the enrolment offers now."""
    views = [view for view in ENROLMENT_ACTIONS if view.is_offered(enrolment)]
    return [(view.page_title, reverse(f"{ENROLMENTS}:{view.slug}", args=[enrolment.pk]), view.icon) for view in views]


class EnrolmentIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("participant", "cohort", "current_phase")
        return school_name_on(queryset, timezone.localdate())

    def search_queryset(self, queryset):
        return search_people(queryset, self.search_query, "participant") if self.is_searching else queryset

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons += [
                MenuItem(label, url=url, icon_name=icon, priority=40 + i)
                for i, (label, url, icon) in enumerate(enrolment_actions(instance))
            ]
        return buttons


class SchoolNowColumn(Column):
    """The school's name annotated by selectors.school_name_on, so the list costs no query per row."""

    def get_value(self, instance):
        return instance.school_name or "Not placed"


class EnrolmentHistoryMixin:
    """The period history and the actions, read-only, on the edit and inspect pages."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = period_history(self.object)
        context["enrolment_actions"] = enrolment_actions(self.object) if self.user_has_permission("change") else []
        return context

    @cached_property
    def header_more_buttons(self):
        actions = enrolment_actions(self.object) if self.user_has_permission("change") else []
        return super().header_more_buttons + [
            Button(label, url=url, icon_name=icon, priority=40 + i) for i, (label, url, icon) in enumerate(actions)
        ]


class EnrolmentCreateView(RuleErrorsMixin, CreateView):
    def save_instance(self):
        enrolment = services.enrolment_create(**self.form.service_kwargs(), by=self.request.user)
        log(enrolment, "wagtail.create", user=self.request.user)
        return enrolment

    def get_success_url(self):
        # Straight on to assigning a coach and a tutor.
        return reverse(self.edit_url_name, args=[self.object.pk])


class EnrolmentEditView(EnrolmentHistoryMixin, RuleErrorsMixin, EditView):
    def save_instance(self):
        enrolment = services.enrolment_status_change(
            enrolment=self.object,
            status=self.form.cleaned_data["status"],
            status_was=self.form.cleaned_data["status_was"],
        )
        log(enrolment, "wagtail.edit", user=self.request.user)
        return enrolment


class EnrolmentInspectView(EnrolmentHistoryMixin, InspectView):
    pass


class EnrolmentActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A small form that changes who is where, through one service."""

    model = Enrolment
    permission_required = "change"
    template_name = "programme/admin/enrolment_action.html"
    header_icon = "user"
    index_url_name = None
    edit_url_name = None
    slug = ""
    icon = ""
    submit_button_label = ""

    @classmethod
    def is_offered(cls, enrolment: Enrolment) -> bool:
        # The services refuse the rest too; this only keeps the buttons away.
        return enrolment.status == Enrolment.Status.ACTIVE

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        queryset = Enrolment.objects.select_related("participant", "cohort", "current_phase")
        self.enrolment = get_object_or_404(queryset, pk=kwargs["pk"])
        self.object = self.enrolment

    def get_page_subtitle(self):
        return str(self.enrolment)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": "Enrolments"},
            {"url": reverse(self.edit_url_name, args=[self.enrolment.pk]), "label": str(self.enrolment)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            enrolment=self.enrolment,
            history=period_history(self.enrolment),
            action_url=self.request.path,
            submit_button_label=self.submit_button_label or self.page_title,
            submit_button_active_label="Saving…",
        )
        return context

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except RuleError as error:
            show_on_form(form, error, fields=getattr(form, "rule_fields", None))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(reverse(self.edit_url_name, args=[self.enrolment.pk]))

    def form_invalid(self, form):
        messages.validation_error(self.request, "Nothing was changed. Correct the error shown below.", form)
        return super().form_invalid(form)

    def perform(self, data: dict) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


class SchoolMoveView(EnrolmentActionView):
    slug, page_title, icon = "move_school", "Move school", "home"
    form_class = admin_forms.SchoolMoveForm

    def perform(self, data):
        services.school_move(
            enrolment=self.enrolment,
            new_school=data["new_school"],
            moves_on=data["moves_on"],
            new_coach=data["new_coach"],
            by=self.request.user,
        )
        return (
            f"{self.enrolment.participant} moves to {data['new_school']} on {_day(data['moves_on'])}. "
            "Their portfolio, logs, marks and credits go with them."
        )


class CoachChangeView(EnrolmentActionView):
    slug, page_title, icon = "change_coach", "Change coach", "user"
    form_class = admin_forms.CoachChangeForm

    def perform(self, data):
        services.coach_assign(
            enrolment=self.enrolment,
            coach=data["coach"],
            starts_on=data["starts_on"],
            partner_school=data["partner_school"],
            by=self.request.user,
        )
        return f"{data['coach']} coaches {self.enrolment.participant} from {_day(data['starts_on'])}."


class TutorChangeView(EnrolmentActionView):
    slug, page_title, icon = "change_tutor", "Change tutor", "user"
    form_class = admin_forms.TutorChangeForm

    def perform(self, data):
        services.tutor_assign(
            enrolment=self.enrolment, tutor=data["tutor"], starts_on=data["starts_on"], by=self.request.user
        )
        return f"{data['tutor']} is {self.enrolment.participant}'s tutor from {_day(data['starts_on'])}."


class PhaseProgressView(EnrolmentActionView):
    slug, page_title, icon = "progress_phase", "Progress to next phase", "arrow-right"
    form_class = admin_forms.PhaseProgressForm
    submit_button_label = "Progress"

    @classmethod
    def is_offered(cls, enrolment):
        return super().is_offered(enrolment) and enrolment.current_phase.number < LAST_PHASE

    def get_initial(self):
        return {"to_phase": Phase.objects.filter(number=self.enrolment.current_phase.number + 1).first()}

    def perform(self, data):
        enrolment = services.phase_progress(
            enrolment=self.enrolment, to_phase=data["to_phase"], by=self.request.user, note=data["note"]
        )
        return f"{enrolment.participant} is now in {enrolment.current_phase}."


ENROLMENT_ACTIONS = [SchoolMoveView, CoachChangeView, TutorChangeView, PhaseProgressView]


# --- Staff memberships.


def membership_label(membership) -> str:
    return f"{membership.user}, {membership.get_role_display().lower()} at {membership.school}"


class StaffMembershipIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "school")

    def search_queryset(self, queryset):
        return search_people(queryset, self.search_query, "user") if self.is_searching else queryset

    def get_edit_url(self, instance):
        # An ended membership has nothing left to change; its row opens nothing.
        return super().get_edit_url(instance) if instance.ends_on is None else None


class StaffMembershipCreateView(RuleErrorsMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        membership = services.staff_membership_start(
            user=data["user"],
            school=data["school"],
            role=data["role"],
            starts_on=data["starts_on"],
            by=self.request.user,
        )
        log(membership, "wagtail.create", user=self.request.user)
        return membership

    def get_success_message(self, instance):
        return f"{membership_label(instance)} from {_day(instance.starts_on)}."


class StaffMembershipEndView(StaleEditViewMixin, RuleErrorsMixin, EditView):
    page_title = "End membership"
    submit_button_label = "End membership"

    def get_page_subtitle(self):
        return membership_label(self.object)

    def get_success_message(self):
        return f"{membership_label(self.object)} ends on {_day(self.object.ends_on)}."

    def save_instance(self):
        membership = services.staff_membership_end(membership=self.object, ends_on=self.form.cleaned_data["ends_on"])
        log(membership, "wagtail.edit", user=self.request.user)
        return membership
