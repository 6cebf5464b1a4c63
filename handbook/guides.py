"""Dialogue guides seen from coaching: which guides fit the content areas of a session, and which
sessions used a guide, for the person looking (the access policy decides which logs they read)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q

from coaching.models import AgreementStatus, DialogueLog, LearningGoal
from handbook.models import DialogueGuideIndexPage, DialogueGuidePage
from programme import access
from programme.access import Action
from programme.access import RecordKind as K
from programme.models import ContentArea

# Sessions listed on a guide's page: the latest ones the person may read.
SESSIONS_SHOWN = 20


def guides_for(content_area_ids) -> list[DialogueGuidePage]:
    """The live guides tagged to any of the content areas (every live guide when none is given)."""
    found = DialogueGuidePage.objects.live().public()
    ids = sorted(set(content_area_ids))
    if ids:
        found = found.filter(content_areas__in=ids).distinct()
    return list(found.order_by("title"))


def sessions_using(request, guide: DialogueGuidePage) -> list[DialogueLog]:
    """The sessions whose log names this guide and that the person may read in full: none for a
    visitor who is not signed in, so the public page says nothing about who was coached."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    where = {"enrolment": "enrolment", "on": "session_on"}
    agreed = Q(status=AgreementStatus.AGREED)
    readable = (agreed & access.readable_where(user, K.DIALOGUE_LOG_AGREED, **where)) | (
        ~agreed & access.readable_where(user, K.DIALOGUE_LOG_DRAFT, **where)
    )
    logs = (
        DialogueLog.objects.filter(readable, guide=guide)
        .select_related("enrolment__participant")
        .order_by("-session_on", "-pk")[:SESSIONS_SHOWN]
    )
    # The filter also lets through what a head or leader sees only as a summary: the policy has the last word.
    return [log for log, actions in access.readable(user, logs) if Action.VIEW in actions]


@dataclass(frozen=True)
class InPlay:
    """The guides to offer beside the "record a session" form."""

    guides: list[DialogueGuidePage]
    areas: list[ContentArea]  # the content areas they were chosen by; empty: every guide
    index_url: str  # the guides' index, filtered to those areas (no JavaScript needed)


def guides_in_play(*, ticked_area_ids, enrolment) -> InPlay:
    """The guides for the content areas in play: those ticked on the form, else those of the
    participant's open learning goals, else every guide."""
    ids = sorted({int(v) for v in ticked_area_ids if str(v).isdigit()})
    if not ids and enrolment is not None:
        ids = sorted(
            set(
                LearningGoal.objects.filter(plan__enrolment=enrolment, status=LearningGoal.Status.OPEN).values_list(
                    "content_area_id", flat=True
                )
            )
        )
    index = DialogueGuideIndexPage.objects.live().first()
    url = ""
    if index is not None:
        url = index.url or ""
        if ids:
            url += "?" + urlencode([("area", pk) for pk in ids])
    return InPlay(guides=guides_for(ids), areas=list(ContentArea.objects.filter(pk__in=ids)), index_url=url)
