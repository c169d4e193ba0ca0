"""Child protection data: the concern log (pseudonymised), monthly counts, population, and
the national figures it is compared with.

A concern row never holds a name, a CHI number or a date of birth: only the council's
pseudonymous child id (``child``). Imports are staged (a preview), then applied: an applied
import replaces the concerns received in the period it covers, which it marks as superseded
(never deleted), so undoing the import brings them back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from howgood.core.models import TimeStamped


class Outcome(models.TextChoices):
    INVESTIGATION = "investigation", "Investigation"
    WELLBEING = "wellbeing", "Re-classified to a wellbeing concern"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class DataSettings(TimeStamped):
    """A partnership's choices for its data: timescales and its extract's column names."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="data_settings"
    )
    cppm_days = models.PositiveSmallIntegerField(
        "Days from concern to the planning meeting",
        default=28,
        help_text="The National Guidance 2021 (updated 2023) sets 28 calendar days.",
    )
    reregistration_months = models.PositiveSmallIntegerField(
        "Re-registration window, in months",
        default=18,
        help_text="A registration counts as a re-registration when the same child was "
        "de-registered within this many months before it. 18 is a convention, not set in "
        "national guidance.",
    )
    # The extract's column names (as HowGood normalises them) mapped to HowGood's fields,
    # remembered from the partnership's last mapping.
    column_map = models.JSONField(default=dict, blank=True)
    # Goes up with every change to the partnership's data: the figures kept in the cache
    # are keyed by it, so they are computed again only after a change.
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Data settings of {self.partnership}"


class ImportStatus(models.TextChoices):
    STAGED = "staged", "Waiting to be applied"
    APPLIED = "applied", "Applied"
    UNDONE = "undone", "Undone"
    DISCARDED = "discarded", "Discarded"


class ConcernImport(TimeStamped):
    """One extract: staged for a preview, then applied (or discarded), and undoable."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="concern_imports"
    )
    filename = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default="staged")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    replaced = models.PositiveIntegerField(default=0)
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    # The file itself, kept only while its columns are being mapped (then emptied).
    upload = models.BinaryField(default=b"", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Concern extract {self.filename}"

    def audit_label(self) -> str:
        return f"the concern extract {self.filename}"


class ChildConcern(models.Model):
    """One child protection concern, as the council's case system recorded it."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="child_concerns"
    )
    batch = models.ForeignKey(
        ConcernImport, on_delete=models.CASCADE, related_name="child_concerns"
    )
    superseded_by = models.ForeignKey(
        ConcernImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded",
    )
    child = models.CharField("Pseudonymous child id", max_length=64)
    received = models.DateField()
    agency = models.CharField("Referring agency", max_length=100)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    ird = models.DateField("IRD date", null=True, blank=True)
    cppm = models.DateField("CPPM date", null=True, blank=True)
    registered = models.DateField(null=True, blank=True)
    deregistered = models.DateField(null=True, blank=True)
    cppm_exception = models.CharField(
        "Why the planning meeting was later (agreed by a senior manager)",
        max_length=300,
        blank=True,
    )
    source_row = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["partnership", "received"], name="concern_partnership_received"),
            models.Index(fields=["batch"], name="concern_batch"),
        ]

    def __str__(self) -> str:
        return f"Concern received {self.received:%d/%m/%Y}"


class MonthlyCount(TimeStamped):
    """A month's counts, for a partnership without a child-level extract (entered or
    imported as aggregates)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="monthly_counts"
    )
    month = models.DateField(help_text="The first day of the month")
    concerns = models.PositiveIntegerField(default=0)
    wellbeing = models.PositiveIntegerField("Re-classified to wellbeing", default=0)
    investigations = models.PositiveIntegerField(default=0)
    cppms = models.PositiveIntegerField("Planning meetings (CPPMs)", default=0)
    cppms_in_time = models.PositiveIntegerField("Planning meetings within the timescale", default=0)
    registrations = models.PositiveIntegerField(default=0)
    reregistrations = models.PositiveIntegerField(default=0)
    deregistrations = models.PositiveIntegerField(default=0)
    on_register = models.PositiveIntegerField("Children on the register at month end", default=0)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "month"], name="monthly_count_once"),
            models.CheckConstraint(
                condition=models.Q(wellbeing__lte=models.F("concerns")),
                name="monthly_wellbeing_within_concerns",
            ),
            models.CheckConstraint(
                condition=models.Q(cppms_in_time__lte=models.F("cppms")),
                name="monthly_in_time_within_cppms",
            ),
            models.CheckConstraint(
                condition=models.Q(reregistrations__lte=models.F("registrations")),
                name="monthly_reregistrations_within",
            ),
        ]

    def __str__(self) -> str:
        return f"Counts for {self.month:%B %Y}"


class Population(TimeStamped):
    """Children aged 0-15 in the partnership's area, per year: the denominator of rates."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField()
    children = models.PositiveIntegerField("Children aged 0 to 15")
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="population_once"),
        ]

    def __str__(self) -> str:
        return f"{self.children:,} children aged 0 to 15 in {self.year}"


class PracticeChange(TimeStamped):
    """A change in practice from a month on (new IRD guidance, say): a new phase in the
    charts."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="practice_changes"
    )
    month = models.DateField(help_text="The first month under the new practice")
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "month"], name="practice_change_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Comparator(models.Model):
    """A published figure for Scotland or a council, for comparison (not a partnership's)."""

    indicator = models.CharField(max_length=200)
    area_code = models.CharField(max_length=12, blank=True)
    area_name = models.CharField(max_length=100)
    period = models.CharField(max_length=60, help_text="As published, e.g. 2021 July snapshot")
    reference_date = models.DateField(null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    lower = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    upper = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=80)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["indicator", "area_name", "reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_name", "period"], name="comparator_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}, {self.area_name}, {self.period}"


class SeriesMeasure(models.Model):
    """A plan measure whose points come from a data series, kept in step as data arrives."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    measure = models.OneToOneField(
        "improvement.Measure", on_delete=models.CASCADE, related_name="data_series"
    )
    series = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.measure} from {self.series}"
