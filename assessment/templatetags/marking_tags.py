"""Links to a submission's marking, shown only to those the access policy lets use them."""

from django import template
from django.urls import reverse

from assessment.selectors.marking import result_of
from programme import access
from programme.access import Action

register = template.Library()


@register.simple_tag
def marking_links(user, submission) -> dict:
    """{"mark": the workspace's address for the participant's tutor, "result": the result's for
    anyone who may read it now (after release, the participant, coach and head too)}."""
    links = {}
    if access.can(user, Action.ASSESS, submission):
        links["mark"] = reverse("marking:workspace", kwargs={"pk": submission.pk})
    marking = result_of(submission)
    if marking is not None and access.allowed_actions(user, marking) & {Action.VIEW, Action.VIEW_SUMMARY}:
        links["result"] = reverse("marking:result", kwargs={"pk": submission.pk})
    return links
