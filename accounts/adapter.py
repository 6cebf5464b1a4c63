from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from audit.signals import sign_in_failed


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People join by invitation from a programme leader, never by signing themselves up.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        # A sign-in refused by the rate limit never reaches authenticate(), so no signal says so.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            sign_in_failed(credentials, request, reason="rate_limited")
            raise
