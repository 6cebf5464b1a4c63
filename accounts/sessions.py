"""How long a signed-in session lasts. People whose role opens many participants' records
(SHORT_SESSION_ROLES) are signed out when the browser closes and after a working day idle;
everyone else stays signed in for SESSION_COOKIE_AGE (the SESSION_DAYS setting)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

from accounts.roles import SHORT_SESSION_ROLES

_LAST_SEEN = "portal_last_seen"


def start_session(sender, request, user, **kwargs) -> None:
    """At sign-in, so the first page after it need not write the session again."""
    if user.roles & SHORT_SESSION_ROLES:
        _mark_short(request.session)


def _mark_short(session) -> None:
    session.set_expiry(0)
    session[_LAST_SEEN] = _now()


def _now() -> int:
    return int(timezone.now().timestamp())


class ShortStaffSessionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.roles & SHORT_SESSION_ROLES:
            last_seen = request.session.get(_LAST_SEEN)
            idle = _now() - last_seen if last_seen is not None else None
            if idle is not None and idle > settings.STAFF_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, "You were signed out because the portal was not used for 8 hours.")
                return redirect_to_login(request.get_full_path())
            # A role granted after sign-in, or a session from before this rule. Otherwise the time is
            # written at most every STAFF_SESSION_RECORD_SECONDS: a database write per page is waste.
            if idle is None or not request.session.get_expire_at_browser_close():
                _mark_short(request.session)
            elif idle >= settings.STAFF_SESSION_RECORD_SECONDS:
                request.session[_LAST_SEEN] = _now()
        return self.get_response(request)
