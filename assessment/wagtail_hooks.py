"""Registers the programme leader's assessment screens (assessment.admin) in the CMS."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from assessment.admin.views import KeepHistoryPolicy
from assessment.admin.viewsets import AssessmentViewSetGroup
from assessment.models import Extension, Rubric

for model in (Rubric, Extension):
    register_permission_policy(model, KeepHistoryPolicy(model))


@hooks.register("register_admin_viewset")
def register_assessment_viewsets():
    return [AssessmentViewSetGroup()]
