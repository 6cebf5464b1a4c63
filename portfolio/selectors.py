"""Reads of the portfolio for a viewer, each record judged by the access policy, in a fixed number
of queries however many records there are."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from coaching.models import ActionStep, AgreementStatus, DialogueLog
from portfolio.models import Enquiry, EnquiryCitation, Evidence, Reflection
from programme import access
from programme.access import Action
from programme.models import Enrolment

PAGE_SIZE = 10


def _evidence() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("phase").prefetch_related("content_areas", "topics", "standards")


def _reflections() -> QuerySet[Reflection]:
    return Reflection.objects.select_related("phase").prefetch_related("content_areas")


def _enquiries() -> QuerySet[Enquiry]:
    return Enquiry.objects.select_related("phase").prefetch_related("content_areas")


def _readable_ids(user, records: QuerySet, date_field: str) -> list[int]:
    """The ids, in order, of the records the person may read: judged on a light copy of each row."""
    light = records.select_related(None).prefetch_related(None).only("pk", "enrolment_id", date_field)
    return [record.pk for record, actions in access.judge(user, light) if Action.VIEW in actions]


def _page(user, records: QuerySet, date_field: str, number) -> Page:
    """One page of the readable records, with their tags fetched for that page alone."""
    page = Paginator(_readable_ids(user, records, date_field), PAGE_SIZE).get_page(number)
    found = {record.pk: record for record in records.filter(pk__in=list(page.object_list))}
    page.object_list = [found[pk] for pk in page.object_list]
    return page


@dataclass
class Portfolio:
    evidence: Page
    reflections: Page
    enquiries: Page


def portfolio(
    user,
    enrolment: Enrolment,
    *,
    content_area_id: int | None = None,
    phase_id: int | None = None,
    pages: dict[str, str | None] | None = None,
) -> Portfolio:
    """A participant's evidence, reflections and enquiries that this person may read, newest first,
    a page of each, optionally only those of one content area or one phase."""
    pages = pages or {}
    lists = {"evidence": _evidence(), "reflections": _reflections(), "enquiries": _enquiries()}
    dates = {"evidence": "relates_to", "reflections": "written_on", "enquiries": "started_on"}
    found = {}
    for name, records in lists.items():
        records = records.filter(enrolment=enrolment)
        if content_area_id is not None:
            records = records.filter(content_areas=content_area_id)
        if phase_id is not None:
            records = records.filter(phase=phase_id)
        found[name] = _page(user, records, dates[name], pages.get(name))
    return Portfolio(**found)


# --- One record, and what it links to.


def evidence_detail(pk: int) -> Evidence | None:
    return (
        _evidence()
        .select_related("enrolment__participant")
        .prefetch_related(
            "logs",
            "files",
            Prefetch("reflections", queryset=Reflection.objects.order_by("-written_on")),
        )
        .filter(pk=pk)
        .first()
    )


def reflection_detail(pk: int) -> Reflection | None:
    return (
        _reflections()
        .select_related("enrolment__participant")
        .prefetch_related(
            "evidence", "logs", Prefetch("action_steps", queryset=ActionStep.objects.select_related("log"))
        )
        .filter(pk=pk)
        .first()
    )


def enquiry_detail(pk: int) -> Enquiry | None:
    citations = EnquiryCitation.objects.select_related("evidence", "log")
    return (
        _enquiries()
        .select_related("enrolment__participant")
        .prefetch_related(Prefetch("citations", queryset=citations))
        .filter(pk=pk)
        .first()
    )


def visible(user, records) -> list:
    """Of records linked from a page, those this person may read (a coach reads the evidence a
    reflection links to; a tutor may not read a log that is not theirs to see)."""
    return [record for record, actions in access.judge(user, records) if Action.VIEW in actions]


@dataclass
class Section:
    name: str
    heading: str
    hint: str
    text: str
    evidence: list[Evidence]
    logs: list[DialogueLog]


def sections(user, enquiry: Enquiry) -> list[Section]:
    """The enquiry's sections in order, each with the records it cites that this person may read."""
    cited = list(enquiry.citations.all())
    readable_evidence = {e.pk for e in visible(user, [c.evidence for c in cited if c.evidence])}
    readable_logs = {log.pk for log in visible(user, [c.log for c in cited if c.log])}
    by_section: dict[str, list[EnquiryCitation]] = defaultdict(list)
    for citation in cited:
        by_section[citation.section].append(citation)
    return [
        Section(
            name=name,
            heading=heading,
            hint=hint,
            text=getattr(enquiry, name),
            evidence=[c.evidence for c in by_section[name] if c.evidence_id in readable_evidence],
            logs=[c.log for c in by_section[name] if c.log_id in readable_logs],
        )
        for name, heading, hint in Enquiry.SECTIONS
    ]


# --- What a record may link to: the writer's choices.


@dataclass
class LinkChoices:
    evidence: list[Evidence]
    logs: list[DialogueLog]
    action_steps: list[ActionStep]


def link_choices(user, enrolment: Enrolment) -> LinkChoices:
    """The participant's evidence, agreed logs and the action steps agreed in them that this person
    may read: what a reflection or an enquiry section may link to."""
    logs = DialogueLog.objects.filter(enrolment=enrolment, status=AgreementStatus.AGREED).order_by("-session_on", "-pk")
    steps = (
        ActionStep.objects.filter(enrolment=enrolment, log__status=AgreementStatus.AGREED)
        .select_related("log")
        .order_by("-log__session_on", "due_on", "pk")
    )
    evidence = Evidence.objects.filter(enrolment=enrolment).order_by("-relates_to", "-pk")
    return LinkChoices(evidence=visible(user, evidence), logs=visible(user, logs), action_steps=visible(user, steps))


# --- Links the other way: what cites an agreed dialogue log.


@dataclass
class Citing:
    evidence: list[Evidence]
    reflections: list[Reflection]
    enquiry_sections: list[tuple[Enquiry, str]]  # the enquiry and the heading of the section

    def __bool__(self) -> bool:
        return bool(self.evidence or self.reflections or self.enquiry_sections)


def citing(user, log: DialogueLog) -> Citing:
    """The evidence, reflections and enquiry sections that cite this log, those this person may
    read (whoever reads the log and the record citing it sees the link)."""
    evidence = visible(user, Evidence.objects.filter(logs=log).order_by("-relates_to", "-pk"))
    reflections = visible(user, Reflection.objects.filter(logs=log).order_by("-written_on", "-pk"))
    citations = visible(
        user, EnquiryCitation.objects.filter(log=log).select_related("enquiry").order_by("enquiry_id", "pk")
    )
    headings = {name: heading for name, heading, _ in Enquiry.SECTIONS}
    return Citing(
        evidence=evidence,
        reflections=reflections,
        enquiry_sections=[(c.enquiry, headings[c.section]) for c in citations],
    )
