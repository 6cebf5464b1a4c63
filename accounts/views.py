from allauth.account.internal.flows.reauthentication import reauthenticate_by_password
from allauth.account.utils import perform_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts import services
from accounts.forms import InvitationAcceptForm
from ui.errors import RuleError


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except RuleError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)

    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except RuleError as error:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
        response = perform_login(request, user, email_verification="none", redirect_url=reverse("dashboard"))
        if request.user.is_authenticated:
            # The password was typed on this page a moment ago: it is the recent password allauth
            # asks for before an authenticator is set up, so a tutor, leader or examiner goes
            # straight on to two-factor set-up instead of typing it again.
            reauthenticate_by_password(request)
        return response
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
def account_overview(request: HttpRequest) -> HttpResponse:
    """One page for the person's own sign-in settings; allauth's pages do the changing."""
    from allauth.mfa.utils import is_mfa_enabled

    from accounts.roles import MFA_REQUIRED_ROLES, Role

    user = request.user
    return render(
        request,
        "accounts/account_overview.html",
        {
            "roles": [Role(r).label for r in sorted(user.roles)],
            "mfa_enabled": is_mfa_enabled(user),
            "mfa_required": bool(user.roles & MFA_REQUIRED_ROLES),
        },
    )
