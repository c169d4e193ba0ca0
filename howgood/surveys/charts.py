"""The answer charts of the analysis page, drawn by the toolkit exactly as the survey
reports draw theirs (``toolkit.charts.distribution.stacked_distribution``).

Each chart is an image of its own (``surveys:analysis_chart``; an image, because our
Content-Security-Policy forbids the inline styles of matplotlib's SVG), loaded when its
question is opened, beside the table of the same numbers. Hidden numbers are drawn as the
reports draw them: hidden counts that sit together on the scale are one grey "hidden" block
(their sum is the row's total less the counts shown, which the table publishes anyway); a
row whose hidden counts fall apart, or that nobody answered, is not drawn and the page says
why.

The page only names its charts (:func:`page_charts`: cheap, no drawing); an image request
finds its chart among the same survey's charts and draws it (0.1-0.5 s) once: the SVG is
kept in Django's cache (the database cache, ADR 0010) under the chart's key, which is made
of the survey and everything drawn, so new figures give a new key. Bump ``STYLE`` when the
drawing changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

#: Part of every key: bump when the drawing changes, so older drawings are not served.
STYLE = 1
#: How long a drawn chart is kept unused (the key changes with the figures).
KEEP_SECONDS = 7 * 24 * 3600

HIDDEN_APART = "hidden numbers fall apart on the scale"
NO_ANSWERS = "no answers"

Rows = Sequence[tuple[str, Sequence[int | None], int]]


@dataclass(frozen=True)
class AnswerChart:
    """One chart of the page, not yet drawn: ``key`` names it in its URL, ``arguments`` are
    those of ``stacked_distribution``, ``not_drawn`` lists the rows it leaves out, as
    (row label, why)."""

    key: str
    title: str
    arguments: dict[str, Any]
    not_drawn: list[tuple[str, str]]


def not_drawn(rows: Rows) -> list[tuple[str, str]]:
    """The rows a distribution chart leaves out, with why: nobody answered, or hidden
    counts that are not next to each other (their block would place the counts between)."""
    # Imported here, as below: the chart modules load matplotlib, which takes seconds.
    from howgood.toolkit.charts.distribution import suppressed_block

    left_out = []
    for label, counts, total in rows:
        if not total:
            left_out.append((label, NO_ANSWERS))
        elif None in counts and suppressed_block(list(counts), total) is None:
            left_out.append((label, HIDDEN_APART))
    return left_out


def answer_chart(
    *,
    survey_pk: int,
    title: str,
    rows: Rows,
    options: Sequence[tuple[str, str]],
    category_label: str = "",
) -> AnswerChart:
    """How each row's answers spread across ``options`` ((name, label), in scale order).
    ``rows`` are (label, counts with None for hidden, total answered), as the analysis
    gives them; the counts have already been through disclosure control."""
    arguments: dict[str, Any] = {
        "title": title,
        "categories": [label for label, _, _ in rows],
        "levels": [label for _, label in options],
        "counts": [list(counts) for _, counts, _ in rows],
        "totals": [total for _, _, total in rows],
        "value_label": "Number of answers",
        "category_label": category_label,
        "suppressed_word": "hidden",
    }
    raw = json.dumps([STYLE, survey_pk, arguments], sort_keys=True)
    key = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return AnswerChart(key, title, arguments, not_drawn(rows))


def everyone_chart(survey_pk: int, question: Any) -> AnswerChart | None:
    """The chart of everyone's answers to a question (single-choice questions only)."""
    if not question.chart_rows:
        return None
    return answer_chart(
        survey_pk=survey_pk,
        title=f"{question.item.label}: all respondents",
        rows=question.chart_rows,
        options=question.options,
    )


def breakdown_chart(survey_pk: int, question: Any, breakdown: Any) -> AnswerChart | None:
    """The chart of a scale question's answers by agency or role, when it is shown."""
    if not (breakdown.shown and question.is_scale):
        return None
    return answer_chart(
        survey_pk=survey_pk,
        title=f"{question.item.label}: answers by {breakdown.dimension}",
        rows=breakdown.table_rows,
        options=breakdown.columns,
        category_label=breakdown.dimension.capitalize(),
    )


def page_charts(survey_pk: int, analysis: Any) -> Iterator[AnswerChart]:
    """Every chart the analysis page shows, in its order."""
    for section in analysis.sections:
        for question in section.questions:
            chart = everyone_chart(survey_pk, question)
            if chart is not None:
                yield chart
            for breakdown in question.breakdowns:
                chart = breakdown_chart(survey_pk, question, breakdown)
                if chart is not None:
                    yield chart


def chart_svg(chart: AnswerChart) -> bytes:
    """The chart drawn as SVG, drawn once and then kept."""
    cache_key = f"surveys.answers.chart:{chart.key}"
    svg: bytes | None = cache.get(cache_key)
    if svg is None:
        from howgood.toolkit.charts.distribution import stacked_distribution

        svg = stacked_distribution(**chart.arguments, formats=("svg",)).svg
        cache.set(cache_key, svg, KEEP_SECONDS)
    return svg
