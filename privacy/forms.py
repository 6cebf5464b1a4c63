"""The programme leader's form asking for a subject access export."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from coaching.forms import DateInput


class SubjectAccessForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the person the request is about",
        help_text="The address they sign in with. Check who is asking before you send them what this makes.",
        error_messages={
            "required": "Enter the email address of the person the request is about.",
            "invalid": "Enter an email address in the right format, like name@example.com.",
        },
    )
    received_on = forms.DateField(
        label="Day the request was received",
        help_text="You have one month from this day to answer.",
        widget=DateInput(),
        error_messages={
            "invalid": "Enter a real date, for example 27 3 2026.",
            "required": "Enter the day it was received.",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.person = get_user_model().objects.filter(email__iexact=email).first()
        if self.person is None:
            raise forms.ValidationError("Nobody with an account here has that email address. Check it and try again.")
        return email
