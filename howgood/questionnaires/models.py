"""The one questionnaire engine: versioned definitions, their items, and typed answers.

Surveys and record-reading templates are both questionnaires. A version starts as a
draft (which may change) and is frozen once published; answers always point at items of
one version, so they record the version they were given against.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from howgood.core.models import TimeStamped
from howgood.partnerships.models import Partnership


class QuestionnaireKind(models.TextChoices):
    STAFF_SURVEY = "staff_survey", "Staff survey"
    CHILDREN_SURVEY = "children_survey", "Children and young people's survey"
    CARERS_SURVEY = "carers_survey", "Parents and carers survey"
    RECORD_READING = "record_reading", "Record reading template"
    OTHER = "other", "Other questionnaire"


class Questionnaire(TimeStamped):
    """A questionnaire and its history of versions.

    ``partnership`` is empty for HowGood's shipped defaults, which every partnership can
    preview and copy but nobody edits in place.
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaires",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=QuestionnaireKind.choices, default=QuestionnaireKind.OTHER
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class QuestionnaireVersion(TimeStamped):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.CharField(max_length=200)
    form_id = models.CharField(max_length=200, blank=True)
    source_version = models.CharField(
        max_length=100, blank=True, help_text="The version written in the file's settings"
    )
    source_format = models.CharField(
        max_length=10, choices=[("xlsform", "XLSForm"), ("redcap", "REDCap data dictionary")]
    )
    source_filename = models.CharField(max_length=255, blank=True)
    default_language = models.CharField(max_length=100, blank=True)
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_version_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    def audit_label(self) -> str:
        return f"{self.questionnaire.title}, version {self.number}"

    @property
    def partnership(self) -> Partnership | None:
        return self.questionnaire.partnership

    @property
    def partnership_id(self) -> int | None:
        return self.questionnaire.partnership_id

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT


class ChoiceList(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="choice_lists"
    )
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="choice_list_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Choice(models.Model):
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.CASCADE, related_name="choices")
    name = models.CharField(max_length=100)
    label = models.TextField()
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["choice_list", "order"]
        constraints = [
            models.UniqueConstraint(fields=["choice_list", "name"], name="choice_name_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Section(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    title = models.TextField()
    hint = models.TextField(blank=True)
    relevant = models.TextField(blank=True)
    source_row = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="section_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class ItemType(models.TextChoices):
    TEXT = "text", "Text"
    INTEGER = "integer", "Whole number"
    DECIMAL = "decimal", "Number"
    DATE = "date", "Date"
    SELECT_ONE = "select_one", "Choose one"
    SELECT_MULTIPLE = "select_multiple", "Choose any"
    NOTE = "note", "Note (no answer)"


class Item(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(help_text="Position in the whole questionnaire")
    name = models.CharField(max_length=100)
    type = models.CharField(max_length=20, choices=ItemType.choices)
    label = models.TextField()
    hint = models.TextField(blank=True)
    required = models.BooleanField(default=False)
    required_message = models.TextField(blank=True)
    relevant = models.TextField(blank=True)
    constraint = models.TextField(blank=True)
    constraint_message = models.TextField(blank=True)
    appearance = models.CharField(max_length=100, blank=True)
    choice_list = models.ForeignKey(
        ChoiceList, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    min_value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    min_length = models.PositiveIntegerField(null=True, blank=True)
    max_length = models.PositiveIntegerField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    source_row = models.PositiveIntegerField(default=0)
    quality_indicators = models.ManyToManyField(
        "frameworks.QualityIndicator", blank=True, related_name="items"
    )
    statements = models.ManyToManyField(
        "frameworks.InspectionStatement", blank=True, related_name="items"
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="item_name_unique_in_version"),
            models.UniqueConstraint(
                fields=["version", "order"], name="item_order_unique_in_version"
            ),
            models.CheckConstraint(
                condition=~Q(type__in=["select_one", "select_multiple"])
                | Q(choice_list__isnull=False),
                name="select_item_has_choices",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def collects_answer(self) -> bool:
        return self.type != ItemType.NOTE


class Submission(models.Model):
    """One completed (or in-progress) set of answers to a version.

    Holds a date, never a time: anonymous survey responses must not be matched to the
    moment somebody used an access code. Owning apps (surveys, records) link to it.
    """

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    started_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Submission to {self.version}"


class Answer(models.Model):
    """One typed answer. A select_multiple answer is one row per chosen option."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value_text = models.TextField(blank=True)
    value_number = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "item__order", "id"]
        indexes = [models.Index(fields=["item", "value_text"], name="answer_item_value")]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "item", "value_text"], name="answer_unique_value"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.item_id}"
