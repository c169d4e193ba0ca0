"""Core models: the audit trail, and abstract bases every domain app uses."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing somebody did. Written only through ``howgood.core.audit.log``."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so the trail still reads after an account is deleted.
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    data = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=36, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-created_at"], name="audit_partnership_time")
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def description(self) -> str:
        # Imported here, not at the top: core.audit imports this module (for AuditEvent),
        # so importing it at the top would be an import cycle.
        from howgood.core.audit import describe

        return describe(self.action)


class SubmissionKey(models.Model):
    """A form submission already handled, so a double submit does not create two things.

    Forms that create something carry a hidden one-off key (see core.idempotency). The key
    is inserted in the same transaction as the thing it creates; a second submission with
    the same key finds it and is sent where the first one went.
    """

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Submission {self.key[:8]}"
