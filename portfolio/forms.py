"""Forms parse what was typed and keep it; the services decide whether it is allowed. Every text
field has a length limit, checked here so its message sits beside the field with the others."""

from django import forms
from django.core.validators import MaxLengthValidator, MinLengthValidator

from coaching.forms import DateInput
from files.forms import PrivateFileField
from portfolio import search, services
from portfolio.models import Enquiry, Evidence, EvidenceFile
from portfolio.selectors import LinkChoices
from programme.models import ContentArea, Phase, Standard, Topic


def _text(label: str, limit: int, what: str, *, required: str | None = None, rows: int | None = None, **kwargs):
    return forms.CharField(
        label=label,
        required=bool(required),
        strip=False,  # the service strips; the page keeps exactly what was typed
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        validators=[MaxLengthValidator(limit, message=f"Keep {what} to {limit:,} characters or fewer.")],
        error_messages={"required": required or ""},
        **kwargs,
    )


def _date(label: str, what: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date, for example 27 3 2026.", "required": f"Enter {what}."},
        **kwargs,
    )


class _Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return f"{id_}_{index or 0}" if id_ else ""  # the error summary links to the first box


class _Ids(forms.TypedMultipleChoiceField):
    """Ticked ids. Whether each names something the person may choose is the service's check."""

    widget = _Checkboxes

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value) -> bool:
        return True


class _Grouped(forms.Form):
    """Checkbox lists drawn as GOV.UK checkboxes in groups (coaching/includes/checkboxes.html)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def _groups(self, name: str, items, group_of=lambda item: "", label_of=str) -> list[dict]:
        ticked = {str(v) for v in (self[name].value() or [])}
        groups: list[dict] = []
        for index, item in enumerate(items):
            group = group_of(item)
            if not groups or groups[-1]["legend"] != group:
                groups.append({"legend": group, "options": []})
            groups[-1]["options"].append(
                {"value": item.pk, "label": label_of(item), "checked": str(item.pk) in ticked, "index": index}
            )
        return groups

    def _phase_choices(self) -> None:
        self.fields["phase"].choices = [("", "Choose a phase")] + [(p.pk, str(p)) for p in Phase.objects.all()]

    def _areas(self) -> None:
        self.areas = list(ContentArea.objects.all())
        self.fields["content_areas"].choices = [(a.pk, str(a)) for a in self.areas]

    @property
    def content_area_groups(self) -> list[dict]:
        return self._groups("content_areas", self.areas)

    def ids(self, name: str) -> tuple[int, ...]:
        return tuple(self.cleaned_data.get(name) or ())

    def phase_id(self) -> int | None:
        value = self.cleaned_data.get("phase")
        return int(value) if value else None


class _Links(_Grouped):
    """A record that links to the participant's evidence and agreed coaching sessions."""

    def _links(self, links: LinkChoices | None) -> None:
        self.links = links or LinkChoices(evidence=[], logs=[], action_steps=[])
        for name in ("evidence", "logs", "action_steps"):
            if name in self.fields:
                self.fields[name].choices = [(r.pk, str(r)) for r in getattr(self.links, name)]

    @property
    def evidence_groups(self) -> list[dict]:
        return self._groups("evidence", self.links.evidence, label_of=lambda e: f"{e.title} ({e.relates_to:%d/%m/%Y})")

    @property
    def log_groups(self) -> list[dict]:
        return self._groups("logs", self.links.logs)

    @property
    def action_step_groups(self) -> list[dict]:
        return self._groups(
            "action_steps",
            self.links.action_steps,
            group_of=lambda s: f"From the session on {s.log.session_on:%d/%m/%Y}",
        )


