"""The audit trail in the CMS: a read-only, searchable listing for programme leaders."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import IntegerField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.urls import path
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from audit.models import AuditAction, AuditEvent, Outcome
from audit.permissions import audit_trail_policy

register_permission_policy(AuditEvent, audit_trail_policy)


def _named(prefix: str, words: str) -> Q:
    """Every word typed matches the person's first name, last name or email address (the person is
    the row itself with no prefix)."""
    to = f"{prefix}__" if prefix else ""
    query = Q()
    for word in words.split():
        query &= (
            Q(**{f"{to}first_name__icontains": word})
            | Q(**{f"{to}last_name__icontains": word})
            | Q(**{f"{to}email__icontains": word})
        )
    return query


class AuditEventFilterSet(WagtailFilterSet):
    person = django_filters.CharFilter(label="Who acted", method="filter_person", help_text="Name or email")
    participant = django_filters.CharFilter(
        label="Participant",
        method="filter_participant",
        help_text="Name or email of the participant concerned, or of the person a data request is about",
    )
    action = django_filters.ChoiceFilter(label="Action", choices=AuditAction.choices)
    outcome = django_filters.ChoiceFilter(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    at = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields = []

    def filter_person(self, queryset, name, value):
        return queryset.filter(_named("actor", value))

    def filter_participant(self, queryset, name, value):
        # A subject access request or an erasure is about a person, named in the event's detail,
        # not about one of their enrolments: found by the same name.
        about = Cast(KeyTextTransform("person", "detail"), IntegerField())
        people = get_user_model().objects.filter(_named("", value)).values("pk")
        return queryset.alias(about=about).filter(_named("enrolment__participant", value) | Q(about__in=people))


class AuditEventIndexView(IndexView):
    default_ordering = "-at"

    def get_base_queryset(self):
        # Newest first, with who acted and the participant in the same query: a page of fifty
        # events costs the same however long the trail is.
        return super().get_base_queryset().select_related("actor", "enrolment__participant")


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    name = "audit_trail"
    icon = "history"
    menu_label = "Audit trail"
    menu_order = 900
    add_to_admin_menu = True
    permission_policy = audit_trail_policy
    copy_view_enabled = False
    # Events are not content: no reference index (it would add writes to every audited request).
    add_to_reference_index = False
    inspect_view_enabled = True
    filterset_class = AuditEventFilterSet
    index_view_class = AuditEventIndexView
    list_per_page = 50
    list_display = [
        "at_utc",  # the first column links to the whole event
        Column("actor", label="Who acted"),
        Column("action", label="Action", accessor="action_label"),
        Column("record", label="Record", accessor="record_label"),
        Column("participant", label="Participant", accessor="participant"),
        Column("outcome", label="Outcome", accessor="get_outcome_display"),
        Column("client_address", label="Address"),
    ]
    # Properties that survive a person or an enrolment removed since (the rows keep their ids).
    inspect_view_fields = [
        "at_utc",
        "who",
        "action_label",
        "record_label",
        "participant",
        "enrolment_id",
        "outcome",
        "client_address",
        "detail",
    ]

    def get_permissions_to_register(self):
        # Reading is decided by audit.permissions, never by a permission a group could be given.
        return Permission.objects.none()

    def get_urlpatterns(self):
        """Only the listing and a single event: there is nothing to add, edit or delete."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<str:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_audit_trail():
    return AuditEventViewSet()
