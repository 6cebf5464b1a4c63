"""The programme's structure in the CMS: phases, content areas with their topics, and frameworks of
professional standards. Phases and content areas are a fixed set (the rules count on three phases
and four areas), so leaders edit their wording but never add or delete them."""

from django import forms
from django.utils.text import capfirst
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from programme.models import ContentArea, Phase, StandardFramework


class FixedSetPolicy(ModelPermissionPolicy):
    """Wording may change; the set itself may not."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)


def uses_of(instance) -> int:
    """How many records point at this row, through any relation. Tagged records would silently
    lose the tag if it were deleted, and agreed records must never change in place."""
    # Ask each pointing model directly: related names may be hidden ("+"), so accessors can't be used.
    return sum(
        relation.related_model._default_manager.filter(**{relation.field.name: instance}).count()
        for relation in instance._meta.related_objects
    )


class KeepUsedRowsFormSet(BaseChildFormSet):
    """Inline rows (topics, standards) that records already use cannot be removed. Checked on the
    formset, because Django skips the validation of rows marked for deletion."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and (count := uses_of(form.instance)):
                name = capfirst(form.instance._meta.verbose_name)
                raise forms.ValidationError(
                    f"{name} “{form.instance}” is used by {count} record{'s' if count != 1 else ''} and cannot be "
                    "removed. Change its wording instead."
                )


class KeepUsedRowsPanel(InlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = KeepUsedRowsFormSet
        return options


class PhaseViewSet(ModelViewSet):
    model = Phase
    name = "programme_phases"
    icon = "list-ol"
    menu_label = "Phases"
    copy_view_enabled = False
    list_display = ["number", "name"]
    form_fields = ["name", "summary"]


class ContentAreaViewSet(ModelViewSet):
    model = ContentArea
    name = "programme_content_areas"
    icon = "table"
    menu_label = "Content areas"
    copy_view_enabled = False
    list_display = ["number", "name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("summary"),
        KeepUsedRowsPanel(
            "topics", heading="Topics", label="Topic", panels=[FieldPanel("name"), FieldPanel("sort_order")]
        ),
    ]


class RetireNotDeletePolicy(ModelPermissionPolicy):
    """A framework is retired (untick "is active"), never deleted, so records keep their tags."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)


class StandardFrameworkViewSet(ModelViewSet):
    model = StandardFramework
    name = "programme_standard_frameworks"
    icon = "doc-full"
    menu_label = "Professional standards"
    copy_view_enabled = False
    list_display = ["name", "short_name", "published", "is_active"]
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("published"),
        FieldPanel("is_active"),
        KeepUsedRowsPanel(
            "standards",
            heading="Standards",
            label="Standard",
            panels=[FieldPanel("part"), FieldPanel("code"), FieldPanel("title"), FieldPanel("sort_order")],
        ),
    ]


register_permission_policy(Phase, FixedSetPolicy(Phase))
register_permission_policy(ContentArea, FixedSetPolicy(ContentArea))
register_permission_policy(StandardFramework, RetireNotDeletePolicy(StandardFramework))
