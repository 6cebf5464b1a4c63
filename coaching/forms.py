"""Forms parse what was typed; the services decide whether it is allowed (coaching.services)."""

from django import forms

from coaching.models import (
    ActionStep,
    DiagnosisEvidence,
    DialogueLog,
    InitialDiagnosis,
    LearningGoal,
    LearningOpportunity,
    LearningPlan,
    ReminderKind,
    SessionKind,
    SessionRecord,
    SessionSetting,
)
from coaching.services import DiagnosisContent, GoalInput, LogContent, NeedInput
from files.forms import PrivateFileField
from handbook.models import DialogueGuidePage
from programme.models import ContentArea, Phase, Standard, Topic
from ui.errors import RuleError
from ui.limits import NOTE_MAX, RICH_TEXT_MAX, SHORT_TEXT_MAX, LimitedText
from ui.widgets import QuickModelChoiceField


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


def _date_field(label: str, *, error_messages: dict | None = None, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date, for example 27 3 2026.", **(error_messages or {})},
        **kwargs,
    )


_RECORD_HELP = {
    "discussed": "What you observed and talked about, and what the participant now understands differently.",
    "strengths": "What went well, and the participant's strengths to build on.",
    "pupil_outcomes": "What pupils' work, progress or behaviour shows, and how the participant's practice affected it.",
    "evidence_considered": "Data, pupils' work, reading or research you looked at together, and what you made of it.",
}


