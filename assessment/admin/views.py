"""Views behind the assessment screens. Each save goes through assessment.services; a broken rule
comes back beside its field with what was typed, nothing saved."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin import messages
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from assessment.selectors.rubrics import latest_version, rubric_in_use
from assessment.services import extensions, rubrics, tasks
from ui.errors import RuleError, RuleErrorsMixin


class KeepHistoryPolicy(ModelPermissionPolicy):
    """Rubrics and extensions are never deleted: marked work and the trail refer to them."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)


# --- Rubrics.


class RubricCreateView(RuleErrorsMixin, CreateView):
    def save_instance(self):
        rubric = rubrics.rubric_create(content=self.form.content(), by=self.request.user)
        log(rubric, "wagtail.create", user=self.request.user)
        return rubric


class RubricEditView(RuleErrorsMixin, EditView):
    template_name = "assessment/admin/rubric_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = latest_version(self.object)
        context["latest"] = latest if latest.pk != self.object.pk else None
        context["in_use"] = rubric_in_use(self.object)
        return context

    def save_instance(self):
        self.edited = self.object
        rubric = rubrics.rubric_revise(rubric=self.object, content=self.form.content(), by=self.request.user)
        log(rubric, "wagtail.create" if rubric.pk != self.edited.pk else "wagtail.edit", user=self.request.user)
        return rubric

    def get_success_message(self):
        if self.object.pk == self.edited.pk:
            return f"{self.object} saved."
        return (
            f"{self.edited} is in use, so it is kept as it was and your changes were saved as version "
            f"{self.object.version}. Work marked against version {self.edited.version} keeps it."
        )


# --- Assessment tasks.


class TaskIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("cohort", "phase", "rubric")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("assessment.add_extension"):
            url = f"{reverse('assessment_extensions:add')}?task={instance.pk}"
            buttons.append(MenuItem("Grant an extension", url=url, icon_name="date", priority=40))
        # The leader's page for the task's marking: where it stands, and releasing its results.
        url = reverse("marking:task_release", kwargs={"pk": instance.pk})
        buttons.append(MenuItem("Marking and release of results", url=url, icon_name="tasks", priority=30))
        return buttons


class TaskCreateView(RuleErrorsMixin, CreateView):
    def save_instance(self):
        task = tasks.task_create(content=self.form.content(), by=self.request.user)
        log(task, "wagtail.create", user=self.request.user)
        return task


class TaskDeleteView(DeleteView):
    def form_valid(self, form):
        try:
            tasks.task_delete(task=self.object, by=self.request.user)
        except RuleError as error:
            messages.error(self.request, error.message)
            return redirect(reverse(self.edit_url_name, args=[self.object.pk]))
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class TaskEditView(RuleErrorsMixin, EditView):
    def save_instance(self):
        task = tasks.task_update(task=self.object, content=self.form.content(), by=self.request.user)
        log(task, "wagtail.edit", user=self.request.user)
        return task


# --- Extensions.


class ExtensionCreateView(RuleErrorsMixin, CreateView):
    def get_initial(self):
        # Opened from a task's "Grant an extension": that task, and its cohort's participants.
        initial = super().get_initial()
        if (task := self.request.GET.get("task", "")).isdigit():
            initial["task"] = int(task)
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        extension = extensions.extension_grant(
            enrolment=data["enrolment"],
            task=data["task"],
            due_on=data["due_on"],
            reason=data["reason"],
            by=self.request.user,
        )
        log(extension, "wagtail.create", user=self.request.user)
        return extension

    def get_success_message(self, instance):
        extension = instance
        return format_html(
            "{} has until {} for {}.",
            extension.enrolment.participant.get_full_name() or extension.enrolment.participant.email,
            f"{extension.due_on.day} {extension.due_on:%B %Y}",
            extension.task.title,
        )


class ExtensionEditView(RuleErrorsMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        extension = extensions.extension_grant(
            enrolment=self.object.enrolment,
            task=self.object.task,
            due_on=data["due_on"],
            reason=data["reason"],
            by=self.request.user,
        )
        log(extension, "wagtail.edit", user=self.request.user)
        return extension
