"""Surveys of staff, children and young people, and parents and carers.

Anonymous means anonymous, by construction:
- a ``Response`` stores no user, IP address, session key, access code or time of day:
  only the survey, the respondent's agency (staff surveys, a group of many people) and a
  date (on its questionnaires.Submission);
- an ``AccessCode`` is marked used with no link to the response, no time and no order;
- responses are identified by a random token, not a sequence, and stored with nothing that
  records the order codes were used in.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from howgood.core.models import TimeStamped

DEFAULT_OPEN_DAYS = 21  # the Care Inspectorate's staff survey is open for three weeks


class AccessMode(models.TextChoices):
    LINK = "link", "An open link anyone in the audience can use"
    CODES = "codes", "Single-use access codes"
    BOTH = "both", "Both an open link and access codes"


class Survey(TimeStamped):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(max_length=200)
    version = models.ForeignKey(
        "questionnaires.QuestionnaireVersion", on_delete=models.PROTECT, related_name="surveys"
    )
    activity = models.ForeignKey(
        "partnerships.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    audience = models.ManyToManyField(
        "partnerships.Agency",
        blank=True,
        related_name="surveys",
        help_text="Agencies whose staff are asked; their headcounts are the denominators",
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    access_mode = models.CharField(
        max_length=10, choices=AccessMode.choices, default=AccessMode.LINK
    )
    link_token = models.CharField(max_length=40, unique=True)
    closed_early_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title

    @staticmethod
    def default_dates(start: date | None = None) -> tuple[date, date]:
        start = start or timezone.localdate()
        return start, start + timedelta(days=DEFAULT_OPEN_DAYS - 1)

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.closed_early_on or today > self.closes_on:
            return "Closed"
        if today < self.opens_on:
            return "Scheduled"
        return "Open"

    @property
    def is_open(self) -> bool:
        return self.status == "Open"

    @property
    def kind(self) -> str:
        return self.version.questionnaire.kind

    @property
    def is_staff_survey(self) -> bool:
        return self.kind == "staff_survey"

    @property
    def child_friendly(self) -> bool:
        return self.kind in ("children_survey", "carers_survey")

    @property
    def uses_link(self) -> bool:
        return self.access_mode in (AccessMode.LINK, AccessMode.BOTH)

    @property
    def uses_codes(self) -> bool:
        return self.access_mode in (AccessMode.CODES, AccessMode.BOTH)


class AccessCode(models.Model):
    """A single-use code. ``used`` says only that it was used: not when, not for what."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=12)
    batch = models.PositiveIntegerField(default=1)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "batch", "code"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="access_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    """One anonymous response. ``token`` is random; the submission holds the answers and a date."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    token = models.CharField(max_length=40, unique=True)
    submission = models.OneToOneField(
        "questionnaires.Submission", on_delete=models.CASCADE, related_name="survey_response"
    )
    agency = models.ForeignKey(
        "partnerships.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    section_index = models.PositiveIntegerField(default=0)
    resume_hash = models.CharField(
        max_length=64, blank=True, help_text="Hash of the resume code, if one was asked for"
    )
    complete = models.BooleanField(default=False)

    class Meta:
        # Never ordered by id in the interface: ids are not shown and order reveals nothing kept.
        ordering = ["token"]

    def __str__(self) -> str:
        return f"Response {self.token[:6]}"

    def audit_label(self) -> str:
        return "A survey response"

    @property
    def partnership(self) -> Any:
        return self.survey.partnership


class CommentTheme(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="theme_name_unique")]

    def __str__(self) -> str:
        return self.name


class CommentTag(models.Model):
    """A theme given to one free-text answer (by the coordinator or lead)."""

    theme = models.ForeignKey(CommentTheme, on_delete=models.CASCADE, related_name="tags")
    answer = models.ForeignKey("questionnaires.Answer", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["theme", "answer"], name="tag_unique")]

    def __str__(self) -> str:
        return f"{self.theme} on {self.answer_id}"


class QuotedComment(models.Model):
    """A free-text answer the coordinator or lead chose to quote in survey reports.

    Comments stay with the coordinator and lead unless somebody makes this choice; the
    choice is audited, and can be undone.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotes")
    answer = models.OneToOneField(
        "questionnaires.Answer", on_delete=models.CASCADE, related_name="survey_quote"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Quote of {self.answer_id}"
