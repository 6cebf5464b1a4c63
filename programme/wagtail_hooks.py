"""Registers the programme leader's screens (programme.admin) in the CMS."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from programme.admin.choosers import participant_chooser
from programme.admin.views import KeepHistoryPolicy
from programme.admin.viewsets import ProgrammeViewSetGroup
from programme.models import Enrolment, StaffMembership

for model in (Enrolment, StaffMembership):
    register_permission_policy(model, KeepHistoryPolicy(model))


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return [ProgrammeViewSetGroup(), participant_chooser]
