"""The roles a person can hold. One person may hold several."""

from django.db import models


class Role(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    COACH = "coach", "In-school coach"
    TUTOR = "tutor", "HEI tutor"
    HEAD = "head", "Headteacher"
    PROGRAMME_LEADER = "programme_leader", "Programme leader"
    EXTERNAL_EXAMINER = "external_examiner", "External examiner"


# Roles whose holders must protect their account with a second factor.
MFA_REQUIRED_ROLES = frozenset({Role.TUTOR, Role.PROGRAMME_LEADER, Role.EXTERNAL_EXAMINER})

# Roles that open many participants' records: their sessions end when the browser closes and
# after STAFF_SESSION_IDLE_SECONDS without a request (accounts/sessions.py).
SHORT_SESSION_ROLES = frozenset({Role.TUTOR, Role.PROGRAMME_LEADER, Role.EXTERNAL_EXAMINER})

# The Wagtail group that gives programme leaders the CMS and the programme admin.
PROGRAMME_LEADERS_GROUP = "Programme leaders"
