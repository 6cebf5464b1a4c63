"""Emails about people, rendered from templates and sent through Django's backend."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.links import invitation_url
from accounts.models import Invitation


def send_invitation_email(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_id)
    if invitation.is_accepted:
        return
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "expires_on": timezone.localtime(invitation.expires_at),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}You are invited to join the programme",
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.send()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
