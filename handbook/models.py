"""Page types for the public site and the programme handbook, edited in the CMS."""

from django import forms
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from programme.models import ContentArea, Phase
from ui.limits import PAGE_MAX, RICH_TEXT_MAX, SHORT_TEXT_MAX


class HomePage(Page):
    intro = models.TextField(blank=True, max_length=SHORT_TEXT_MAX, help_text="One or two sentences under the title.")
    body = RichTextField(blank=True, max_length=PAGE_MAX)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["handbook.HandbookIndexPage", "handbook.ResourcePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific()
        return context


class HandbookIndexPage(Page):
    intro = RichTextField(blank=True, max_length=RICH_TEXT_MAX)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["handbook.HomePage"]
    subpage_types = ["handbook.PhasePage", "handbook.ContentAreaPage", "handbook.ResourcePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().public().specific()
        context["phase_pages"] = [p for p in children if isinstance(p, PhasePage)]
        context["area_pages"] = [p for p in children if isinstance(p, ContentAreaPage)]
        context["resource_pages"] = [p for p in children if isinstance(p, ResourcePage)]
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