class EvidenceForm(_Links):
    kind = forms.ChoiceField(
        label="What kind of evidence is it?",
        choices=Evidence.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is something written, a link or a file."},
    )
    title = _text("Title", services.TITLE_LIMIT, "the title", required="Enter a title.")
    relates_to = _date(
        "The date it relates to",
        "the date it relates to",
        help_text="The lesson, the piece of work or the event it comes from.",
    )
    phase = forms.ChoiceField(label="Phase", error_messages={"required": "Choose the phase this belongs to."})
    content_areas = _Ids(label="Content areas", help_text="Choose at least one.")
    topics = _Ids(label="Topics")
    standards = _Ids(label="Standards")
    description = _text(
        "Description", services.SHORT_TEXT_LIMIT, "the description", rows=3, help_text="What it shows, in brief."
    )
    body = _text(
        "The written piece",
        services.RICH_TEXT_LIMIT,
        "the written piece",
        rows=10,
        help_text="For something written. Leave a blank line between paragraphs.",
    )
    url = _text("Link", services.URL_LIMIT, "the link", help_text="For a link: the full address, starting https://")
    file = PrivateFileField(
        accept=EvidenceFile.accepts,
        label="File",
        required=False,
        error_messages={"empty": "The file is empty. Choose the file again."},
    )
    anonymised = forms.BooleanField(
        label="No pupil can be identified from it: names, faces and other personal details are removed",
        required=False,
        help_text="Needed for something written or a file.",
    )
    logs = _Ids(label="Coaching sessions it relates to")

    def __init__(self, *args, links: LinkChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._phase_choices()
        self._areas()
        self._links(links)
        self.topics_list = list(Topic.objects.select_related("content_area"))
        self.standards_list = list(Standard.objects.filter(framework__is_active=True).select_related("framework"))
        self.fields["topics"].choices = [(t.pk, t.name) for t in self.topics_list]
        self.fields["standards"].choices = [(s.pk, str(s)) for s in self.standards_list]

    @property
    def topic_groups(self) -> list[dict]:
        return self._groups("topics", self.topics_list, lambda t: str(t.content_area), lambda t: t.name)

    @property
    def standard_groups(self) -> list[dict]:
        return self._groups("standards", self.standards_list, lambda s: s.framework.short_name)

    @classmethod
    def initial_for(cls, evidence: Evidence) -> dict:
        return {
            "version": evidence.version,
            "kind": evidence.kind,
            "title": evidence.title,
            "relates_to": evidence.relates_to,
            "phase": evidence.phase_id,
            "content_areas": [a.pk for a in evidence.content_areas.all()],
            "topics": [t.pk for t in evidence.topics.all()],
            "standards": [s.pk for s in evidence.standards.all()],
            "description": evidence.description,
            "body": evidence.body,
            "url": evidence.url,
            "anonymised": evidence.anonymised,
            "logs": [log.pk for log in evidence.logs.all()],
        }

    def content(self) -> services.EvidenceContent:
        d = self.cleaned_data
        return services.EvidenceContent(
            kind=d["kind"],
            title=d["title"],
            relates_to=d["relates_to"],
            phase_id=self.phase_id(),
            content_area_ids=self.ids("content_areas"),
            topic_ids=self.ids("topics"),
            standard_ids=self.ids("standards"),
            description=d.get("description", ""),
            body=d.get("body", ""),
            url=d.get("url", ""),
            anonymised=d.get("anonymised", False),
            log_ids=self.ids("logs"),
            upload=d.get("file") if d["kind"] == Evidence.Kind.FILE else None,
        )


class ReflectionForm(_Links):
    written_on = _date("Date", "the date")
    title = _text("Title", services.TITLE_LIMIT, "the title", required="Enter a title.")
    body = _text(
        "Your reflection",
        services.RICH_TEXT_LIMIT,
        "your reflection",
        required="Write your reflection.",
        rows=12,
        help_text="What happened, what you made of it, and what you will do differently. "
        "Leave a blank line between paragraphs.",
    )
    phase = forms.ChoiceField(label="Phase", error_messages={"required": "Choose the phase this belongs to."})
    content_areas = _Ids(label="Content areas")
    evidence = _Ids(label="Evidence it draws on")
    logs = _Ids(label="Coaching sessions it draws on")
    action_steps = _Ids(label="Action steps it draws on")

    def __init__(self, *args, links: LinkChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._phase_choices()
        self._areas()
        self._links(links)

    @classmethod
    def initial_for(cls, reflection) -> dict:
        return {
            "version": reflection.version,
            "written_on": reflection.written_on,
            "title": reflection.title,
            "body": reflection.body,
            "phase": reflection.phase_id,
            "content_areas": [a.pk for a in reflection.content_areas.all()],
            "evidence": [e.pk for e in reflection.evidence.all()],
            "logs": [log.pk for log in reflection.logs.all()],
            "action_steps": [s.pk for s in reflection.action_steps.all()],
        }

    def content(self) -> services.ReflectionContent:
        d = self.cleaned_data
        return services.ReflectionContent(
            written_on=d["written_on"],
            title=d["title"],
            body=d["body"],
            phase_id=self.phase_id(),
            content_area_ids=self.ids("content_areas"),
            evidence_ids=self.ids("evidence"),
            log_ids=self.ids("logs"),
            action_step_ids=self.ids("action_steps"),
        )


class EnquiryForm(_Grouped):
    title = _text(
        "Title",
        services.TITLE_LIMIT,
        "the title",
        required="Enter a title for your enquiry.",
        help_text="A few words that name what you are looking into.",
    )
    started_on = _date("Date started", "the date you started")
    phase = forms.ChoiceField(label="Phase", error_messages={"required": "Choose the phase this belongs to."})
    content_areas = _Ids(label="Content areas", help_text="Choose at least one.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._phase_choices()
        self._areas()

    @classmethod
    def initial_for(cls, enquiry: Enquiry) -> dict:
        return {
            "version": enquiry.version,
            "title": enquiry.title,
            "started_on": enquiry.started_on,
            "phase": enquiry.phase_id,
            "content_areas": [a.pk for a in enquiry.content_areas.all()],
        }

    def content(self) -> services.EnquiryContent:
        d = self.cleaned_data
        return services.EnquiryContent(
            title=d["title"],
            started_on=d["started_on"],
            phase_id=self.phase_id(),
            content_area_ids=self.ids("content_areas"),
        )


class SectionForm(_Links):
    """One section of an enquiry, what it cites, and for the ethics section the consent."""

    text = _text("", services.RICH_TEXT_LIMIT, "this section", rows=12)
    evidence = _Ids(label="Evidence this section cites")
    logs = _Ids(label="Coaching sessions this section cites")
    consent = forms.ChoiceField(
        label="Consent from pupils and parents",
        choices=Enquiry.Consent.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_record = _text(
        "How consent was recorded",
        services.SHORT_TEXT_LIMIT,
        "the consent record",
        rows=3,
        help_text="Who gave it, when, and where the signed forms are kept.",
    )

    def __init__(self, *args, section: str, heading: str, hint: str, links: LinkChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields["text"].label = heading
        self.fields["text"].help_text = f"{hint} Leave a blank line between paragraphs."
        if section != "ethics":
            del self.fields["consent"]
            del self.fields["consent_record"]
        self._links(links)

    @classmethod
    def initial_for(cls, enquiry: Enquiry, section: str) -> dict:
        cited = [c for c in enquiry.citations.all() if c.section == section]
        return {
            "version": enquiry.version,
            "text": getattr(enquiry, section),
            "evidence": [c.evidence_id for c in cited if c.evidence_id],
            "logs": [c.log_id for c in cited if c.log_id],
            "consent": enquiry.consent,
            "consent_record": enquiry.consent_record,
        }

    def content(self) -> services.SectionContent:
        d = self.cleaned_data
        return services.SectionContent(
            text=d.get("text", ""),
            evidence_ids=self.ids("evidence"),
            log_ids=self.ids("logs"),
            consent=d.get("consent") if self.section == "ethics" else None,
            consent_record=d.get("consent_record", ""),
        )


class FilterForm(forms.Form):
    """Show only one content area, or one phase (GET parameters, so it works without JavaScript)."""

    area = forms.ModelChoiceField(
        label="Content area", queryset=ContentArea.objects.all(), required=False, empty_label="All content areas"
    )
    phase = forms.ModelChoiceField(
        label="Phase", queryset=Phase.objects.all(), required=False, empty_label="All phases"
    )


class SearchForm(forms.Form):
    """What to search for, and where (GET parameters, so results can be bookmarked and it works
    without JavaScript). An empty search is no error: the page explains itself instead."""

    q = forms.CharField(
        label="Search for",
        help_text='Words to find. Put a phrase in quotes ("wait time"); put a minus before a word to leave it out.',
        required=False,
        validators=[
            MinLengthValidator(
                search.MIN_LENGTH, message=f"Enter at least {search.MIN_LENGTH} characters to search for."
            ),
            MaxLengthValidator(
                search.MAX_LENGTH, message=f"Keep your search to {search.MAX_LENGTH} characters or fewer."
            ),
        ],
    )
    kind = forms.ChoiceField(
        label="Kind of record",
        required=False,
        choices=[("", "Everything")] + [(s.key, s.label) for s in search.SEARCHED],
    )
    phase = forms.ModelChoiceField(
        label="Phase", queryset=Phase.objects.all(), required=False, empty_label="All phases"
    )
    area = forms.ModelChoiceField(
        label="Content area", queryset=ContentArea.objects.all(), required=False, empty_label="All content areas"
    )
    participant = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def filters(self) -> search.Filters:
        data = self.cleaned_data
        return search.Filters(
            kind=data.get("kind") or None,
            phase_id=data["phase"].pk if data.get("phase") else None,
            content_area_id=data["area"].pk if data.get("area") else None,
            enrolment_id=data.get("participant"),
        )
