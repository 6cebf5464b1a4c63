"""Choosing whom to enrol: a Wagtail chooser that lists only people invited as participants who have
no active enrolment, searched by name or email."""

from django import forms
from django.core.exceptions import PermissionDenied
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from accounts.models import User
from programme.selectors import enrolable_participants, search_people


class PersonSearchForm(BaseFilterForm):
    q = forms.CharField(label="Name or email", required=False)

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        self.is_searching, self.search_query = bool(query), query
        return search_people(objects, query) if query else objects


class LeadersOnly:
    """Only someone who may make enrolments sees who could be enrolled."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("programme.add_enrolment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ParticipantObjects:
    filter_form_class = PersonSearchForm

    def get_object_list(self):
        return enrolable_participants().order_by("last_name", "first_name", "pk")

    @property
    def columns(self):
        # Two people can share a name.
        return [*super().columns, Column("email", label="Email")]


class ChooseParticipantView(LeadersOnly, ParticipantObjects, chooser_views.ChooseView):
    pass


class ChooseParticipantResultsView(LeadersOnly, ParticipantObjects, chooser_views.ChooseResultsView):
    pass


class ChosenParticipantView(LeadersOnly, chooser_views.ChosenView):
    def get_object(self, pk):
        return enrolable_participants().get(pk=pk)


class ChosenParticipantsView(LeadersOnly, chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return enrolable_participants().filter(pk__in=pks)


class ParticipantChooserViewSet(ChooserViewSet):
    model = User
    name = "programme_participant_chooser"
    icon = "user"
    choose_one_text = "Choose a participant"
    choose_another_text = "Choose another participant"
    page_title = "Choose a participant to enrol"
    register_widget = False  # other forms choosing a person keep their own lists
    choose_view_class = ChooseParticipantView
    choose_results_view_class = ChooseParticipantResultsView
    chosen_view_class = ChosenParticipantView
    chosen_multiple_view_class = ChosenParticipantsView


participant_chooser = ParticipantChooserViewSet()
