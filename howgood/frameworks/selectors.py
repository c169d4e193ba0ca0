"""Reads for frameworks: the pages here and other apps use these, never the models directly.

Framework data is shared reference data: it is the same for every partnership, so nothing
here is scoped to one. Lists leave out retired rows unless asked; a retired row can still
be fetched by its key so old links keep working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from howgood.frameworks.models import (
    Area,
    Framework,
    InspectionStatement,
    KeyQuestion,
    ProportionBand,
    QualityIndicator,
    ScaleLevel,
)
from howgood.stats.proportions import DEFAULT_BANDS, Band


def frameworks_list() -> QuerySet[Framework]:
    """Every loaded framework, the default first, with its number of live indicators."""
    return Framework.objects.annotate(
        indicator_count=Count("quality_indicators", filter=Q(quality_indicators__retired=False))
    )


def default_framework() -> Framework | None:
    """The framework new work uses: the one marked default, else the first loaded."""
    return Framework.objects.order_by("-is_default", "pk").first()


def framework_by_slug(slug: str) -> Framework:
    """Raises ``Framework.DoesNotExist``."""
    return Framework.objects.get(slug=slug)


@dataclass(frozen=True)
class FrameworkContents:
    """A framework laid out for reading: key questions, each with ``live_areas``, each with
    ``live_indicators``; the scale (6 first); the statements; the proportion bands."""

    framework: Framework
    key_questions: list[KeyQuestion]
    scale: list[ScaleLevel]
    statements: list[InspectionStatement]
    bands: list[ProportionBand]
    retired_indicator_count: int

    @property
    def indicator_count(self) -> int:
        return sum(
            len(getattr(area, "live_indicators", []))
            for kq in self.key_questions
            for area in getattr(kq, "live_areas", [])
        )


def framework_contents(framework: Framework) -> FrameworkContents:
    """Everything on the framework page in a fixed number of queries, however many rows."""
    indicators = Prefetch(
        "quality_indicators",
        queryset=QualityIndicator.objects.filter(retired=False).order_by("sort_order"),
        to_attr="live_indicators",
    )
    areas = Prefetch(
        "areas",
        queryset=Area.objects.filter(retired=False).order_by("number").prefetch_related(indicators),
        to_attr="live_areas",
    )
    key_questions = list(
        KeyQuestion.objects.filter(framework=framework, retired=False)
        .order_by("number")
        .prefetch_related(areas)
    )
    return FrameworkContents(
        framework=framework,
        key_questions=key_questions,
        scale=list(scale_for(framework)),
        statements=list(inspection_statements_for(framework)),
        bands=list(
            ProportionBand.objects.filter(framework=framework, retired=False).order_by("order")
        ),
        retired_indicator_count=QualityIndicator.objects.filter(
            framework=framework, retired=True
        ).count(),
    )


def quality_indicators_for(
    framework: Framework, *, include_retired: bool = False
) -> QuerySet[QualityIndicator]:
    """A framework's indicators in numeric order (2.1 before 10.1), with area and key question."""
    qs = QualityIndicator.objects.filter(framework=framework).select_related("area__key_question")
    if not include_retired:
        qs = qs.filter(retired=False)
    return qs.order_by("sort_order")


def quality_indicator(framework: Framework, number: str) -> QualityIndicator:
    """One indicator by its number, retired or not. Raises ``QualityIndicator.DoesNotExist``."""
    return QualityIndicator.objects.select_related("framework", "area__key_question").get(
        framework=framework, number=number
    )


def neighbours(
    indicator: QualityIndicator,
) -> tuple[QualityIndicator | None, QualityIndicator | None]:
    """The live indicators before and after this one, for previous and next links."""
    live = QualityIndicator.objects.filter(framework_id=indicator.framework_id, retired=False).only(
        "number", "title", "sort_order"
    )
    before = live.filter(sort_order__lt=indicator.sort_order).order_by("-sort_order").first()
    after = live.filter(sort_order__gt=indicator.sort_order).order_by("sort_order").first()
    return before, after


@dataclass(frozen=True)
class Verification:
    """What is and is not verified about an indicator, in words for its page."""

    tag: str
    verified: str
    not_verified: str


def indicator_verification(indicator: QualityIndicator) -> Verification:
    """The indicator's tag and what it does and does not vouch for.

    "Verified" covers the number, title, themes and both illustrations together; a verified
    number and title over missing or unchecked themes and illustrations says so instead of
    borrowing the word.
    """
    if indicator.content_verified:
        content_words = ""
    elif indicator.themes or indicator.illustration_very_good or indicator.illustration_weak:
        content_words = (
            "the themes and illustrations below, which have not been checked against the "
            "published framework"
        )
    else:
        content_words = (
            "the themes and the very good and weak illustrations, which HowGood does not hold yet"
        )
    if indicator.status == "V":
        if not content_words:
            return Verification(
                indicator.tag,
                "the number, the title, the themes and both illustrations, read in the "
                "source named below",
                "",
            )
        return Verification(
            indicator.tag, "the number and title, read in the source named below", content_words
        )
    title_words = (
        "the number and title, which were seen only in a secondary source"
        if indicator.status == "P"
        else "the number and title, which come from a reconstruction"
    )
    return Verification(
        indicator.tag,
        "the themes and both illustrations" if not content_words else "",
        f"{title_words}; and {content_words}" if content_words else title_words,
    )


def inspection_statements_for(framework: Framework) -> QuerySet[InspectionStatement]:
    return InspectionStatement.objects.filter(framework=framework, retired=False).order_by("number")


def scale_for(framework: Framework) -> QuerySet[ScaleLevel]:
    """The six-point scale, level 6 first."""
    return ScaleLevel.objects.filter(framework=framework, retired=False).order_by("-level")


def scale_words(framework: Framework) -> dict[int, str]:
    """Level to word in the framework's chosen vocabulary (3 is Adequate or Satisfactory)."""
    return {s.level: s.word(framework.scale_vocabulary) for s in scale_for(framework)}


def bands_for(framework: Framework | None) -> Sequence[Band]:
    """The framework's proportion words as ``stats.proportions.Band`` values.

    Falls back to ``DEFAULT_BANDS`` when there is no framework or it has no bands, so
    ``proportion_word(count, total, bands_for(fw))`` always works.
    """
    if framework is None:
        return DEFAULT_BANDS
    bands = [
        b.as_band()
        for b in ProportionBand.objects.filter(framework=framework, retired=False).order_by("order")
    ]
    return bands or DEFAULT_BANDS
