"""Page types for the public site and the programme handbook, edited in the CMS."""

from django import forms
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from programme.models import ContentArea, Phase, Topic
from ui.limits import PAGE_MAX, RICH_TEXT_MAX, SHORT_TEXT_MAX


class HomePage(Page):
    intro = models.TextField(blank=True, max_length=SHORT_TEXT_MAX, help_text="One or two sentences under the title.")
    body = RichTextField(blank=True, max_length=PAGE_MAX)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["handbook.HandbookIndexPage", "handbook.ResourcePage", "handbook.LibraryIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific()
        return context


class HandbookIndexPage(Page):
    intro = RichTextField(blank=True, max_length=RICH_TEXT_MAX)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["handbook.HomePage"]
    subpage_types = [
        "handbook.PhasePage",
        "handbook.ContentAreaPage",
        "handbook.ResourcePage",
        "handbook.DialogueGuideIndexPage",
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().public().specific()
        context["phase_pages"] = [p for p in children if isinstance(p, PhasePage)]
        context["area_pages"] = [p for p in children if isinstance(p, ContentAreaPage)]
        context["resource_pages"] = [p for p in children if isinstance(p, ResourcePage)]
        context["guide_indexes"] = [p for p in children if isinstance(p, DialogueGuideIndexPage)]
        return context


class PhasePage(Page):
    phase = models.OneToOneField(Phase, on_delete=models.PROTECT, related_name="handbook_page")
    summary = models.TextField(max_length=SHORT_TEXT_MAX, help_text="Shown in lists of phases.")
    body = RichTextField(blank=True, max_length=PAGE_MAX)

    content_panels = [*Page.content_panels, FieldPanel("phase"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["handbook.HandbookIndexPage"]
    subpage_types: list[str] = []


class ContentAreaPage(Page):
    content_area = models.OneToOneField(ContentArea, on_delete=models.PROTECT, related_name="handbook_page")
    summary = models.TextField(max_length=SHORT_TEXT_MAX, help_text="Shown in lists of content areas.")
    body = RichTextField(blank=True, max_length=PAGE_MAX)

    content_panels = [*Page.content_panels, FieldPanel("content_area"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["handbook.HandbookIndexPage"]
    subpage_types = ["handbook.ResourcePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = self.content_area.topics.all()
        context["resources"] = self.get_children().live().public().specific()
        return context


class ResourcePage(Page):
    """A reading, a tool or a dialogue prompt: why it matters, questions to ask, what to do next."""

    summary = models.TextField(max_length=SHORT_TEXT_MAX)
    why_it_matters = RichTextField(blank=True, max_length=RICH_TEXT_MAX)
    key_questions = RichTextField(blank=True, max_length=RICH_TEXT_MAX)
    body = RichTextField(blank=True, max_length=PAGE_MAX)
    # Parental, so revisions, previews and reverts keep the tagging.
    content_areas = ParentalManyToManyField(ContentArea, blank=True, related_name="+")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("why_it_matters"),
        FieldPanel("key_questions"),
        FieldPanel("body"),
        FieldPanel("content_areas", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["handbook.HomePage", "handbook.HandbookIndexPage", "handbook.ContentAreaPage"]
    subpage_types: list[str] = []


# --- Dialogue guides: what a coach takes into a session.


def _chosen_areas(request) -> list[int]:
    """The content areas asked for by `?area=` (several allowed); anything else is ignored."""
    return sorted({int(v) for v in request.GET.getlist("area") if v.isdigit()})


class DialogueGuideIndexPage(Page):
    """The coaching dialogue guides, filtered by content area (`?area=1&area=3`, so the "record a
    session" form can link to the guides for the areas in play)."""

    intro = RichTextField(blank=True, max_length=RICH_TEXT_MAX)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["handbook.HandbookIndexPage"]
    subpage_types = ["handbook.DialogueGuidePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chosen = _chosen_areas(request)
        guides = DialogueGuidePage.objects.child_of(self).live().public().prefetch_related("content_areas")
        if chosen:
            guides = guides.filter(content_areas__in=chosen).distinct()
        context["guides"] = guides.order_by("title")
        context["areas"] = [(area, area.pk in chosen) for area in ContentArea.objects.all()]
        context["filtered"] = bool(chosen)
        return context


class DialogueGuidePage(Page):
    """A guide for one coaching conversation: its topic, why it matters, the questions to ask, a
    short discussion to start from and what to act on afterwards. A dialogue log names the guide a
    session used; the page lists those sessions to whoever may read them (the policy decides)."""

    summary = models.TextField("topic", max_length=SHORT_TEXT_MAX, help_text="The topic in a sentence or two.")
    why_it_matters = RichTextField(max_length=RICH_TEXT_MAX)
    key_questions = RichTextField("key questions to ask", max_length=RICH_TEXT_MAX)
    discussion = RichTextField("a short discussion", max_length=RICH_TEXT_MAX)
    resources = RichTextField("resources to act on", blank=True, max_length=RICH_TEXT_MAX)
    content_areas = ParentalManyToManyField(ContentArea, blank=True, related_name="+")
    topics = ParentalManyToManyField(Topic, blank=True, related_name="+")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("why_it_matters"),
        FieldPanel("key_questions"),
        FieldPanel("discussion"),
        FieldPanel("resources"),
        FieldPanel("content_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("why_it_matters"),
        index.SearchField("key_questions"),
        index.SearchField("discussion"),
    ]
    parent_page_types = ["handbook.DialogueGuideIndexPage"]
    subpage_types: list[str] = []

    def get_context(self, request, *args, **kwargs):
        from handbook.guides import sessions_using

        context = super().get_context(request, *args, **kwargs)
        context["sessions"] = sessions_using(request, self)
        return context


# --- The research library: what participants publish from their phase 3 enquiries (journey 7).


class LibraryIndexPage(Page):
    """The provider's research library: its summaries, searched and filtered by content area, a
    page at a time. Made on first use by handbook.library.library_index, so a fresh site has it."""

    intro = RichTextField(blank=True, max_length=RICH_TEXT_MAX)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["handbook.HomePage", "wagtailcore.Page"]
    subpage_types = ["handbook.LibraryPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from handbook.library import search

        context = super().get_context(request, *args, **kwargs)
        context.update(search(self, request))
        return context


class LibraryPage(Page):
    """One participant's research summary, published with their consent once their tutor approved
    it. It holds no pupil data (the participant confirms so). Made, published and unpublished by
    portfolio.services.library through Wagtail's revisions; the participant can withdraw it."""

    author_name = models.CharField("by", max_length=200)
    summary = models.TextField(max_length=SHORT_TEXT_MAX)
    findings = RichTextField(max_length=RICH_TEXT_MAX)
    implications = RichTextField("implications for practice", max_length=RICH_TEXT_MAX)
    content_areas = ParentalManyToManyField(ContentArea, blank=True, related_name="+")

    content_panels = [
        *Page.content_panels,
        FieldPanel("author_name"),
        FieldPanel("summary"),
        FieldPanel("findings"),
        FieldPanel("implications"),
        FieldPanel("content_areas", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("findings"),
        index.SearchField("implications"),
        index.SearchField("author_name"),
    ]
    parent_page_types = ["handbook.LibraryIndexPage"]
    subpage_types: list[str] = []
