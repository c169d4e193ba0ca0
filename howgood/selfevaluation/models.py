"""Self-evaluation: the evidence library and audit register, workshops on quality
indicators, live evidence links, and the position statement with its versions."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from howgood.core.models import TimeStamped

# --- Evidence library and audit register ---------------------------------------------------


class DocumentType(models.TextChoices):
    POLICY = "policy", "Policy or procedure"
    PLAN = "plan", "Plan or strategy"
    AUDIT = "audit", "Single-service audit"
    EVALUATION = "evaluation", "Evaluation or review"
    MINUTES = "minutes", "Minutes"
    TERMS = "terms", "Terms of reference"
    REPORT = "report", "Report or data"
    OTHER = "other", "Other"


def _document_path(instance: Any, filename: str) -> str:
    # A random name: the original is kept on the row, never in the path.

    return f"documents/{instance.partnership_id}/{secrets.token_hex(16)}"


class Document(TimeStamped):
    """An uploaded document. Stored privately; served only to members, as a download."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=200)
    agency = models.ForeignKey(
        "partnerships.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dated = models.DateField("Date of the document")
    type = models.CharField(max_length=20, choices=DocumentType.choices)
    summary = models.TextField(help_text="What it is and what it shows, in a few sentences")
    quality_indicators = models.ManyToManyField(
        "frameworks.QualityIndicator", blank=True, related_name="documents"
    )
    file = models.FileField(upload_to=_document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-dated", "title"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title


class AuditKind(models.TextChoices):
    AUDIT = "audit", "Single-service audit"
    EVALUATION = "evaluation", "Evaluation"


class ServiceAudit(TimeStamped):
    """A single-service audit or evaluation on the partnership's register."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="service_audits"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AuditKind.choices, default=AuditKind.AUDIT)
    agency = models.ForeignKey(
        "partnerships.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dated = models.DateField("Date of the audit")
    summary = models.TextField("Key findings", help_text="What the audit found, in brief")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="audits"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-dated", "title"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ServiceAuditFinding(models.Model):
    """One finding of an audit, with the action taken and how long it has stayed open."""

    audit = models.ForeignKey(ServiceAudit, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField()
    action = models.TextField("Action agreed", blank=True)
    action_status = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=FindingStatus.choices, default="open")
    raised_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
        help_text="The same finding in an earlier audit",
    )

    class Meta:
        ordering = ["audit", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("raised_on")),
                name="finding_closed_after_raised",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def partnership(self) -> Any:
        return self.audit.partnership


# --- Workshops -----------------------------------------------------------------------------


class Workshop(TimeStamped):
    """A self-evaluation workshop: a programme activity and what it looks at."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="workshops"
    )
    activity = models.OneToOneField(
        "partnerships.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop",
    )
    title = models.CharField(max_length=200)
    held_on = models.DateField(null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title


class Focus(models.Model):
    """A quality indicator or inspection statement a workshop works on."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="foci")
    quality_indicator = models.ForeignKey(
        "frameworks.QualityIndicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workshop_foci",
    )
    statement = models.ForeignKey(
        "frameworks.InspectionStatement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workshop_foci",
    )
    evaluation = models.PositiveSmallIntegerField(null=True, blank=True)
    evaluation_reasons = models.TextField(blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["workshop", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(quality_indicator__isnull=False) & Q(statement__isnull=True))
                | (Q(quality_indicator__isnull=True) & Q(statement__isnull=False)),
                name="focus_is_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(evaluation__isnull=True) | Q(evaluation__gte=1, evaluation__lte=6),
                name="focus_evaluation_six_point",
            ),
        ]

    def __str__(self) -> str:
        if self.quality_indicator is not None:
            return f"QI {self.quality_indicator.number} {self.quality_indicator.title}"
        if self.statement is not None:
            return f"Statement {self.statement.number}: {self.statement.short_title}"
        return "Focus"

    def audit_label(self) -> str:
        return str(self)[:200]

    @property
    def partnership(self) -> Any:
        return self.workshop.partnership


class ContributionKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA = "area", "Area for improvement"
    EVIDENCE = "evidence", "Source of evidence"
    ACTION = "action", "Potential action"


class Contribution(models.Model):
    focus = models.ForeignKey(Focus, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=20, choices=ContributionKind.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        "partnerships.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["focus", "kind", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def audit_label(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:150]}"

    @property
    def partnership(self) -> Any:
        return self.focus.workshop.partnership


# --- Live evidence ---------------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    SURVEY_QUESTION = "survey_question", "Survey question"
    READING_ITEM = "reading_item", "Record reading question"
    READING_INDICATOR = "reading_indicator", "Record reading, by quality indicator"
    MEASURE = "measure", "Measure"
    ACTION = "action", "Plan action"
    DOCUMENT = "document", "Document"


class EvidenceLink(models.Model):
    """A pointer at a live result. Shown with the numbers as they are now (and, in a
    signed-off version of the position statement, as they were at sign-off)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="evidence_links"
    )
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices)
    survey = models.ForeignKey(
        "surveys.Survey", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(
        "questionnaires.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    exercise = models.ForeignKey(
        "records.Exercise", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    quality_indicator = models.ForeignKey(
        "frameworks.QualityIndicator",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    measure = models.ForeignKey(
        "improvement.Measure", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.ForeignKey(
        "improvement.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(
        "selfevaluation.StatementSection",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    focus = models.ForeignKey(
        Focus, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Evidence {self.pk}"

    def audit_label(self) -> str:
        return f"{self.get_kind_display()} evidence"

    @property
    def token(self) -> str:
        return f"[evidence {self.pk}]"


# --- Position statement -------------------------------------------------------------------

WORD_LIMIT = 5000


class PositionStatement(TimeStamped):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="position_statements"
    )
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title


class StatementSection(models.Model):
    """The three questions for one inspection statement, as currently drafted."""

    statement = models.ForeignKey(
        PositionStatement, on_delete=models.CASCADE, related_name="sections"
    )
    inspection_statement = models.ForeignKey(
        "frameworks.InspectionStatement", on_delete=models.PROTECT, related_name="+"
    )
    now = models.TextField("How good are we now?", blank=True)
    how_know = models.TextField("How do we know?", blank=True)
    next = models.TextField("What do we plan to do next?", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["statement", "inspection_statement__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "inspection_statement"], name="section_statement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Statement {self.inspection_statement.number}"

    def audit_label(self) -> str:
        return f"Position statement, statement {self.inspection_statement.number}"

    @property
    def partnership(self) -> Any:
        return self.statement.partnership


class StatementVersion(models.Model):
    """A saved version of the whole statement; signed off by the lead, it is frozen with
    the evidence as it stood then."""

    statement = models.ForeignKey(
        PositionStatement, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField(help_text="Each section's three answers, by statement number")
    evidence = models.JSONField(default=dict, help_text="Evidence as it stood, by link id")
    words = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["statement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"], name="statement_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    def audit_label(self) -> str:
        return f"{self.statement.title}, version {self.number}"

    @property
    def partnership(self) -> Any:
        return self.statement.partnership


class StatementComment(models.Model):
    section = models.ForeignKey(StatementSection, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionSource(models.Model):
    """Where a draft plan action came from: a workshop contribution, or a step in a
    position statement's "What do we plan to do next?"."""

    action = models.ForeignKey(
        "improvement.Action", on_delete=models.CASCADE, related_name="self_evaluation_sources"
    )
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    section = models.ForeignKey(
        StatementSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Source of action {self.action_id}"
