"""The answer charts of the analysis page, drawn by the toolkit exactly as the survey
reports draw theirs (``toolkit.charts.distribution.stacked_distribution``).

The page shows each chart's SVG as an image (``<img src="data:…">``: our
Content-Security-Policy forbids the inline styles of matplotlib's SVG) with its text
alternative, beside the table of the same numbers. Hidden numbers are drawn as the reports
draw them: hidden counts that sit together on the scale are one grey "hidden" block (their
sum is the row's total less the counts shown, which the table publishes anyway); a row whose
hidden counts fall apart, or that nobody answered, is not drawn and the page says why.

Drawing takes 0.1-0.5 s a chart, so each drawn chart is kept in Django's cache (the
database cache, ADR 0010) under a key made of everything drawn: the same figures give the
same key whoever asks, and nobody can reach a chart without having the figures it shows.
Bump ``STYLE`` when the drawing changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

#: Part of every cache key: bump when the drawing changes.
STYLE = 1
#: How long a drawn chart is kept unused (the key changes with the figures).
KEEP_SECONDS = 7 * 24 * 3600

HIDDEN_APART = "hidden numbers fall apart on the scale"
NO_ANSWERS = "no answers"


@dataclass(frozen=True)
class AnswerChart:
    """A drawn chart (``toolkit.charts.base.Chart``, SVG only) and the rows it could not
    draw, as (row label, why)."""

    chart: Any
    not_drawn: list[tuple[str, str]]


def not_drawn(rows: Sequence[tuple[str, Sequence[int | None], int]]) -> list[tuple[str, str]]:
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
    title: str,
    rows: Sequence[tuple[str, Sequence[int | None], int]],
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
    raw = json.dumps([STYLE, arguments], sort_keys=True)
    key = "surveys.answers.chart:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    chart = cache.get(key)
    if chart is None:
        from howgood.toolkit.charts.distribution import stacked_distribution

        chart = stacked_distribution(**arguments, formats=("svg",))
        cache.set(key, chart, KEEP_SECONDS)
    return AnswerChart(chart, not_drawn(rows))
