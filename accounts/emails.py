"""Emails about people, rendered from templates and sent through Django's backend."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.links import invitation_url
from accounts.models import Invitation


def send_invitation_email(*, invitation_id: int) -> bool:
    """Email the invitation's link, once for each time it is (re)sent: `sent_at` is claimed in the
    transaction that sends, so a task run twice (a worker killed after taking it, a message the
    broker delivers again) sends one email, and a send that fails leaves it unclaimed for the next
    run. `invitation_resend` clears `sent_at` for the fresh link. True if this call sent it."""
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True, accepted_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            return False
        invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_id)
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
    return True
