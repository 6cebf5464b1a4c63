"""Sign-in events come from Django's and allauth's signals, so no sign-in view needs changing."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals

from audit import trail
from audit.models import Outcome

Action = trail.Action


def _on(action: Action, outcome: Outcome = Outcome.SUCCESS):
    def receiver(sender, request=None, user=None, **kwargs):
        detail = {}
        if (authenticator := kwargs.get("authenticator")) is not None:
            detail["method"] = authenticator.type
        trail.record(action, actor=user, outcome=outcome, detail=detail, request=request)

    return receiver


def sign_in_failed(credentials: dict, request=None, *, reason: str = "") -> None:
    """A failed sign-in. Only a real account is named; whatever else was typed is not kept."""
    typed = credentials.get("email") or credentials.get("username") or ""
    person = get_user_model().objects.filter(email__iexact=typed).first() if typed else None
    detail = {"reason": reason} if reason else {}
    outcome = Outcome.REFUSED if reason else Outcome.FAILED
    trail.record(Action.SIGN_IN_FAILED, actor=person, outcome=outcome, detail=detail, request=request)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    sign_in_failed(credentials, request)


_RECEIVERS = [
    (auth_signals.user_logged_in, _on(Action.SIGN_IN)),
    (auth_signals.user_logged_out, _on(Action.SIGN_OUT)),
    (auth_signals.user_login_failed, _on_login_failed),
    (account_signals.password_changed, _on(Action.PASSWORD_CHANGE)),
    (account_signals.password_reset, _on(Action.PASSWORD_RESET)),
    (mfa_signals.authenticator_added, _on(Action.MFA_ADD)),
    (mfa_signals.authenticator_removed, _on(Action.MFA_REMOVE)),
    (mfa_signals.authenticator_reset, _on(Action.MFA_RESET)),
    (mfa_signals.authenticator_used, _on(Action.MFA_USE)),
    (mfa_signals.authentication_failed, _on(Action.MFA_FAIL, Outcome.FAILED)),
]


def connect() -> None:
    for signal, receiver in _RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"audit.{receiver.__qualname__}.{id(signal)}", weak=False)
