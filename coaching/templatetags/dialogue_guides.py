"""The handbook's dialogue guides beside the "record a session" form."""

from django import template

from handbook.guides import guides_in_play

register = template.Library()


@register.inclusion_tag("coaching/includes/guides_beside.html")
def guides_beside(form, enrolment):
    """The guides for the content areas ticked on the form (or the participant's open learning
    goals), with a link to the guides' index filtered to those areas."""
    return {"in_play": guides_in_play(ticked_area_ids=form["content_areas"].value() or [], enrolment=enrolment)}
