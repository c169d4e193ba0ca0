"""The improvement plan and improvement science: plans, priorities and SMART actions;
measures with their data, phases and annotations; driver diagrams and PDSA cycles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from howgood.core.models import TimeStamped

# --- The plan ------------------------------------------------------------------------------


class Plan(TimeStamped):
    """The partnership's integrated improvement plan (one current plan; older ones kept)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="improvement_plans"
    )
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    childrens_services_plan = models.CharField(
        max_length=200,
        blank=True,
        help_text="The children's services plan its priorities align to, "
        "for example: Forthvale Children's Services Plan 2023 to 2026",
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title


class Priority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    csp_priority = models.CharField(
        "Children's services plan priority",
        max_length=200,
        blank=True,
        help_text="The priority of the children's services plan this one serves",
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def partnership(self) -> Any:
        return self.plan.partnership


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"


class Action(TimeStamped):
    """One action of the plan. It is "agreed" only once the SMART check finds nothing
    missing (``improvement.smart``); its history is the audit trail of its changes."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(
        blank=True, help_text="What will be done, by whom, for whom, and what will be different"
    )
    owner = models.ForeignKey(
        "partnerships.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        default=0, help_text="How far through the action is, as a percentage"
    )
    measure = models.ForeignKey(
        "improvement.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The measure that will show whether it worked",
    )
    quality_indicators = models.ManyToManyField(
        "frameworks.QualityIndicator", blank=True, related_name="improvement_actions"
    )
    findings = models.ManyToManyField(
        "records.Conclusion",
        blank=True,
        related_name="improvement_actions",
        help_text="Areas for improvement from record reading that it addresses",
    )
    areas = models.TextField(
        "Areas for improvement it addresses",
        blank=True,
        help_text="From self-evaluation: the areas for improvement it came from",
    )
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_progress_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "priority__number", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_max_100"),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(due_on__gte=models.F("starts_on")),
                name="action_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title[:200]

    @property
    def partnership(self) -> Any:
        return self.plan.partnership


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_on = models.DateField()
    text = models.TextField()
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return f"Progress on {self.action_id}"


# --- Measures ------------------------------------------------------------------------------


class MeasureType(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    PROCESS = "process", "Process"
    BALANCING = "balancing", "Balancing"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class Improvement(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEITHER = "", "Neither (watch for change either way)"


class ChartKind(models.TextChoices):
    RUN = "run", "Run chart (median)"
    XMR = "xmr", "XmR chart (individual values)"
    P = "p", "P chart (proportion)"
    U = "u", "U chart (rate)"
    C = "c", "C chart (count)"


class RuleSet(models.TextChoices):
    MDC = "mdc", "NHS Making Data Count"
    ANHOEJ = "anhoej", "Anhøj rules"
    IHI = "ihi", "Run chart rules (IHI)"


class Measure(TimeStamped):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="measures"
    )
    title = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=MeasureType.choices)
    definition = models.TextField(
        "Operational definition",
        help_text="Exactly what is counted, from where, and what is left out",
    )
    numerator = models.CharField(max_length=300, help_text="What is counted")
    denominator = models.CharField(
        max_length=300, blank=True, help_text="What it is out of, if it is a proportion or rate"
    )
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    improvement = models.CharField(
        "Which way is better", max_length=20, choices=Improvement.choices, blank=True
    )
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    owner = models.ForeignKey(
        "partnerships.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_measures",
    )
    chart = models.CharField(max_length=10, choices=ChartKind.choices, default=ChartKind.RUN)
    rules = models.CharField(max_length=10, choices=RuleSet.choices, default=RuleSet.IHI)
    multiply = models.PositiveIntegerField(
        default=1, help_text="Show proportions and rates per this many (100 for a percentage)"
    )
    baseline_points = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Freeze the centre line and limits on the first this many points",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title

    @property
    def has_denominator(self) -> bool:
        return bool(self.denominator)


class DataPoint(models.Model):
    """One period's value: the numerator and, for proportions and rates, the denominator."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    period = models.DateField(help_text="The first day of the week, month or quarter")
    numerator = models.DecimalField(max_digits=14, decimal_places=4)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    excluded = models.BooleanField(
        default=False, help_text="Shown on the chart but left out of its centre and limits"
    )
    note = models.CharField(max_length=300, blank=True)
    #: When the point was last saved: part of the measure's version, on which its judged
    #: chart is kept (``selectors.measure_rows``).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="point_period_unique"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="point_denominator_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period}"


class Phase(models.Model):
    """A change to the process: the chart's centre and limits start again from here."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="phases")
    starts_on = models.DateField()
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["measure", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "starts_on"], name="phase_start_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Annotation(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="annotations")
    on = models.DateField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["measure", "on"]

    def __str__(self) -> str:
        return self.text


# --- Driver diagrams and PDSA --------------------------------------------------------------


class DriverDiagram(TimeStamped):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="driver_diagrams"
    )
    title = models.CharField(max_length=200)
    aim = models.TextField(
        help_text="What we are trying to accomplish: how much, by when, for whom"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title


class Driver(models.Model):
    """A primary driver (no parent) or a secondary driver (under a primary one)."""

    diagram = models.ForeignKey(DriverDiagram, on_delete=models.CASCADE, related_name="drivers")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["diagram", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_primary(self) -> bool:
        return self.parent_id is None


class ChangeIdea(models.Model):
    diagram = models.ForeignKey(
        DriverDiagram, on_delete=models.CASCADE, related_name="change_ideas"
    )
    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="change_ideas")
    text = models.CharField(max_length=300)
    measures = models.ManyToManyField(Measure, blank=True, related_name="change_ideas")

    class Meta:
        ordering = ["diagram", "driver__order", "id"]

    def __str__(self) -> str:
        return self.text

    def audit_label(self) -> str:
        return self.text[:200]

    @property
    def partnership(self) -> Any:
        return self.diagram.partnership


class PdsaAct(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    ABANDON = "abandon", "Abandon"


class PdsaCycle(TimeStamped):
    """Plan, do, study, act: one small test of a change idea."""

    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    # Plan
    objective = models.TextField()
    questions_predictions = models.TextField(
        "Questions and predictions", help_text="What do we want to learn, and what do we expect?"
    )
    who = models.CharField(max_length=300, blank=True)
    what = models.TextField(blank=True)
    where = models.CharField(max_length=300, blank=True)
    starts_on = models.DateField(help_text="When the test starts")
    data_to_collect = models.TextField(blank=True)
    # Do
    what_happened = models.TextField(blank=True)
    problems = models.TextField("Problems and unexpected observations", blank=True)
    # Study
    study = models.TextField("Comparing results with the predictions", blank=True)
    # Act
    act = models.CharField(max_length=10, choices=PdsaAct.choices, blank=True)
    next_cycle = models.TextField("What the next cycle will test", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["change_idea", "number"]
        constraints = [
            models.UniqueConstraint(fields=["change_idea", "number"], name="pdsa_number_unique")
        ]

    def __str__(self) -> str:
        return f"PDSA {self.number}: {self.title}"

    def audit_label(self) -> str:
        return str(self)[:200]

    @property
    def partnership(self) -> Any:
        return self.change_idea.diagram.partnership

    @property
    def stage(self) -> str:
        """Where the cycle is: the first of plan, do, study, act that is not yet written."""
        if not self.what_happened:
            return "Do" if self.starts_on else "Plan"
        if not self.study:
            return "Study"
        if not self.act:
            return "Act"
        return "Complete"


class RoundsMeasure(models.Model):
    """A measure whose points are the rounds of a record reading: one question's headline
    (its "yes", or "good or better") in each round, latest round ``exercise``."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="rounds")
    exercise = models.ForeignKey(
        "records.Exercise", on_delete=models.CASCADE, related_name="rounds_measures"
    )
    item_name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "item_name"], name="one_measure_per_round_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_name} over the rounds of {self.exercise}"
