"""Record reading (multi-agency case file audit): case lists, samples, pairs, readings,
moderation, matters of concern and findings.

Privacy by construction: a case is known here only by a pseudonymous reading ID. The
local record reference lives in ``CaseKey``, which only the QA coordinator can open, is
never exported, and is deleted with the exercise's case data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from howgood.core.models import TimeStamped


class CaseCategory(models.TextChoices):
    INVESTIGATED = "investigated_not_registered", "Investigated, not registered"
    REGISTERED = "registered", "Registered"
    VULNERABLE = "vulnerable_young_person", "Vulnerable young person"
    CARM = "care_and_risk_management", "Care and risk management"
    # Drawn from the partnership's concern log (the Data section), to check the decisions.
    RECLASSIFIED = "reclassified_wellbeing", "Concern re-classified to wellbeing"


class AgeBand(models.TextChoices):
    UNBORN = "unborn", "Unborn"
    UNDER_5 = "0-4", "0 to 4"
    FIVE_11 = "5-11", "5 to 11"
    TWELVE_15 = "12-15", "12 to 15"
    SIXTEEN_17 = "16-17", "16 to 17"
    OVER_18 = "18+", "18 or over"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Exercise(TimeStamped):
    """One record-reading exercise: a case list, its sample, the pairs and their readings."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="reading_exercises"
    )
    title = models.CharField(max_length=200)
    activity = models.ForeignKey(
        "partnerships.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reading_exercises",
    )
    template = models.ForeignKey(
        "questionnaires.QuestionnaireVersion",
        on_delete=models.PROTECT,
        related_name="reading_exercises",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The sample, recorded so it can be reproduced and explained.
    sample_seed = models.BigIntegerField(null=True, blank=True)
    sample_confidence = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    sample_margin = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    sample_proportion = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    sample_drawn_at = models.DateTimeField(null=True, blank=True)
    sample_drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Thresholds for suggested strengths and areas for improvement (percent of records).
    strength_threshold = models.PositiveSmallIntegerField(default=75)
    improvement_threshold = models.PositiveSmallIntegerField(default=50)
    case_data_deleted_at = models.DateTimeField(null=True, blank=True)
    case_data_deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A later round of an earlier exercise: its change page compares the two.
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
        help_text="The earlier record reading this one repeats",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title

    @property
    def sample_drawn(self) -> bool:
        return self.sample_drawn_at is not None


class SampleStatus(models.TextChoices):
    POPULATION = "population", "Not sampled"
    SAMPLED = "sampled", "Sampled"
    UNAVAILABLE = "unavailable", "Unavailable (replaced)"


class Case(models.Model):
    """A child's record, known only by its reading ID."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="cases")
    reading_id = models.CharField(max_length=12)
    category = models.CharField(max_length=40, choices=CaseCategory.choices)
    age_band = models.CharField(max_length=12, choices=AgeBand.choices)
    sex = models.CharField(max_length=20, choices=Sex.choices)
    agencies = models.JSONField(default=list, help_text="Agency types holding records")
    key_dates = models.JSONField(default=dict, blank=True)
    source_row = models.PositiveIntegerField(default=0)
    sample_status = models.CharField(
        max_length=20, choices=SampleStatus.choices, default=SampleStatus.POPULATION
    )
    draw_rank = models.PositiveIntegerField(
        null=True, blank=True, help_text="Position in its category's random draw order"
    )
    unavailable_reason = models.TextField(blank=True)
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    pair = models.ForeignKey(
        "Pair", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )

    class Meta:
        ordering = ["exercise", "reading_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "reading_id"], name="reading_id_unique_in_exercise"
            )
        ]

    def __str__(self) -> str:
        return self.reading_id

    def audit_label(self) -> str:
        return f"Record {self.reading_id}"

    @property
    def partnership_id(self) -> int:
        return self.exercise.partnership_id


class CaseKey(models.Model):
    """Pseudonym to local record reference. Coordinator only; never exported."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="key")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="+")
    local_reference = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "local_reference"], name="local_reference_unique_in_exercise"
            )
        ]

    def __str__(self) -> str:
        return f"Key for {self.case_id}"


