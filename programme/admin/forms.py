"""Forms for the programme leader's screens in the CMS. They check what a form can check; the
programme's rules are checked by programme.services, whose errors ui.errors puts beside the field
they name (`rule_fields` maps a service's field names onto a form's where they differ)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from accounts.models import User
from accounts.roles import Role
from programme.admin.choosers import participant_chooser
from programme.admin.concurrency import StaleEditFormMixin
from programme.models import (
    ChallengeCategory,
    EligibilityRule,
    Enrolment,
    Phase,
    Post,
    Region,
    School,
    StaffMembership,
)
from programme.selectors import enrolable_participants
from ui.limits import NOTE_MAX, LimitedText


class PersonChoiceField(forms.ModelChoiceField):
    """People listed by name and email, since two people can share a name."""

    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


def people_with_role(role: str):
    return User.objects.filter(role_grants__role=role, is_active=True).distinct()


# --- Cohorts and their eligibility rules.

_YEAR = re.compile(r"^\d{4}$")


def _check_rule_value(kind: str, values: list[str]) -> str | None:
    """The problem with a rule's value, in words, or None when it is usable."""
    k = EligibilityRule.Kind
    if kind == k.QTS_YEAR_IN:
        wrong = [v for v in values if not _YEAR.match(v)]
        if wrong:
            return (
                "Enter years as four digits separated by commas, for example 2025,2026. "
                f"Not a year: {', '.join(wrong)}."
            )
    elif kind == k.REGION_IN:
        wrong = [v for v in values if v not in Region.values]
        if wrong:
            return f"Unknown region code: {', '.join(wrong)}. Use any of: {', '.join(Region.values)}."
    elif kind == k.POST_IN:
        wrong = [v for v in values if v not in Post.values]
        if wrong:
            return f"Unknown post code: {', '.join(wrong)}. Use any of: {', '.join(Post.values)}."
    elif kind == k.SCHOOL_CATEGORY_IN:
        # The eligibility rule compares category names ignoring case; so does this check.
        known = {name.casefold() for name in ChallengeCategory.objects.values_list("name", flat=True)}
        wrong = [v for v in values if v.casefold() not in known]
        if wrong:
            return f"No challenge category is called: {', '.join(wrong)}. Add it under Challenge categories first."
    elif kind == k.FSM_AT_LEAST:
        try:
            share = Decimal(values[0]) if len(values) == 1 else None
        except InvalidOperation:
            share = None
        if share is None or not 0 <= share <= 100:
            return "Enter one number from 0 to 100, for example 30 or 27.5."
    return None


class EligibilityRuleForm(WagtailAdminModelForm):
    class Meta:
        model = EligibilityRule
        fields = ["kind", "value"]

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if kind and value:
            values = [part.strip() for part in value.split(",") if part.strip()]
            problem = _check_rule_value(kind, values) if values else "Enter at least one value."
            if problem:
                self.add_error("value", problem)
            else:
                cleaned["value"] = ",".join(values)
        return cleaned


# --- Enrolments.


class EmailWithoutJavaScript:
    """Wagtail's chooser opens its list of people with JavaScript. Without it the leader types the
    invited participant's email instead, in a field that only a browser without JavaScript shows
    (inside <noscript>); EnrolmentCreateForm finds the person it names."""

    typed_email = ""

    def render_html(self, name, value_data, attrs):
        return format_html(
            '{}<noscript><label class="w-field__label" for="{}-email">Their email, since the list needs '
            'JavaScript</label><input type="email" name="{}" id="{}-email" value="{}" autocomplete="off">'
            "</noscript>",
            super().render_html(name, value_data, attrs),
            attrs["id"],
            f"{name}_email",
            attrs["id"],
            self.typed_email,
        )


