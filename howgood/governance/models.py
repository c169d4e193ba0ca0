"""Governance: documents drafted from HowGood's figures for the strategic group."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from howgood.core.models import TimeStamped


class DraftKind(models.TextChoices):
    PROGRAMME_LETTER = "programme_letter", "Programme letter"
    ANNUAL_REPORT = "annual_report", "Child protection committee annual report"


class Draft(TimeStamped):
    """A document drafted from the data: its sections (heading and text, editable before
    export) and the figures it was drafted from as they were then (each with where it came
    from), so that an edited draft still says what its numbers were and where they came
    from. Drafting again makes a new draft from the data as it is now."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="drafts"
    )
    kind = models.CharField(max_length=30, choices=DraftKind.choices)
    title = models.CharField(max_length=200)
    as_at = models.DateField(help_text="The date the figures were read")
    sections = models.JSONField(default=list, help_text="[{key, heading, text}] in order")
    figures = models.JSONField(default=list, help_text="[{key, label, value, source}] as read")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited = models.BooleanField(default=False, help_text="Whether anyone changed the text")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"{self.title} ({self.as_at:%-d %B %Y})"

    def figure(self, key: str) -> Any:
        """The value of one of the figures it was drafted from."""
        for item in self.figures:
            if item["key"] == key:
                return item["value"]
        raise KeyError(key)
