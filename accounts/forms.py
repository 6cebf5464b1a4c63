from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from allauth.mfa.utils import decrypt
from django import forms
from django.contrib.auth import password_validation
from django.core.cache import cache


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Avoid common words and your name.",
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError("The two passwords do not match.")
        return password2

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password and self.invitation is not None:
            from accounts.models import User

            candidate = User(
                email=self.invitation.email,
                first_name=self.invitation.first_name,
                last_name=self.invitation.last_name,
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class _SaysWhenACodeWasJustUsed:
    """allauth refuses a TOTP code used a moment ago (so a code seen over a shoulder cannot be
    replayed) with the same "Incorrect code" as a wrong one. Someone who signed in and out again
    within the 30 seconds then retypes a correct code in vain: say what happened instead."""

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError:
            if self._just_used(self.cleaned_data.get("code", "")):
                raise forms.ValidationError(
                    "This code has just been used. Wait for your authenticator app to show the next code, "
                    "then enter that one.",
                    code="code_just_used",
                ) from None
            raise

    def _just_used(self, code: str) -> bool:
        for authenticator in Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP):
            totp = TOTP(authenticator)
            # allauth's own record of the codes used in the current window (mfa.totp.internal.auth).
            if validate_totp_code(decrypt(authenticator.data["secret"]), code) and cache.get(
                totp._get_used_cache_key(code)
            ):
                return True
        return False


class MfaAuthenticateForm(_SaysWhenACodeWasJustUsed, AuthenticateForm):
    pass


class MfaReauthenticateForm(_SaysWhenACodeWasJustUsed, ReauthenticateForm):
    pass
