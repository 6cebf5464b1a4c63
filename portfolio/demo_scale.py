"""Evidence for the provider-sized demo (`manage.py seed_scale`): for every participant of the demo
cohort with no evidence yet, a written piece about every two months from their start until now,
each tagged with one content area. Loaded in bulk, not through the services (see
programme.demo_scale); derived from each enrolment's id, so the same database gets the same pieces."""

from __future__ import annotations

import datetime
import random

from portfolio.models import Evidence
from programme.demo_scale import bulk_load, checks_set_aside, copy_rows
from programme.models import ContentArea, Enrolment

_DAY = datetime.timedelta(days=1)
TITLES = [
    "Pupils' work before and after the change",
    "Notes from a lesson observed by my coach",
    "A seating plan and why it changed",
    "Questions I planned, and the answers pupils gave",
    "Marking sample with the feedback pupils acted on",
]


def seed_scale_evidence(*, cohort_id: int, today: datetime.date) -> int:
    """Returns how many pieces of evidence were made."""
    with_evidence = Evidence.objects.filter(enrolment__cohort_id=cohort_id).values("enrolment_id")
    enrolments = (
        Enrolment.objects.filter(cohort_id=cohort_id)
        .exclude(pk__in=with_evidence)
        .only("pk", "current_phase_id", "programme_started_on")
        .order_by("pk")
    )
    areas = list(ContentArea.objects.order_by("number").values_list("pk", flat=True))
    pieces: list[tuple[dict, int]] = []  # an Evidence's fields, and its content area
    for enrolment in enrolments:
        rng = random.Random(-enrolment.pk)
        day = enrolment.programme_started_on + rng.randint(20, 60) * _DAY
        while day <= today:
            evidence = {
                "enrolment_id": enrolment.pk,
                "phase_id": enrolment.current_phase_id,
                "kind": Evidence.Kind.WRITTEN,
                "title": rng.choice(TITLES),
                "relates_to": day,
                "description": "What it shows about pupils' learning.",
                "body": "<p>A short account of what happened and what pupils did differently.</p>",
                "anonymised": True,
            }
            pieces.append((evidence, rng.choice(areas)))
            day += rng.randint(45, 90) * _DAY
    Through = Evidence.content_areas.through
    with checks_set_aside(Evidence, Through):
        ids = bulk_load(Evidence, [e for e, _ in pieces])
        copy_rows(Through, ["evidence_id", "contentarea_id"], zip(ids, (a for _, a in pieces), strict=True))
    return len(pieces)