class DialogueLogForm(forms.Form):
    """The coach's record of a session. Fields are in the order a session is talked through."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    session_on = _date_field("Date of the session", error_messages={"required": "Enter the date of the session."})
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        help_text="For example, 45.",
        error_messages={
            "invalid": "Enter the length as a whole number of minutes, for example 45.",
            "required": "Enter how long the session lasted, in minutes.",
        },
    )
    kind = forms.ChoiceField(label="Kind of session", choices=SessionKind.choices)
    setting = forms.ChoiceField(label="Where it happened", choices=SessionSetting.choices)
    focus = LimitedText(300, label="Focus of the session", required=False)
    content_areas = _IdsField(label="Content areas")
    topics = _IdsField(label="Topics")
    standards = _IdsField(label="Standards")
    guide = forms.TypedChoiceField(
        label="Dialogue guide used",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The handbook's guide for coaching conversations that the session followed, if any.",
    )
    discussed = LimitedText(
        RICH_TEXT_MAX, label="What was observed and discussed", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    strengths = LimitedText(RICH_TEXT_MAX, label="Strengths", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    pupil_outcomes = LimitedText(
        RICH_TEXT_MAX, label="What pupils' outcomes show", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence_considered = LimitedText(
        RICH_TEXT_MAX, label="Evidence considered", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_session_on = _date_field(
        "Date of the next session",
        required=False,
        help_text="You and the participant are each emailed a calendar invitation, and an update if it moves.",
    )
    next_session_at = forms.TimeField(
        label="Time of the next session (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="For example, 15:30. Leave it empty for an all-day entry.",
        error_messages={"invalid": "Enter a time on the 24-hour clock, for example 15:30."},
    )
    next_session_minutes = forms.IntegerField(
        label="Planned length in minutes (optional)",
        required=False,
        help_text="For example, 45.",
        error_messages={"invalid": "Enter the length as a whole number of minutes, for example 45."},
    )

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
        self.fields["guide"].choices = [("", "None")] + [
            (g.pk, g.title) for g in DialogueGuidePage.objects.live().order_by("title").only("pk", "title")
        ]

    @classmethod
    def initial_for(cls, log: DialogueLog) -> dict:
        data = {name: getattr(log, name) for name in cls.base_fields if hasattr(log, name)}
        data["content_areas"] = [a.pk for a in log.content_areas.all()]
        data["topics"] = [t.pk for t in log.topics.all()]
        data["standards"] = [s.pk for s in log.standards.all()]
        data["guide"] = log.guide_id
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
            **{name: d[name] for name in SessionRecord.CONTENT_FIELDS if d.get(name) is not None},
            content_area_ids=tuple(d.get("content_areas", ())),
            topic_ids=tuple(d.get("topics", ())),
            standard_ids=tuple(d.get("standards", ())),
            guide_id=d.get("guide"),
        )


class NewVersionForm(DialogueLogForm):
    reason = LimitedText(
        SHORT_TEXT_MAX,
        label="Why are you changing the agreed log?",
        help_text="The participant and the tutor see this in the log's history.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RespondForm(forms.Form):
    """The participant's reflection, and their agreement or request for a change."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reflection = LimitedText(
        RICH_TEXT_MAX,
        label="Your reflection",
        help_text="What you took from the session, and what you will do next in your classroom.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    comment = LimitedText(
        SHORT_TEXT_MAX,
        label="What should your coach change?",
        help_text="Only needed if you are asking for a change.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionStepForm(forms.Form):
    owner = forms.ChoiceField(label="Who will do it")
    description = LimitedText(
        SHORT_TEXT_MAX,
        label="Action step",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the action step."},
    )
    due_on = _date_field("Due date", error_messages={"required": "Enter the date the step is due."})
    success_criteria = LimitedText(
        SHORT_TEXT_MAX,
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
    closing_note = LimitedText(
        SHORT_TEXT_MAX,
        label="Note",
        help_text="What happened. Needed if the step was dropped.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PrivateNoteForm(forms.Form):
    text = LimitedText(
        NOTE_MAX,
        label="Your private note",
        help_text="Only you will ever see this. Leave it empty to remove the note.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ParticipantSearchForm(forms.Form):
    """Find a participant in a long list by name (a GET form: it works without JavaScript)."""

    name = forms.CharField(
        label="Search by name",
        help_text="Part of the participant's first or last name.",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search for 100 characters or fewer."},
    )


class TimelineFilterForm(forms.Form):
    """Narrow a timeline to one content area or standard, as a tutor gathering evidence would."""

    area = QuickModelChoiceField(
        label="Content area",
        queryset=ContentArea.objects.all(),
        required=False,
        empty_label="Any content area",
    )
    standard = QuickModelChoiceField(
        label="Standard",
        queryset=Standard.objects.filter(framework__is_active=True).select_related("framework"),
        required=False,
        empty_label="Any standard",
    )


class DiagnosisForm(forms.Form):
    """The initial diagnosis: what induction and performance management showed, and the
    participant's needs in each content area, with the standards they relate to."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_on = _date_field(
        "Date of the diagnosis meeting", error_messages={"required": "Enter the date of the diagnosis meeting."}
    )
    induction_outcomes = LimitedText(
        NOTE_MAX,
        label="What induction showed",
        help_text="Strengths and areas to develop from the participant's induction.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    performance_management_outcomes = LimitedText(
        NOTE_MAX,
        label="What performance management showed",
        help_text="Objectives and outcomes the participant chose to bring.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    summary = LimitedText(NOTE_MAX, label="Summary of needs", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(ContentArea.objects.all())
        self._standards = list(Standard.objects.filter(framework__is_active=True).select_related("framework"))
        for area in self.areas:
            self.fields[f"need_{area.pk}"] = LimitedText(
                SHORT_TEXT_MAX, label=f"Needs in {area}", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"standards_{area.pk}"] = _IdsField(label=f"Standards for {area.short_name}")
            self.fields[f"standards_{area.pk}"].choices = [(s.pk, str(s)) for s in self._standards]

    @classmethod
    def initial_for(cls, diagnosis: InitialDiagnosis) -> dict:
        data = {
            "version": diagnosis.version,
            "held_on": diagnosis.held_on,
            "induction_outcomes": diagnosis.induction_outcomes,
            "performance_management_outcomes": diagnosis.performance_management_outcomes,
            "summary": diagnosis.summary,
        }
        for need in diagnosis.needs.all():
            data[f"need_{need.content_area_id}"] = need.description
            data[f"standards_{need.content_area_id}"] = [s.pk for s in need.standards.all()]
        return data

    @property
    def area_fields(self) -> list[dict]:
        rows = []
        for area in self.areas:
            boxes = self[f"standards_{area.pk}"]
            ticked = {str(v) for v in (boxes.value() or [])}
            rows.append(
                {
                    "area": area,
                    "need": self[f"need_{area.pk}"],
                    "standards": boxes,
                    "groups": [
                        {
                            "legend": "",
                            "options": [
                                {"value": s.pk, "label": str(s), "checked": str(s.pk) in ticked, "index": i}
                                for i, s in enumerate(self._standards)
                            ],
                        }
                    ],
                }
            )
        return rows

    def content(self) -> DiagnosisContent:
        d = self.cleaned_data
        return DiagnosisContent(
            held_on=d["held_on"],
            induction_outcomes=d["induction_outcomes"],
            performance_management_outcomes=d["performance_management_outcomes"],
            summary=d["summary"],
            needs=tuple(
                NeedInput(
                    content_area_id=area.pk,
                    description=d[f"need_{area.pk}"],
                    standard_ids=tuple(d[f"standards_{area.pk}"]),
                )
                for area in self.areas
                if d[f"need_{area.pk}"].strip()
            ),
        )


class DiagnosisRespondForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = LimitedText(
        SHORT_TEXT_MAX,
        label="What should your coach change?",
        help_text="Only needed if you are asking for a change.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GoalForm(forms.Form):
    content_area = forms.ModelChoiceField(label="Content area", queryset=ContentArea.objects.all())
    goal = LimitedText(
        SHORT_TEXT_MAX,
        label="Goal",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the goal."},
    )
    target_on = _date_field("Target date", error_messages={"required": "Enter the target date."})

    def goal_input(self) -> GoalInput:
        d = self.cleaned_data
        return GoalInput(content_area_id=d["content_area"].pk, goal=d["goal"], target_on=d["target_on"])


class PlanReviewForm(forms.Form):
    """Revisit the plan at the start of a phase: where each goal stands, and perhaps a new one."""

    phase = forms.ModelChoiceField(label="The phase starting", queryset=Phase.objects.all())
    reviewed_on = _date_field("Date of the review", error_messages={"required": "Enter the date of the review."})
    note = LimitedText(NOTE_MAX, label="What you agreed", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    new_content_area = forms.ModelChoiceField(
        label="Content area of a new goal", queryset=ContentArea.objects.all(), required=False
    )
    new_goal = LimitedText(SHORT_TEXT_MAX, label="New goal", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    new_target_on = _date_field("Target date of the new goal", required=False)

    def __init__(self, *args, plan: LearningPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(plan.goals.select_related("content_area"))
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=f"{goal.content_area.short_name}: {goal.goal}",
                choices=LearningGoal.Status.choices,
                initial=goal.status,
            )

    @property
    def goal_fields(self):
        return [self[f"goal_{goal.pk}"] for goal in self.goals]

    def goal_statuses(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}

    def new_goals(self) -> tuple[GoalInput, ...]:
        d = self.cleaned_data
        if not (d.get("new_goal") or "").strip():
            return ()
        if d.get("new_content_area") is None or d.get("new_target_on") is None:
            raise RuleError(
                {
                    "new_content_area" if d.get("new_content_area") is None else "new_target_on": [
                        "Give the new goal a content area and a target date."
                    ]
                }
            )
        return (GoalInput(content_area_id=d["new_content_area"].pk, goal=d["new_goal"], target_on=d["new_target_on"]),)


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of opportunity", choices=LearningOpportunity.Kind.choices)
    description = LimitedText(
        SHORT_TEXT_MAX,
        label="What is arranged",
        help_text="Whom the participant will observe or work with, where, and what they will look for.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the opportunity: who, where and what for."},
    )
    happens_on = _date_field("Date", error_messages={"required": "Enter the date of the opportunity."})


class OpportunityLearningForm(forms.Form):
    what_was_learned = LimitedText(
        NOTE_MAX,
        label="What was learned",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what was learned."},
    )
    # Filled by the view with the sessions the access policy lets this person read (access.permitted):
    # a draft they may not open is neither offered nor accepted.
    log = forms.ModelChoiceField(
        label="The session where you discussed it",
        queryset=DialogueLog.objects.none(),
        required=False,
        empty_label="Not discussed in a session yet",
        error_messages={"invalid_choice": "Choose one of the sessions in the list."},
    )

    def __init__(self, *args, logs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["log"].queryset = logs


class ReminderPreferencesForm(forms.Form):
    """Each kind of coaching email, ticked while it is on."""

    wanted = forms.MultipleChoiceField(
        label="Send me",
        choices=ReminderKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick an email to stop it. Each kind goes only to the people it names.",
    )

    def turned_off(self) -> set[str]:
        return set(ReminderKind.values) - set(self.cleaned_data["wanted"])


class EvidenceUploadForm(forms.Form):
    """A file of evidence for the initial diagnosis. Its content is checked by the service."""

    file = PrivateFileField(
        accept=DiagnosisEvidence.accepts,
        label="File",
        error_messages={"required": "Choose a file to attach.", "empty": "The file is empty. Choose the file again."},
    )
