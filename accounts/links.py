"""The signed link an invitation email carries. Signed, so the database never holds a usable token;
the nonce in it lets a resent invitation replace the old link."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import Invitation

_INVITATION_SALT = "accounts.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_INVITATION_SALT)


def invitation_token_data(token: str) -> dict:
    """What a token says: {"i": invitation id, "n": nonce}. signing.BadSignature if tampered with."""
    return signing.loads(token, salt=_INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)})
    return settings.PORTAL_BASE_URL.rstrip("/") + path
