"""Quality frameworks as versioned, editable reference data.

A framework is loaded from a YAML file in ``data/frameworks/`` by ``manage.py
load_framework`` (``services.framework_load``). Rows are identified by natural keys
(framework slug plus number, level or word) and updated in place on reload, so other
apps can point at a ``QualityIndicator`` or ``InspectionStatement`` safely. A row that
disappears from the file is marked ``retired``, never deleted.

Every fact carries ``status`` (verified, partly verified, unverified) and ``source``, as
the project's domain notes tag them, and may carry ``source_note``: the same source in plain
words for the pages. ``source`` is the raw line for whoever corrects the file ("[V] CI ...
archived-updates-5/8248") and is never shown. Unverified wording must be checked against
the published framework before anyone relies on it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from howgood.core.models import TimeStamped
from howgood.stats.proportions import Band


class Status(models.TextChoices):
    VERIFIED = "V", "Verified"
    PARTLY = "P", "Partly verified"
    UNVERIFIED = "U", "Unverified"


class ScaleVocabulary(models.TextChoices):
    CARE_INSPECTORATE = "ci", "Care Inspectorate (level 3 is “Adequate”)"
    EDUCATION_SCOTLAND = "es", "Education Scotland (level 3 is “Satisfactory”)"


STATUS_VALUES = [s.value for s in Status]


def _status_field() -> models.CharField[Any, Any]:
    return models.CharField(max_length=1, choices=Status.choices, default=Status.UNVERIFIED)


def _status_check(model: str, field: str = "status") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": STATUS_VALUES}), name=f"frameworks_{model}_{field}_valid"
    )


class Sourced(TimeStamped):
    """A fact with its verification status and source; retired rows stay for old links."""

    status = _status_field()
    source = models.TextField(help_text="The raw source line from the file; not shown on pages.")
    source_note = models.TextField(
        blank=True, help_text="The source in plain words, as the pages show it."
    )
    retired = models.BooleanField(
        default=False, help_text="No longer in the framework file; kept so old links still work."
    )

    class Meta:
        abstract = True

    @property
    def is_verified(self) -> bool:
        return self.status == Status.VERIFIED


class FrameworkManager(models.Manager["Framework"]):
    def get_by_natural_key(self, slug: str) -> Framework:
        return self.get(slug=slug)


class Framework(TimeStamped):
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    version = models.CharField(max_length=60)
    publisher = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = _status_field()
    source = models.TextField(help_text="The raw source line from the file; not shown on pages.")
    source_note = models.TextField(
        blank=True, help_text="The source in plain words, as the pages show it."
    )
    scale_vocabulary = models.CharField(
        max_length=2, choices=ScaleVocabulary.choices, default=ScaleVocabulary.CARE_INSPECTORATE
    )
    is_default = models.BooleanField(
        default=False, help_text="The framework new work uses unless someone chooses another."
    )
    file_name = models.CharField(max_length=255, blank=True)
    file_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file loaded.")
    loaded_at = models.DateTimeField(null=True, blank=True)

    objects = FrameworkManager()

    class Meta:
        ordering = ["-is_default", "title", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="frameworks_one_default"
            ),
            models.CheckConstraint(
                condition=Q(scale_vocabulary__in=[v.value for v in ScaleVocabulary]),
                name="frameworks_framework_vocabulary_valid",
            ),
            _status_check("framework"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def audit_label(self) -> str:
        return str(self)[:200]

    @property
    def level_3_word(self) -> str:
        return (
            "Satisfactory"
            if self.scale_vocabulary == ScaleVocabulary.EDUCATION_SCOTLAND
            else "Adequate"
        )


class _ByFrameworkNumber(models.Manager[Any]):
    key_field = "number"

    def get_by_natural_key(self, slug: str, key: Any) -> Any:
        return self.get(framework__slug=slug, **{self.key_field: key})


class KeyQuestionManager(_ByFrameworkNumber):
    pass


class KeyQuestion(Sourced):
    """One of the framework's key questions, each tied to an EFQM-based domain."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="key_questions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    domain = models.CharField(max_length=100, help_text="The EFQM Excellence Model domain.")
    domain_status = _status_field()

    objects = KeyQuestionManager()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="frameworks_key_question_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="frameworks_key_question_number_positive"
            ),
            _status_check("keyquestion"),
            _status_check("keyquestion", "domain_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def natural_key(self) -> tuple[str, int]:
        return (self.framework.slug, self.number)

    def audit_label(self) -> str:
        return f"Key question {self.number}"


class AreaManager(_ByFrameworkNumber):
    pass


class Area(Sourced):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    # RESTRICT, not PROTECT: deleting a whole framework still cascades through its areas.
    key_question = models.ForeignKey(KeyQuestion, on_delete=models.RESTRICT, related_name="areas")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300, blank=True)

    objects = AreaManager()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="frameworks_area_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="frameworks_area_number_positive"
            ),
            _status_check("area"),
        ]

    def __str__(self) -> str:
        return f"Area {self.number}" + (f": {self.title}" if self.title else "")

    def natural_key(self) -> tuple[str, int]:
        return (self.framework.slug, self.number)

    def audit_label(self) -> str:
        return f"Area {self.number}"


