"""Which coaching emails a person receives."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coaching import services
from coaching.forms import ReminderPreferencesForm
from coaching.models import ReminderKind, ReminderPreference
from programme import access
from programme.access import Relation
from ui.errors import saved

# The relations some email on this page goes to (the digest: heads and programme leaders).
RECEIVING = {Relation.PARTICIPANT, Relation.COACH, Relation.TUTOR, Relation.HEAD, Relation.PROGRAMME_LEADER}


@login_required
def reminder_preferences(request: HttpRequest) -> HttpResponse:
    """Turn each kind of coaching email on or off."""
    preference = ReminderPreference.objects.filter(user=request.user).first()
    turned_off = set(preference.turned_off) if preference else set()
    form = ReminderPreferencesForm(
        request.POST or None, initial={"wanted": [k for k in ReminderKind.values if k not in turned_off]}
    )
    chosen = saved(
        request,
        form,
        lambda: services.reminder_preferences_save(user=request.user, turned_off=form.turned_off()),
        message="Your choice of coaching emails is saved.",
    )
    if chosen:
        return redirect("coaching:reminder_preferences")
    return render(
        request,
        "coaching/reminder_preferences.html",
        {"form": form, "receives": bool(access.held_relations(request.user) & RECEIVING)},
    )
