"""PrivateFile: what every record that holds an uploaded file inherits."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from files import registry
from files.storage import private_storage, upload_to


class PrivateFile(models.Model):
    """A file judged by its content when uploaded (files.content), stored where no URL reaches
    it, and read only through files.views.download, which asks the access policy about the
    record. A concrete model says whose it is through the access protocol, which groups of kinds
    it accepts, and registers itself with files.registry.downloadable."""

    accepts: tuple[str, ...] = ("document", "image")

    file = models.FileField(storage=private_storage, upload_to=upload_to, max_length=200)
    name = models.CharField("file name", max_length=120, help_text="The name it is downloaded under.")
    content_type = models.CharField(max_length=100, help_text="The kind of file, sniffed from its content.")
    size = models.PositiveIntegerField(help_text="In bytes.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def download_url(self) -> str:
        return reverse("files:download", args=[registry.slug_of(type(self)), self.pk])