class Pair(models.Model):
    """Two trained people who read the same records: a reader and a moderator."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="pairs")
    reader = models.ForeignKey(
        "partnerships.Membership", on_delete=models.PROTECT, related_name="pairs_as_reader"
    )
    moderator = models.ForeignKey(
        "partnerships.Membership", on_delete=models.PROTECT, related_name="pairs_as_moderator"
    )

    class Meta:
        ordering = ["exercise", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "reader", "moderator"], name="pair_unique"),
            models.CheckConstraint(
                condition=~Q(reader=models.F("moderator")), name="pair_of_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"Pair {self.pk}"

    def audit_label(self) -> str:
        return f"Pair {self.pk}"


class ReadingStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Reading(TimeStamped):
    """One person's reading of one record, answered against the exercise's template."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="readings")
    membership = models.ForeignKey(
        "partnerships.Membership", on_delete=models.PROTECT, related_name="readings"
    )
    submission = models.OneToOneField(
        "questionnaires.Submission", on_delete=models.PROTECT, related_name="reading"
    )
    status = models.CharField(
        max_length=20, choices=ReadingStatus.choices, default=ReadingStatus.NOT_STARTED
    )
    section_index = models.PositiveIntegerField(default=0, help_text="Where to resume")
    lock_version = models.PositiveIntegerField(
        default=0, help_text="Detects two tabs editing at once"
    )
    # The page token (one per page load, sent by the page's form and its autosave) of the
    # page that wrote the latest version: its own autosaves never conflict with its own save.
    last_tab = models.CharField(max_length=32, blank=True)
    # True when that write was the page's own save ("Save and continue", "Save and come back
    # later"): the page has gone on, so an autosave of it arriving late is dropped.
    last_tab_finished = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case__reading_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "membership"], name="one_reading_per_person_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"Reading of {self.case_id}"

    def audit_label(self) -> str:
        return f"Reading of record {self.case.reading_id}"

    @property
    def partnership_id(self) -> int:
        return self.case.exercise.partnership_id


class Moderation(TimeStamped):
    """The pair's agreed answers for one record: the reading used in findings."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="moderation")
    moderator = models.ForeignKey(
        "partnerships.Membership", on_delete=models.PROTECT, related_name="moderations"
    )
    submission = models.OneToOneField(
        "questionnaires.Submission", on_delete=models.PROTECT, related_name="moderation"
    )
    notes = models.JSONField(
        default=dict, blank=True, help_text="Item name -> note on how the difference was resolved"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Moderation of {self.case_id}"

    def audit_label(self) -> str:
        return f"Moderation of record {self.case.reading_id}"


class ConcernStatus(models.TextChoices):
    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACTION_TAKEN = "action_taken", "Action taken"
    CLOSED = "closed", "Closed"


CONCERN_NEXT = {
    ConcernStatus.RAISED: ConcernStatus.ACKNOWLEDGED,
    ConcernStatus.ACKNOWLEDGED: ConcernStatus.ACTION_TAKEN,
    ConcernStatus.ACTION_TAKEN: ConcernStatus.CLOSED,
}


class Concern(TimeStamped):
    """A matter of concern about a child's current safety, raised during reading."""

    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="concerns")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="concerns"
    )
    # Kept when case data is deleted: the concern outlives the reading exercise's data.
    reading_id = models.CharField(max_length=12)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField()
    status = models.CharField(
        max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.RAISED
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Matter of concern {self.pk}"

    def audit_label(self) -> str:
        return f"Matter of concern about record {self.reading_id}"

    @property
    def is_open(self) -> bool:
        return self.status != ConcernStatus.CLOSED


class ConcernStep(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=20, choices=ConcernStatus.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concern", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.at:%Y-%m-%d %H:%M}"


class ConclusionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    DROPPED = "dropped", "Dropped"


class Conclusion(TimeStamped):
    """A conclusion drawn from the findings: a strength or an area for improvement that HowGood
    suggests from the figures and a person accepts, edits or drops."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="conclusions")
    key = models.CharField(max_length=100, help_text="The item it came from")
    kind = models.CharField(
        max_length=20, choices=[("strength", "Strength"), ("improvement", "Area for improvement")]
    )
    suggested_text = models.TextField()
    text = models.TextField(help_text="As accepted or edited")
    status = models.CharField(
        max_length=20, choices=ConclusionStatus.choices, default=ConclusionStatus.SUGGESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["exercise", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "key", "kind"], name="one_statement_per_item_and_kind"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def audit_label(self) -> str:
        return f"{self.get_kind_display()} from {self.key}"

    @property
    def partnership(self) -> Any:
        return self.exercise.partnership