class QualityIndicatorManager(_ByFrameworkNumber):
    pass


class QualityIndicator(Sourced):
    """A quality indicator (QI 2.1 and so on): themes and two illustrations to compare with.

    Other apps link to these rows; the loader keeps the primary key stable across reloads.
    ``status`` is about the number and title; ``content_status`` about the themes and
    illustrations. The indicator as a whole is verified only when both are and the themes
    and both illustrations are there (:attr:`tag`).
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="quality_indicators"
    )
    area = models.ForeignKey(Area, on_delete=models.RESTRICT, related_name="quality_indicators")
    number = models.CharField(max_length=10, help_text="Like 2.1: the area, a dot, the indicator.")
    title = models.CharField(max_length=300)
    themes = models.JSONField(default=list, blank=True)
    illustration_very_good = models.TextField(blank=True, help_text="Level 5 illustration.")
    illustration_weak = models.TextField(blank=True, help_text="Level 2 illustration.")
    content_status = models.CharField(
        max_length=1,
        choices=Status.choices,
        default=Status.UNVERIFIED,
        help_text="Whether the themes and illustrations were checked against the source.",
    )
    prompts = models.JSONField(
        default=list, blank=True, help_text="HowGood's suggested prompts, not the publisher's text."
    )
    sort_order = models.PositiveIntegerField(default=0)

    objects = QualityIndicatorManager()

    class Meta:
        ordering = ["framework", "sort_order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="frameworks_quality_indicator_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[1-9][0-9]*\.[1-9][0-9]*$"),
                name="frameworks_quality_indicator_number_format",
            ),
            _status_check("qualityindicator"),
            _status_check("qualityindicator", "content_status"),
        ]

    def __str__(self) -> str:
        return f"QI {self.number} {self.title}"

    def natural_key(self) -> tuple[str, str]:
        return (self.framework.slug, self.number)

    def audit_label(self) -> str:
        return f"QI {self.number}"

    @property
    def has_content(self) -> bool:
        """The themes and both illustrations are all there."""
        return bool(self.themes and self.illustration_very_good and self.illustration_weak)

    @property
    def content_verified(self) -> bool:
        return self.has_content and self.content_status == Status.VERIFIED

    @property
    def tag(self) -> str:
        """The one tag shown for the indicator as a whole.

        "Verified" only when the number, the title, the themes and both illustrations are all
        there and verified: a verified title over empty themes is "Title verified".
        """
        if self.status == Status.VERIFIED:
            return "Verified" if self.content_verified else "Title verified"
        return str(Status(self.status).label)

    @staticmethod
    def sort_key(number: str) -> int:
        """Numeric order, so 10.1 comes after 9.4 (not after 1.1)."""
        major, minor = number.split(".")
        return int(major) * 1000 + int(minor)


class IndicatorContent(TimeStamped):
    """An indicator's themes and illustrations as someone typed them in from their own copy.

    A partnership lead fills them in for their partnership (``partnership`` set; only its
    members read them); an administrator fills them in for every partnership that has not
    filled in its own (``partnership`` empty). At most one of each per indicator. This is
    never the framework's own text and never "verified": the page says who filled it in,
    from which copy (``copied_from``, required) and when. Loading the framework file never
    touches these rows.
    """

    quality_indicator = models.ForeignKey(
        QualityIndicator, on_delete=models.PROTECT, related_name="filled_in_content"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: filled in by an administrator for every partnership.",
    )
    themes = models.JSONField(default=list, blank=True)
    illustration_very_good = models.TextField(blank=True)
    illustration_weak = models.TextField(blank=True)
    copied_from = models.CharField(
        max_length=300, help_text="The copy of the framework it was typed in from."
    )
    filled_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so the page still says who filled it in after their account is deleted.
    filled_in_by_name = models.CharField(max_length=150)
    filled_in_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quality_indicator", "partnership"],
                condition=Q(partnership__isnull=False),
                name="frameworks_content_one_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["quality_indicator"],
                condition=Q(partnership__isnull=True),
                name="frameworks_content_one_for_everyone",
            ),
            models.CheckConstraint(
                condition=~Q(copied_from=""), name="frameworks_content_copy_named"
            ),
        ]

    def __str__(self) -> str:
        return f"QI {self.quality_indicator_id} filled in from {self.copied_from}"

    def audit_label(self) -> str:
        return self.quality_indicator.audit_label()


class ScaleLevelManager(_ByFrameworkNumber):
    key_field = "level"


class ScaleLevel(Sourced):
    """One level of the six-point scale, in both vocabularies."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scale_levels")
    level = models.PositiveSmallIntegerField()
    word_ci = models.CharField("Care Inspectorate word", max_length=60)
    word_es = models.CharField("Education Scotland word", max_length=60)
    meaning = models.CharField(max_length=200, help_text="Care Inspectorate short meaning.")
    meaning_es = models.CharField(
        max_length=200, blank=True, help_text="Education Scotland short meaning."
    )
    detail = models.TextField(
        blank=True, help_text="A paraphrase of the longer meaning, not the publisher's words."
    )

    objects = ScaleLevelManager()

    class Meta:
        ordering = ["framework", "-level"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "level"], name="frameworks_scale_level_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=6), name="frameworks_scale_level_range"
            ),
            _status_check("scalelevel"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.word_ci}"

    def natural_key(self) -> tuple[str, int]:
        return (self.framework.slug, self.level)

    def audit_label(self) -> str:
        return f"Scale level {self.level}"

    def word(self, vocabulary: str) -> str:
        return self.word_es if vocabulary == ScaleVocabulary.EDUCATION_SCOTLAND else self.word_ci


