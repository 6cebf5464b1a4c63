from allauth.account.utils import perform_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts import services
from accounts.forms import InvitationAcceptForm
from accounts.homes import homes_for


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)

    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
        return perform_login(request, user, email_verification="none", redirect_url=reverse("dashboard"))
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send each person to their role's home; a person with several roles chooses."""
    homes = homes_for(request.user)
    if len(homes) == 1:
        return redirect(homes[0].url)
    return render(request, "accounts/dashboard.html", {"homes": homes})
