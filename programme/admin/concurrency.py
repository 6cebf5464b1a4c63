"""Two programme leaders editing one record in the CMS cannot silently overwrite each other.

The edit form carries, in a hidden field, the record's `updated_at` as the leader loaded it. When
the form is posted, the save is refused if the record has been saved since: the leader sees the
message, what they typed is kept, and nothing of theirs is written. The check is made twice, for
the same rule: when the form is validated (so the message comes with any other errors), and again
with the row locked just before saving (so two saves at the same moment cannot both pass).

To use it, the model needs `updated_at = models.DateTimeField(auto_now=True)` (a service saving
with `update_fields` must include it); then either

- a ModelViewSet built from `panels` mixes in StaleEditViewSetMixin, or
- the edit form mixes in StaleEditFormMixin and the edit view StaleEditViewMixin.
"""

from django import forms
from django.db import transaction
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import EditView

STALE_EDIT_MESSAGE = (
    "Someone else changed this record since you opened it; your changes have not been saved — reload to see theirs."
)
LOADED_FIELD = "loaded_updated_at"


def version_of(instance) -> str:
    """The version of a saved record, as the hidden field carries it."""
    return instance.updated_at.isoformat() if instance.updated_at else ""


class StaleEditFormMixin:
    """Adds the hidden field to an edit form, and refuses a form loaded before the last save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:  # creating a record has nothing to overwrite
            self.fields[LOADED_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=version_of(self.instance)
            )

    @property
    def checks_for_stale_edit(self) -> bool:
        return LOADED_FIELD in self.fields

    def loaded_version(self) -> str:
        """What the leader loaded. Read from the posted data, so a refused form keeps refusing
        until the leader reloads it; a form posted without it counts as stale."""
        return self.data.get(self.add_prefix(LOADED_FIELD), "")

    def changed_since_loaded(self, current: str) -> bool:
        return self.loaded_version() != current

    def clean(self):
        cleaned = super().clean()
        # self.instance was read from the database for this request, so this is its latest save.
        if self.checks_for_stale_edit and self.changed_since_loaded(version_of(self.instance)):
            self.add_error(None, STALE_EDIT_MESSAGE)
        return cleaned


class StaleEditForm(StaleEditFormMixin, WagtailAdminModelForm):
    """The base form for a panel-built edit form (ObjectList(..., base_form_class=StaleEditForm))."""


class StaleEditViewMixin:
    """For a Wagtail EditView whose form mixes in StaleEditFormMixin: locks the row, compares the
    version once more and only then saves, all in one transaction."""

    def form_valid(self, form):
        if not getattr(form, "checks_for_stale_edit", False):
            return super().form_valid(form)
        with transaction.atomic():
            model = type(self.object)
            current = model._default_manager.select_for_update().only("updated_at").get(pk=self.object.pk)
            if form.changed_since_loaded(version_of(current)):
                form.add_error(None, STALE_EDIT_MESSAGE)
                self.produced_error_message = self.get_error_message()
                return self.form_invalid(form)
            return super().form_valid(form)


class StaleEditView(StaleEditViewMixin, EditView):
    pass


class StaleEditViewSetMixin:
    """For a ModelViewSet whose form is built from `panels`."""

    edit_view_class = StaleEditView

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=StaleEditForm).bind_to_model(self.model)