class EnrolmentCreateForm(WagtailAdminModelForm):
    """Saved only through services.enrolment_create, which checks eligibility and timing."""

    participant = PersonChoiceField(
        queryset=User.objects.none(),
        help_text="Someone invited as a participant who is not enrolled now. Search by name or email.",
        error_messages={
            "invalid_choice": "Choose someone invited as a participant who has no active enrolment.",
            "required": "Choose the participant to enrol.",
        },
    )
    school = forms.ModelChoiceField(queryset=School.objects.all(), help_text="Where the participant teaches now.")

    class Meta:
        model = Enrolment
        fields = [
            "participant",
            "cohort",
            "school",
            "qts_awarded_on",
            "first_post_started_on",
            "programme_started_on",
            "backdated_reason",
            "post",
        ]
        widgets = {"backdated_reason": forms.Textarea(attrs={"rows": 3})}

    field_order = Meta.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, not at import: the chooser's widget and today's list of whom to enrol.
        participant = self.fields["participant"]
        participant.queryset = enrolable_participants()
        chooser = participant_chooser.widget_class
        participant.widget = type("ParticipantChooser", (EmailWithoutJavaScript, chooser), {})()
        email = self.data.get("participant_email", "").strip() if self.is_bound else ""
        if email and not self.data.get("participant"):
            participant.widget.typed_email = email
            found = participant.queryset.filter(email__iexact=email).values_list("pk", flat=True).first()
            self.data = self.data.copy()
            self.data["participant"] = "" if found is None else str(found)
            participant.error_messages["required"] = (
                f"No one invited as a participant and not enrolled now has the email {email}."
            )

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EnrolmentStatusForm(WagtailAdminModelForm):
    """Only the status changes here; a participant's periods change through the actions."""

    # The status the form was loaded with, so a change made meanwhile by someone else is not overwritten.
    status_was = forms.CharField(widget=forms.HiddenInput, max_length=20)

    class Meta:
        model = Enrolment
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status_was"].initial = self.instance.status


class SchoolMoveForm(forms.Form):
    new_school = forms.ModelChoiceField(queryset=School.objects.all())
    moves_on = forms.DateField(label="Starts at the new school on", widget=AdminDateInput)
    new_coach = PersonChoiceField(
        queryset=people_with_role(Role.COACH),
        required=False,
        help_text="Optional. A coach at the new school, from the same day. The old coach's assignment ends anyway.",
    )
    rule_fields = {"coach": "new_coach", "starts_on": "moves_on", "school": "new_school"}


class CoachChangeForm(forms.Form):
    coach = PersonChoiceField(queryset=people_with_role(Role.COACH))
    starts_on = forms.DateField(label="Coaches from", widget=AdminDateInput)
    partner_school = forms.ModelChoiceField(
        queryset=School.objects.all(),
        required=False,
        help_text="Only when the coach works at a partner school rather than the participant's own.",
    )


class TutorChangeForm(forms.Form):
    tutor = PersonChoiceField(queryset=people_with_role(Role.TUTOR))
    starts_on = forms.DateField(label="Tutor from", widget=AdminDateInput)


class PhaseProgressForm(forms.Form):
    to_phase = forms.ModelChoiceField(queryset=Phase.objects.all(), label="Progress to")
    note = LimitedText(
        NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Optional. Why, or on what evidence; kept with the phase history.",
    )
    rule_fields = {"current_phase": "to_phase"}


# --- Staff memberships.


class StaffMembershipStartForm(WagtailAdminModelForm):
    """Saved only through services.staff_membership_start, which refuses overlapping memberships and
    a role the person does not hold."""

    user = PersonChoiceField(
        queryset=User.objects.filter(role_grants__role__in=StaffMembership.StaffRole.values).distinct(),
        label="Member of staff",
    )

    class Meta:
        model = StaffMembership
        fields = ["user", "school", "role", "starts_on"]


class StaffMembershipEndForm(StaleEditFormMixin, WagtailAdminModelForm):
    """Ends a membership once; a period is never moved after it has ended."""

    class Meta:
        model = StaffMembership
        fields = ["ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ended_on = self.instance.ends_on
        self.fields["ends_on"].required = True
        self.fields["ends_on"].label = "Last day at the school"

    def clean_ends_on(self):
        if self.ended_on is not None:
            raise forms.ValidationError(f"This membership already ended on {self.ended_on:%d/%m/%Y}.")
        return self.cleaned_data["ends_on"]
