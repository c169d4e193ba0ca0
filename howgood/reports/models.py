"""Documents made in the background (Word, PDF, Excel), kept privately for download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class GeneratedReport(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="generated_reports"
    )
    kind = models.CharField(max_length=60, help_text="A registered builder name")
    target_id = models.PositiveBigIntegerField()
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    capability = models.CharField(max_length=60, help_text="What a member needs to download it")
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

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title
