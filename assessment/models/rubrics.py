"""Rubrics: criteria judged against grade bands, each criterion with a descriptor per band.

A rubric in use is never changed in place: `assessment.services.rubrics.rubric_revise` makes the
next version (`previous` points back), so marked work keeps the version it was marked against."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from ui.limits import NOTE_MAX, SHORT_TEXT_MAX

# The UK bands, highest first: (name, lowest mark in the band, whether it passes).
UK_BANDS = (("Distinction", 70, True), ("Merit", 60, True), ("Pass", 50, True), ("Fail", 0, False))


class Rubric(ClusterableModel):
    name = models.CharField(max_length=200)
    version = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        help_text="The version this one replaces.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="rubric_name_version_unique"),
            # One line of versions: two leaders revising the same version at once cannot fork it.
            models.UniqueConstraint(fields=["previous"], name="rubric_one_next_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class GradeBand(Orderable):
    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(max_length=60)
    min_mark = models.PositiveSmallIntegerField(
        "lowest mark", validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="From 0 to 100."
    )
    is_pass = models.BooleanField("a pass", default=True)

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["rubric", "name"], name="grade_band_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.min_mark}+)"


class Criterion(ClusterableModel, Orderable):
    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, max_length=NOTE_MAX)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])

    class Meta(Orderable.Meta):
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.title


class Descriptor(Orderable):
    """What work in one band looks like against one criterion."""

    criterion = ParentalKey(Criterion, on_delete=models.CASCADE, related_name="descriptors")
    band = models.ForeignKey(GradeBand, on_delete=models.CASCADE, related_name="descriptors")
    text = models.TextField(max_length=SHORT_TEXT_MAX)

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["criterion", "band"], name="descriptor_per_band_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.band.name}"