class InspectionStatementManager(_ByFrameworkNumber):
    pass


class InspectionStatement(Sourced):
    """One of the inspection statements a position statement is built on."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="inspection_statements"
    )
    number = models.PositiveSmallIntegerField()
    short_title = models.CharField(max_length=120, help_text="HowGood's short name for lists.")
    text = models.TextField()

    objects = InspectionStatementManager()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="frameworks_statement_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="frameworks_statement_number_positive"
            ),
            _status_check("inspectionstatement"),
        ]

    def __str__(self) -> str:
        return f"Statement {self.number}: {self.short_title}"

    def natural_key(self) -> tuple[str, int]:
        return (self.framework.slug, self.number)

    def audit_label(self) -> str:
        return f"Inspection statement {self.number}"


class ProportionBandManager(_ByFrameworkNumber):
    key_field = "word"


class ProportionBand(Sourced):
    """A proportion word ("the majority") and the percentages it covers."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="proportion_bands"
    )
    word = models.CharField(max_length=60)
    before_noun = models.CharField(
        max_length=80, blank=True, help_text='How it reads before a noun: "the majority of", "no".'
    )
    published = models.CharField(
        max_length=60, blank=True, help_text="The band as the source states it."
    )
    lower = models.DecimalField(max_digits=5, decimal_places=2)
    upper = models.DecimalField(max_digits=5, decimal_places=2)
    lower_inclusive = models.BooleanField(default=True)
    upper_inclusive = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ProportionBandManager()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "word"], name="frameworks_band_unique"),
            models.CheckConstraint(
                condition=Q(lower__gte=0, upper__lte=100, lower__lte=F("upper")),
                name="frameworks_band_bounds",
            ),
            _status_check("proportionband"),
        ]

    def __str__(self) -> str:
        return self.word

    def natural_key(self) -> tuple[str, str]:
        return (self.framework.slug, self.word)

    def audit_label(self) -> str:
        return f"Proportion word {self.word!r}"

    def as_band(self) -> Band:
        return Band(
            word=self.word,
            lower=self.lower,
            upper=self.upper,
            lower_inclusive=self.lower_inclusive,
            upper_inclusive=self.upper_inclusive,
            before_noun=self.before_noun,
        )

    def describe(self) -> str:
        """How HowGood applies the band: "50% to under 75%"."""
        return self.as_band().describe()
