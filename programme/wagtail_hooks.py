"""Registers the programme leader's screens (programme.admin) in the CMS, and the portal's few
additions to the CMS's own styles."""

from django.templatetags.static import static
from django.utils.html import format_html
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


@hooks.register("insert_global_admin_css")
def portal_cms_css():
    return format_html('<link rel="stylesheet" href="{}">', static("programme/cms.css"))
