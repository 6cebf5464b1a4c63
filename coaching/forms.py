"""Forms parse what was typed; the services decide whether it is allowed (coaching.services)."""

from django import forms

from coaching.models import ActionStep, DialogueLog, SessionKind, SessionSetting
from coaching.services import CoachingError, LogContent
from programme.models import ContentArea, Standard, Topic


class DateInput(forms.DateInput):
    """A native date picker: keyboard-friendly, and it works without JavaScript."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        # The error summary links to the first box.
        return f"{id_}_{index or 0}" if id_ else ""


class _IdsField(forms.TypedMultipleChoiceField):
    """Ticked ids. Whether each names a real content area, topic or standard is the service's check,
    so its message is the one people see."""

    widget = _Checkboxes

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value) -> bool:
        return True


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date, for example 27 3 2026."},
        **kwargs,
    )


_RECORD_HELP = {
    "discussed": "What you observed and talked about, and what the participant now understands differently.",
    "strengths": "What went well, and the participant's strengths to build on.",
    "pupil_outcomes": "What pupils' work, progress or behaviour shows, and how the participant's practice affected it.",
    "evidence_considered": "Data, pupils' work, reading or research you looked at together, and what you made of it.",
}


def apply_errors(form: forms.Form, error: CoachingError) -> None:
    """Put a service's messages beside the fields they are about."""
    for field, messages in error.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class DialogueLogForm(forms.Form):
    """The coach's record of a session. Fields are in the order a session is talked through."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    session_on = _date_field("Date of the session")
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        help_text="For example, 45.",
        error_messages={"invalid": "Enter the length as a whole number of minutes, for example 45."},
    )
    kind = forms.ChoiceField(label="Kind of session", choices=SessionKind.choices)
    setting = forms.ChoiceField(label="Where it happened", choices=SessionSetting.choices)
    focus = forms.CharField(label="Focus of the session", required=False, max_length=300)
    content_areas = _IdsField(label="Content areas")
    topics = _IdsField(label="Topics")
    standards = _IdsField(label="Standards")
    discussed = forms.CharField(
        label="What was observed and discussed", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    strengths = forms.CharField(label="Strengths", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    pupil_outcomes = forms.CharField(
        label="What pupils' outcomes show", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence_considered = forms.CharField(
        label="Evidence considered", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_session_on = _date_field("Date of the next session", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in _RECORD_HELP.items():
            self.fields[name].help_text = text
        self._areas = list(ContentArea.objects.all())
        self._topics = list(Topic.objects.select_related("content_area"))
        self._standards = list(Standard.objects.filter(framework__is_active=True).select_related("framework"))
        self.fields["content_areas"].choices = [(a.pk, str(a)) for a in self._areas]
        self.fields["topics"].choices = [(t.pk, t.name) for t in self._topics]
        self.fields["standards"].choices = [(s.pk, str(s)) for s in self._standards]

    @classmethod
    def initial_for(cls, log: DialogueLog) -> dict:
        data = {name: getattr(log, name) for name in cls.base_fields if hasattr(log, name)}
        data["content_areas"] = [a.pk for a in log.content_areas.all()]
        data["topics"] = [t.pk for t in log.topics.all()]
        data["standards"] = [s.pk for s in log.standards.all()]
        data["version"] = log.version
        return data

    def _ticked(self, name: str) -> set[str]:
        value = self[name].value() or []
        return {str(v) for v in value}

    def _groups(self, name: str, items, group_of, label_of) -> list[dict]:
        ticked = self._ticked(name)
        groups: list[dict] = []
        for index, item in enumerate(items):
            group = group_of(item)
            if not groups or groups[-1]["legend"] != group:
                groups.append({"legend": group, "options": []})
            groups[-1]["options"].append(
                {"value": item.pk, "label": label_of(item), "checked": str(item.pk) in ticked, "index": index}
            )
        return groups

    @property
    def content_area_groups(self) -> list[dict]:
        return self._groups("content_areas", self._areas, lambda a: "", str)

    @property
    def topic_groups(self) -> list[dict]:
        return self._groups("topics", self._topics, lambda t: str(t.content_area), lambda t: t.name)

    @property
    def standard_groups(self) -> list[dict]:
        return self._groups("standards", self._standards, lambda s: s.framework.short_name, str)

    def content(self) -> LogContent:
        d = self.cleaned_data
        return LogContent(
            session_on=d["session_on"],
            duration_minutes=d["duration_minutes"],
            kind=d["kind"],
            setting=d["setting"],
            focus=d.get("focus", ""),
            discussed=d.get("discussed", ""),
            strengths=d.get("strengths", ""),
            pupil_outcomes=d.get("pupil_outcomes", ""),
            evidence_considered=d.get("evidence_considered", ""),
            next_session_on=d.get("next_session_on"),
            content_area_ids=tuple(d.get("content_areas", ())),
            topic_ids=tuple(d.get("topics", ())),
            standard_ids=tuple(d.get("standards", ())),
        )


class NewVersionForm(DialogueLogForm):
    reason = forms.CharField(
        label="Why are you changing the agreed log?",
        help_text="The participant and the tutor see this in the log's history.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RespondForm(forms.Form):
    """The participant's reflection, and their agreement or request for a change."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reflection = forms.CharField(
        label="Your reflection",
        help_text="What you took from the session, and what you will do next in your classroom.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    comment = forms.CharField(
        label="What should your coach change?",
        help_text="Only needed if you are asking for a change.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionStepForm(forms.Form):
    owner = forms.ChoiceField(label="Who will do it")
    description = forms.CharField(label="Action step", widget=forms.Textarea(attrs={"rows": 3}))
    due_on = _date_field("Due date")
    success_criteria = forms.CharField(
        label="How you will both know it is done",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, log: DialogueLog, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            (log.enrolment.participant_id, f"{log.enrolment.participant} (participant)"),
            (log.coach_id, f"{log.coach} (coach)"),
        ]


class ActionStepCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[(ActionStep.Status.DONE, "Done"), (ActionStep.Status.DROPPED, "Dropped")],
    )
    closing_note = forms.CharField(
        label="Note",
        help_text="What happened. Needed if the step was dropped.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label="Your private note",
        help_text="Only you will ever see this. Leave it empty to remove the note.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class TimelineFilterForm(forms.Form):
    """Narrow a timeline to one content area or standard, as a tutor gathering evidence would."""

    area = forms.ModelChoiceField(
        label="Content area", queryset=ContentArea.objects.all(), required=False, empty_label="Any content area"
    )
    standard = forms.ModelChoiceField(
        label="Standard",
        queryset=Standard.objects.filter(framework__is_active=True).select_related("framework"),
        required=False,
        empty_label="Any standard",
    )
