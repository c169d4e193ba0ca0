"""Documents made in the background (Word, PDF, Excel), kept privately for download.

A document belongs to what it was made from (exactly one of an exercise, a survey, a plan,
a position statement or a partnership's child protection data) and is deleted with it; deleting an exercise's case data deletes
the documents made from its readings (`reports.services.documents_delete`), and documents
older than ``HOWGOOD_REPORT_RETENTION_DAYS`` are purged daily (`purge_generated_reports`).
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def _made_from(model: str) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        model,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="generated_reports",
        help_text="What the document was made from: it is deleted with it",
    )


# The fields that may say what a document was made from; exactly one is set.
SOURCES = (
    "exercise",
    "survey",
    "plan",
    "position_statement",
    "data_settings",
    "draft",
    "meeting",
    "pack",
)


def _exactly_one(fields: tuple[str, ...]) -> models.Q:
    return reduce(
        operator.or_,
        (models.Q(**{f"{name}__isnull": name != field for name in fields}) for field in fields),
    )


class GeneratedReport(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="generated_reports"
    )
    kind = models.CharField(max_length=60, help_text="A registered builder name")
    target_id = models.PositiveBigIntegerField()
    exercise = _made_from("records.Exercise")
    survey = _made_from("surveys.Survey")
    plan = _made_from("improvement.Plan")
    position_statement = _made_from("selfevaluation.PositionStatement")
    data_settings = _made_from("childprotection.DataSettings")  # the Data section's figures
    draft = _made_from("governance.Draft")  # a document drafted from the figures
    meeting = _made_from("governance.Meeting")  # its minutes
    pack = _made_from("governance.ReportPack")  # a report pack for the strategic group
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    capability = models.CharField(max_length=60, help_text="What a member needs to download it")
    case_level = models.BooleanField(
        default=False,
        help_text="Holds case-level data (a row per child or reading, or free text about a "
        "child): only roles that see case data may download it",
    )
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    content = models.BinaryField(blank=True, default=b"")
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The latest attempt to make it: "Try again" queues another. A build that is not the
    # latest attempt writes nothing, and one that goes quiet is marked failed (services).
    attempts = models.PositiveSmallIntegerField(default=1)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task result's id")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="generatedreport_created")]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one(SOURCES), name="generatedreport_made_from_one_thing"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title

    @property
    def made_from(self) -> Any:
        """The exercise, survey, plan or position statement the document was made from."""
        return next((getattr(self, name) for name in SOURCES if getattr(self, f"{name}_id")), None)
