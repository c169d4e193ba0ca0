"""Reads for frameworks: the pages here and other apps use these, never the models directly.

Framework data is shared reference data: it is the same for every partnership. The one
exception is an indicator's themes and illustrations filled in from someone's own copy
(``IndicatorContent``): :func:`indicator_content` gives the text a partnership reads. Lists
leave out retired rows unless asked; a retired row can still be fetched by its key so old
links keep working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from howgood.frameworks.models import (
    Area,
    Framework,
    IndicatorContent,
    InspectionStatement,
    KeyQuestion,
    ProportionBand,
    QualityIndicator,
    ScaleLevel,
)
from howgood.partnerships.models import Partnership
from howgood.stats.proportions import DEFAULT_BANDS, Band


def frameworks_list() -> QuerySet[Framework]:
    """Every loaded framework, the default first, with its number of live indicators."""
    return Framework.objects.annotate(
        indicator_count=Count("quality_indicators", filter=Q(quality_indicators__retired=False))
    )


def default_framework() -> Framework | None:
    """The framework new work uses: the one marked default, else the first loaded."""
    return Framework.objects.order_by("-is_default", "pk").first()


def frameworks_changed_at() -> str:
    """When any framework was last loaded with changes (a reload that changes a row also
    saves its framework), for keys of anything kept that shows framework text."""
    latest = Framework.objects.aggregate(latest=Max("updated_at"))["latest"]
    return latest.isoformat() if latest else "-"


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
class FilledIn:
    """Who filled in an indicator's themes and illustrations, from which copy, and when."""

    by: str
    copied_from: str
    at: datetime
    for_everyone: bool


@dataclass(frozen=True)
class IndicatorText:
    """The themes and illustrations a partnership reads for an indicator.

    ``source`` is "framework" (the framework file's own text, possibly empty),
    "partnership" (filled in by the partnership's lead) or "everyone" (filled in by an
    administrator for every partnership without its own); ``filled_in`` says who and from
    which copy for the last two.
    """

    source: str
    themes: list[str] = field(default_factory=list)
    illustration_very_good: str = ""
    illustration_weak: str = ""
    filled_in: FilledIn | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.themes or self.illustration_very_good or self.illustration_weak)


def indicator_copy(
    indicator: QualityIndicator, partnership: Partnership | None
) -> IndicatorContent | None:
    """The copy filled in for this partnership (``None``: the one for everyone), if any."""
    return IndicatorContent.objects.filter(
        quality_indicator=indicator, partnership=partnership
    ).first()


def indicator_content(
    indicator: QualityIndicator, partnership: Partnership | None
) -> IndicatorText:
    """The themes and illustrations this partnership reads, in one query.

    The framework's own text when it is verified; otherwise the partnership's own filled-in
    copy, else the administrator's copy for everyone, else the framework's own (often
    empty) text. Another partnership's copy is never returned.
    """
    own = IndicatorText(
        "framework",
        list(indicator.themes),
        indicator.illustration_very_good,
        indicator.illustration_weak,
    )
    if indicator.content_verified:
        return own
    mine = Q(partnership__isnull=True)
    if partnership is not None:
        mine |= Q(partnership=partnership)
    copy = (
        IndicatorContent.objects.filter(mine, quality_indicator=indicator)
        .order_by(F("partnership").asc(nulls_last=True))
        .first()
    )
    if copy is None:
        return own
    return IndicatorText(
        "everyone" if copy.partnership_id is None else "partnership",
        list(copy.themes),
        copy.illustration_very_good,
        copy.illustration_weak,
        FilledIn(
            by=copy.filled_in_by_name,
            copied_from=copy.copied_from,
            at=copy.filled_in_at,
            for_everyone=copy.partnership_id is None,
        ),
    )


@dataclass(frozen=True)
class Verification:
    """What is and is not verified about an indicator, in words for its page."""

    tag: str
    verified: str
    not_verified: str


def indicator_verification(
    indicator: QualityIndicator, shown: IndicatorText | None = None
) -> Verification:
    """The indicator's tag and what it does and does not vouch for.

    "Verified" covers the number, title, themes and both illustrations together; a verified
    number and title over missing, unchecked or filled-in themes and illustrations says so
    instead of borrowing the word. ``shown`` is the text on the page (default: the
    framework's own).
    """
    shown = shown or IndicatorText(
        "framework",
        list(indicator.themes),
        indicator.illustration_very_good,
        indicator.illustration_weak,
    )
    if indicator.content_verified and shown.source == "framework":
        content_words = ""
    elif shown.filled_in is not None:
        content_words = (
            "the themes and illustrations below, which were filled in from a copy of the "
            "framework and have not been checked by HowGood"
        )
    elif not shown.is_empty:
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
