"""Invitations in the CMS: the programme leader invites people by email, and resends a link.
An invitation is never edited: resend it, or send a new one once it has expired."""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log

from accounts.models import Invitation
from accounts.roles import Role
from accounts.services import invitation_create, invitation_resend
from ui.errors import RuleError, RuleErrorsMixin

INVITATIONS = "accounts_invitations"


class InvitationCreateForm(WagtailAdminModelForm):
    """Saved only through accounts.services.invitation_create, which decides who may be invited."""

    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Invitation
        fields = ["email", "first_name", "last_name", "roles", "school"]


def resend_url(invitation: Invitation) -> str | None:
    return None if invitation.is_accepted else reverse(f"{INVITATIONS}:resend", args=[invitation.pk])


class InvitationIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("school")

    def get_edit_url(self, instance):
        return None  # rows open the inspect page; invitations are not edited

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if (url := resend_url(instance)) and self.user_has_permission("change"):
            buttons.append(MenuItem("Resend", url=url, icon_name="mail", priority=40))
        return buttons


class InvitationCreateView(RuleErrorsMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        invitation = invitation_create(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            roles=data["roles"],
            school=data["school"],
            invited_by=self.request.user,
        )
        log(invitation, "wagtail.create", user=self.request.user)
        return invitation

    def get_success_message(self, instance):
        return f"An invitation is on its way to {instance.email}."

    def get_success_buttons(self):
        return []


class InvitationEditView(EditView):
    """Invitations are not edited, so that what was sent is what the record says."""

    def dispatch(self, request, *args, **kwargs):
        messages.warning(request, "Invitations are not edited. Resend this one, or send a new invitation.")
        return redirect(reverse(f"{INVITATIONS}:inspect", args=[kwargs["pk"]]))


class InvitationInspectView(InspectView):
    def get_edit_url(self):
        return None

    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if (url := resend_url(self.object)) and self.user_has_permission("change"):
            buttons.append(Button("Resend", url=url, icon_name="mail", priority=5))
        return buttons

    def get_roles_display_value(self):
        return self.object.role_labels()


class InvitationResendView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks first, since resending stops the old link working."""

    model = Invitation
    permission_required = "change"
    template_name = "accounts/admin/invitation_resend.html"
    page_title = "Resend invitation"
    header_icon = "mail"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.invitation = get_object_or_404(Invitation, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.invitation.email

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitation=self.invitation, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            invitation_resend(invitation=self.invitation)
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"A new invitation link is on its way to {self.invitation.email}.")
        return redirect(reverse(f"{INVITATIONS}:index"))


class InvitationViewSet(ModelViewSet):
    model = Invitation
    name = INVITATIONS
    icon = "mail"
    menu_label = "Invitations"
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = InvitationIndexView
    add_view_class = InvitationCreateView
    edit_view_class = InvitationEditView
    inspect_view_class = InvitationInspectView
    form_fields = InvitationCreateForm.Meta.fields
    list_display = [
        "email",
        Column("name", label="Name", accessor=lambda i: f"{i.first_name} {i.last_name}"),
        Column("roles", label="Roles", accessor="role_labels"),
        DateColumn("sent_at", label="Sent"),
        DateColumn("accepted_at", label="Accepted"),
        # A date, not Wagtail's "x ago", which says "Just now" for every date still to come.
        Column(
            "expires_at",
            label="Expires",
            accessor=lambda i: date_format(timezone.localtime(i.expires_at), "j F Y"),
            sort_key="expires_at",
        ),
    ]
    list_filter = ["school"]
    search_fields = ["email", "first_name", "last_name"]
    search_backend_name = None
    inspect_view_fields = [
        "email",
        "first_name",
        "last_name",
        "roles",
        "school",
        "invited_by",
        "sent_at",
        "expires_at",
        "accepted_at",
    ]

    def get_form_class(self, for_update=False):
        return InvitationCreateForm

    def get_urlpatterns(self):
        resend = InvitationResendView.as_view()
        return super().get_urlpatterns() + [path("resend/<int:pk>/", resend, name="resend")]


@hooks.register("register_admin_viewset")
def register_invitation_viewset():
    return InvitationViewSet()
