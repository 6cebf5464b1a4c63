from celery import shared_task

from accounts import emails


@shared_task
def send_invitation(invitation_id: int) -> None:
    emails.send_invitation_email(invitation_id=invitation_id)
