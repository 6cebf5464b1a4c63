"""The research library's forms: the summary, the tutor's decision and the participant's consent."""

from django import forms

from portfolio import services
from portfolio.forms import _Grouped, _Ids, _text


class SummaryForm(_Grouped):
    title = _text("Title", services.TITLE_LIMIT, "the title", required="Enter a title.")
    summary = _text(
        "Summary",
        services.SHORT_TEXT_LIMIT,
        "the summary",
        required="Enter a summary of the research.",
        rows=4,
        help_text="What you set out to find out, and why, in a paragraph a colleague in another school would follow.",
    )
    findings = _text(
        "Findings",
        services.RICH_TEXT_LIMIT,
        "the findings",
        required="Enter what you found.",
        rows=8,
        help_text="What you found. Leave a blank line between paragraphs.",
    )
    implications = _text(
        "Implications for practice",
        services.RICH_TEXT_LIMIT,
        "the implications",
        required="Enter what it means for other teachers' practice.",
        rows=6,
        help_text="What other teachers could try, and what to watch for.",
    )
    content_areas = _Ids(label="Content areas", help_text="Choose at least one.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._areas()

    @classmethod
    def initial_from(cls, content: services.SummaryContent, *, version: int | None = None) -> dict:
        return {
            "title": content.title,
            "summary": content.summary,
            "findings": content.findings,
            "implications": content.implications,
            "content_areas": list(content.content_area_ids),
            "version": version,
        }

    def content(self) -> services.SummaryContent:
        data = self.cleaned_data
        return services.SummaryContent(
            title=data["title"],
            summary=data["summary"],
            findings=data["findings"],
            implications=data["implications"],
            content_area_ids=self.ids("content_areas"),
        )


class StepForm(forms.Form):
    """A step with nothing to type (send, withdraw): the version the page was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(StepForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve it for publishing"), ("return", "Return it with a comment")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the summary or return it."},
    )
    comment = _text(
        "Comment",
        services.SHORT_TEXT_LIMIT,
        "the comment",
        rows=4,
        help_text="Needed when you return it: say what to change before it is published.",
    )


class PublishForm(StepForm):
    no_pupil_data = forms.BooleanField(
        label="I confirm the summary names no pupil and holds none of their data",
        required=False,
        help_text="Nothing from which a pupil, a class or a family could be identified.",
    )
    consent = forms.BooleanField(
        label="I agree to this summary being published under my name in the research library",
        required=False,
        help_text="Anyone can read the library. You can withdraw the summary at any time.",
    )
