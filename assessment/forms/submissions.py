"""The submission builder: what the participant chose and wrote, kept as typed. Whether each choice
is allowed, and whether the commentary is within the word limit, is the service's check."""

import html
import re

from django import forms
from django.core.validators import MaxLengthValidator

from assessment.models import Submission, SubmissionItem
from assessment.selectors.feed_forward import FeedForward
from assessment.selectors.submissions import Choices
from assessment.services.submissions import SubmissionContent, feed_forward_field
from ui.limits import RICH_TEXT_MAX, SHORT_TEXT_MAX


class _Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return f"{id_}_{index or 0}" if id_ else ""  # the error summary links to the first box


class _Chosen(forms.MultipleChoiceField):
    """Ticked values, kept as posted; the service refuses any that is not in the builder's list."""

    widget = _Checkboxes

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def valid_value(self, value) -> bool:
        return True


def _ids(values) -> tuple[int, ...]:
    """Posted ids; one that is not a number names nothing and is refused by the service as not in
    the list (kept as -1, which no record has)."""
    return tuple(int(v) if str(v).isdigit() else -1 for v in values or ())


_PARAGRAPHS_ONLY = re.compile(r"^(?:</?p>|<br>|[^<])*$")


def as_typed(saved: str) -> str:
    """The commentary as the participant typed it: saved plain text became paragraphs and line
    breaks (coaching.richtext), which turn back into blank lines and new lines here, so the box shows
    no markup and the live count agrees with the server's. Other markup is left as it is."""
    if not saved.startswith("<p>") or not _PARAGRAPHS_ONLY.match(saved):
        return saved
    text = re.sub(r"</p>\s*<p>", "\n\n", saved).replace("<br>", "\n")
    return html.unescape(text.removeprefix("<p>").removesuffix("</p>"))


class SubmissionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    commentary = forms.CharField(
        label="Your commentary",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "govuk-js-character-count"}),
        validators=[MaxLengthValidator(RICH_TEXT_MAX, message=f"Keep the commentary to {RICH_TEXT_MAX:,} characters.")],
    )
    evidence = _Chosen(label="Evidence")
    reflections = _Chosen(label="Reflections")
    sections = _Chosen(label="Sections of your enquiries")
    logs = _Chosen(label="Agreed coaching sessions")

    feed_forward_marking = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, choices: Choices, word_limit: int | None, feed_forward: FeedForward | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.word_limit = word_limit
        self.feed_forward = feed_forward
        for number, _ in enumerate(feed_forward.points if feed_forward else (), start=1):
            self.fields[feed_forward_field(number)] = forms.CharField(
                label=f"How you addressed point {number}",
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                validators=[
                    MaxLengthValidator(SHORT_TEXT_MAX, message=f"Keep each answer to {SHORT_TEXT_MAX:,} characters.")
                ],
            )
        hint = "Say how the records you chose show your practice and your pupils' progress."
        if word_limit:
            hint += f" Up to {word_limit:,} words."
        self.fields["commentary"].help_text = hint + " Leave a blank line between paragraphs."

    def _groups(self, name: str, items, label_of, group_of=lambda item: "") -> list[dict]:
        ticked = {str(v) for v in (self[name].value() or [])}
        groups: list[dict] = []
        for index, (value, item) in enumerate(items):
            group = group_of(item)
            if not groups or groups[-1]["legend"] != group:
                groups.append({"legend": group, "options": []})
            groups[-1]["options"].append(
                {"value": value, "label": label_of(item), "checked": str(value) in ticked, "index": index}
            )
        return groups

    @property
    def evidence_groups(self) -> list[dict]:
        return self._groups(
            "evidence",
            [(e.pk, e) for e in self.choices.evidence],
            lambda e: f"{e.title} ({e.get_kind_display().lower()}, {e.relates_to:%-d %B %Y})",
        )

    @property
    def reflection_groups(self) -> list[dict]:
        return self._groups(
            "reflections",
            [(r.pk, r) for r in self.choices.reflections],
            lambda r: f"{r.title} ({r.written_on:%-d %B %Y})",
        )

    @property
    def section_groups(self) -> list[dict]:
        return self._groups(
            "sections",
            [(c.key, c) for c in self.choices.sections],
            lambda c: c.heading,
            group_of=lambda c: f"Enquiry: {c.enquiry.title}",
        )

    @property
    def log_groups(self) -> list[dict]:
        return self._groups("logs", [(log.pk, log) for log in self.choices.logs], str)

    @property
    def feed_forward_points(self) -> list[tuple[str, object]]:
        """Each point of the feed-forward with the field for its answer."""
        if self.feed_forward is None:
            return []
        return [
            (point, self[feed_forward_field(number)]) for number, point in enumerate(self.feed_forward.points, start=1)
        ]

    @classmethod
    def initial_for(cls, draft: Submission | None, feed_forward: FeedForward | None = None) -> dict:
        answers = {}
        if feed_forward is not None:
            answers["feed_forward_marking"] = feed_forward.marking.pk
            if draft is not None:
                answers |= {
                    feed_forward_field(answer.number): answer.response
                    for answer in draft.feed_forward_responses.all()
                    if answer.marking_id == feed_forward.marking.pk
                }
        if draft is None:
            return answers
        items = list(draft.items.all())
        kind = SubmissionItem.Kind  # noqa: N806
        return answers | {
            "version": draft.version,
            "commentary": as_typed(draft.commentary),
            "evidence": [i.evidence_id for i in items if i.kind == kind.EVIDENCE and i.evidence_id],
            "reflections": [i.reflection_id for i in items if i.kind == kind.REFLECTION and i.reflection_id],
            "sections": [
                f"{i.enquiry_id}:{i.section}" for i in items if i.kind == kind.ENQUIRY_SECTION and i.enquiry_id
            ],
            "logs": [i.log_id for i in items if i.kind == kind.DIALOGUE_LOG and i.log_id],
        }

    def content(self) -> SubmissionContent:
        d = self.cleaned_data
        return SubmissionContent(
            commentary=d.get("commentary") or "",
            evidence_ids=_ids(d.get("evidence")),
            reflection_ids=_ids(d.get("reflections")),
            section_keys=tuple(d.get("sections") or ()),
            log_ids=_ids(d.get("logs")),
            feed_forward=tuple(
                d.get(feed_forward_field(number)) or ""
                for number in range(1, len(self.feed_forward.points if self.feed_forward else ()) + 1)
            ),
            feed_forward_marking_id=d.get("feed_forward_marking"),
        )


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
