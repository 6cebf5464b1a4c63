"""Which coaching emails a person receives."""

from accounts.models import User
from coaching.models import ReminderKind, ReminderPreference
from ui.errors import RuleError


def reminder_preferences_save(*, user: User, turned_off: set[str]) -> ReminderPreference:
    """Turn each kind of coaching email on or off for this person."""
    unknown = set(turned_off) - set(ReminderKind.values)
    if unknown:
        raise RuleError("Choose from the emails listed.", field="turned_off")
    preference, _ = ReminderPreference.objects.update_or_create(user=user, defaults={"turned_off": sorted(turned_off)})
    return preference
