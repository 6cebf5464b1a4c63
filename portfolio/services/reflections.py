"""The reflective journal: dated entries that can draw on evidence, agreed coaching sessions and
the action steps agreed in them."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit import trail
from coaching import richtext
from portfolio.models import Reflection
from portfolio.services import _common as c
from programme.models import Enrolment


@dataclass(frozen=True)
class ReflectionContent:
    written_on: datetime.date | None
    title: str
    body: str
    phase_id: int | None
    content_area_ids: tuple[int, ...] = ()
    evidence_ids: tuple[int, ...] = ()
    log_ids: tuple[int, ...] = ()
    action_step_ids: tuple[int, ...] = ()


def _check(*, by: User, enrolment: Enrolment, content: ReflectionContent):
    errors = c.new_errors()
    c.check_past(errors, "written_on", content.written_on, "the date")
    c.check_required(errors, "title", content.title, "Enter a title.")
    c.check_length(errors, "title", content.title, c.TITLE_LIMIT, "the title")
    if richtext.is_blank(content.body):
        errors["body"].append("Write your reflection.")
    c.check_length(errors, "body", content.body, c.RICH_TEXT_LIMIT, "the reflection")
    c.check_phase(errors, content.phase_id)
    areas, _, _ = c.check_tags(errors, content_area_ids=content.content_area_ids)
    links = c.check_links(
        errors,
        by=by,
        enrolment=enrolment,
        evidence_ids=content.evidence_ids,
        log_ids=content.log_ids,
        action_step_ids=content.action_step_ids,
    )
    c.raise_if(errors)
    return areas, links


def _apply(reflection: Reflection, content: ReflectionContent, areas, links) -> Reflection:
    reflection.written_on = content.written_on
    reflection.title = content.title.strip()
    reflection.body = richtext.sanitise(content.body)
    reflection.phase_id = content.phase_id
    reflection.save()
    evidence_ids, log_ids, step_ids = links
    reflection.content_areas.set(areas)
    reflection.evidence.set(evidence_ids)
    reflection.logs.set(log_ids)
    reflection.action_steps.set(step_ids)
    return reflection


@transaction.atomic
def reflection_create(*, by: User, enrolment: Enrolment, content: ReflectionContent) -> Reflection:
    """The participant adds an entry to their journal."""
    c.require_change(by, Reflection(enrolment=enrolment, written_on=content.written_on or timezone.localdate()))
    areas, links = _check(by=by, enrolment=enrolment, content=content)
    reflection = _apply(Reflection(enrolment=enrolment), content, areas, links)
    trail.record(trail.Action.PORTFOLIO_ADD, record=reflection, actor=by)
    return reflection


@transaction.atomic
def reflection_update(*, by: User, reflection: Reflection, version: int, content: ReflectionContent) -> Reflection:
    """The participant changes a journal entry, unless it was saved since they opened it."""
    c.require_change(by, reflection)
    c.claim(reflection, version)
    areas, links = _check(by=by, enrolment=reflection.enrolment, content=content)
    _apply(reflection, content, areas, links)
    trail.record(trail.Action.PORTFOLIO_CHANGE, record=reflection, actor=by)
    return reflection
