"""Tutors, programme leaders and external examiners must turn on two-factor sign-in first."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from accounts.roles import MFA_REQUIRED_ROLES

# Pages that must stay open so the person can set up MFA or leave, and the accessibility statement,
# which says how to report a problem (setting up two-factor sign-in among them).
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/invitations/", "/handbook/accessibility/")


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and user.roles & MFA_REQUIRED_ROLES
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                "Your role needs two-factor sign-in. Set up an authenticator app to carry on.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
