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
# Saving the session on every request would write to the database each time; a minute is enough.
_RECORD_EVERY_SECONDS = 60


class ShortStaffSessionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.roles & SHORT_SESSION_ROLES:
            now = int(timezone.now().timestamp())
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, "You were signed out because the portal was not used for 8 hours.")
                return redirect_to_login(request.get_full_path())
            if not request.session.get_expire_at_browser_close():
                request.session.set_expiry(0)
            if last_seen is None or now - last_seen >= _RECORD_EVERY_SECONDS:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)
