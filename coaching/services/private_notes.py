"""The coach's private note on a session."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.models import DialogueLog, PrivateNote
from programme import access
from programme.access import Action


@transaction.atomic
def private_note_save(*, log: DialogueLog, author: User, text: str) -> PrivateNote | None:
    """Save the coach's own note on the session; saving it empty removes it."""
    access.require(author, Action.CHANGE, PrivateNote(log=log, author=author))
    text = text.strip()
    if not text:
        PrivateNote.objects.filter(log=log, author=author).delete()
        return None
    note, _ = PrivateNote.objects.update_or_create(
        log=log, author=author, defaults={"text": text, "updated_at": timezone.now()}
    )
    return note
