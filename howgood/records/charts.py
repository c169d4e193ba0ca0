"""Charts of the findings, each with its data table (drawn by howgood.toolkit.charts).

For sharing, the counts go through the same rules as the tables (``records.findings``:
``for_sharing``, ``shared_counts``, ``stats.disclosure.proportion``): withheld items are
left out, and a bar is not drawn where its count or the rest would be a small number.

Two steps, so that the page can be quick: :func:`chart_specs` turns the findings into
plain data (what each chart shows, no drawing; cheap), and :func:`draw` draws one of
them (0.3-1 s). Questions are given in full, wrapped on whole words; a long list is
split into charts that each fit a page ("part 1 of 2"), in Word, PDF and on the page
alike. :func:`page_chart` keeps each drawn chart in Django's cache until the findings
change (docs/adr/0010-findings-chart-cache.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from howgood.records import findings as findings_module
from howgood.records.findings import shared_counts, shown_items
from howgood.records.selectors import findings_version
from howgood.stats.disclosure import proportion
from howgood.toolkit.charts.bars import bar_chart
from howgood.toolkit.charts.base import kept, page_runs
from howgood.toolkit.charts.distribution import stacked_distribution

SIX_LEVELS = ["6 Excellent", "5 Very good", "4 Good", "3 Adequate", "2 Weak", "1 Unsatisfactory"]

#: Bump when the drawing of a findings chart or ChartSpec changes, so charts kept from before are
#: not served again.
STYLE = 2
#: How long a drawn chart is kept when nothing changes (the key changes with the data).
KEEP_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the findings as plain data: ``key`` names it in its URL, ``kind`` is
    ``distribution`` (six-point) or ``bar`` (yes answers), ``arguments`` are those of the
    drawing function in ``howgood.toolkit.charts``."""

    key: str
    kind: str
    arguments: dict[str, Any]
    caption: str


def _parts(key: str, title: str, caption: str, runs: list[range]) -> list[tuple[str, str, str]]:
    """(key, title, caption) of each part of a chart split over ``runs``."""
    if len(runs) == 1:
        return [(key, title, caption)]
    return [
        (
            key if i == 1 else f"{key}-{i}",
            f"{title} (part {i} of {len(runs)})",
            f"{caption} Part {i} of {len(runs)}.",
        )
        for i in range(1, len(runs) + 1)
    ]


def chart_specs(findings: Any, *, share: bool = False, threshold: int = 5) -> list[ChartSpec]:
    """Every chart of the findings, in order: the six-point evaluations, then the yes
    answers section by section. ``share``: ``findings`` have been through
    ``records.findings.for_sharing`` and counts are hidden as in shared tables."""
    specs: list[ChartSpec] = []
    items = [f for f in shown_items(findings) if f.kind == "six_point" and f.answered]
    if items:
        # Each item's records are one group: its row is hidden as a group's answers are.
        counts: list[list[int | None]] = [
            shared_counts(f, threshold) if share else [n for _, _, n in f.counts] for f in items
        ]
        levels = [label for _, label, _ in items[0].counts]
        title = "Evaluations of quality on the six-point scale"
        labels = [f.item.label for f in items]
        runs = page_runs(labels, title=title, legend_items=levels)
        caption = (
            "How the moderated readings evaluated each aspect, from excellent to unsatisfactory."
        )
        for run, (key, part_title, part_caption) in zip(
            runs, _parts("six", title, caption, runs), strict=True
        ):
            specs.append(
                ChartSpec(
                    key=key,
                    kind="distribution",
                    arguments={
                        "title": part_title,
                        "categories": [labels[i] for i in run],
                        "levels": levels,
                        "counts": [counts[i] for i in run],
                        "value_label": "Number of records",
                        "category_label": "Evaluation",
                    },
                    caption=part_caption,
                )
            )
    for section in findings.sections:
        items = [f for f in section.items if f.kind == "yes_no" and f.answered]
        if not items:
            continue
        values: list[float | None] = []
        for f in items:
            hidden = share and not proportion(f.headline or 0, f.answered, threshold).exact
            values.append(None if hidden else round(100 * (f.headline or 0) / f.answered, 1))
        title = f"{section.title}: records where the answer was yes"
        labels = [f.item.label for f in items]
        runs = page_runs(labels, title=title)
        caption = (
            f"{section.title}: the percentage of records answering 'yes', "
            "with the number answering."
        )
        for run, (key, part_title, part_caption) in zip(
            runs, _parts(f"s{section.key}", title, caption, runs), strict=True
        ):
            specs.append(
                ChartSpec(
                    key=key,
                    kind="bar",
                    arguments={
                        "title": part_title,
                        "categories": [labels[i] for i in run],
                        "series": {"Yes": [values[i] for i in run]},
                        "value_label": "Percentage of records answering",
                        "percent": True,
                        "denominators": [items[i].answered for i in run],
                        "category_label": "Question",
                    },
                    caption=part_caption,
                )
            )
    return specs


def draw(spec: ChartSpec, formats: Collection[str] = ("svg", "png"), *, keep: bool = False) -> Any:
    """The chart of ``spec`` (a ``toolkit.charts.base.Chart``), in ``formats``; ``keep``:
    drawn once and kept in the cache under its data (``toolkit.charts.base.kept``)."""
    function = stacked_distribution if spec.kind == "distribution" else bar_chart
    if keep:
        return kept(function, **spec.arguments, formats=tuple(formats))
    return function(**spec.arguments, formats=formats)


def section_charts(
    findings: Any, *, share: bool = False, threshold: int = 5
) -> list[tuple[Any, str]]:
    """Every chart drawn for Word and PDF (PNG), with its caption: each drawn once and
    kept until its data change, so the next copy of the document draws nothing."""
    return [
        (draw(spec, formats=("png",), keep=True), spec.caption)
        for spec in chart_specs(findings, share=share, threshold=threshold)
    ]


# --- The findings page: charts drawn once, kept until the findings change -----------------


def _cache_prefix(exercise: Any, version: str, *, share: bool, threshold: int) -> str:
    """What a kept chart depends on: the exercise, its findings' version, and what the
    person may see (exact figures, or shared at a threshold)."""
    seen = f"shared-{threshold}" if share else "exact"
    raw = f"{exercise.pk}:{version}:{seen}:{STYLE}"
    return "records.findings.chart:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def page_specs(
    exercise: Any, *, version: str, share: bool, threshold: int, findings: Any = None
) -> list[ChartSpec]:
    """The findings page's charts as specs, kept in the cache with the data's ``version``
    (read before ``findings`` were computed, so what is kept is never older than its key)
    so that a chart request need not compute the findings again. ``findings``: already
    computed for this request (the page has them), else computed here when not kept."""
    prefix = _cache_prefix(exercise, version, share=share, threshold=threshold)
    return _specs(prefix, exercise, version, share=share, threshold=threshold, findings=findings)


def _specs(
    prefix: str,
    exercise: Any,
    version: str,
    *,
    share: bool,
    threshold: int,
    findings: Any = None,
) -> list[ChartSpec]:
    specs: list[ChartSpec] | None = cache.get(f"{prefix}:specs")
    if specs is None:
        result = (
            findings
            if findings is not None
            else findings_module.compute_kept(exercise, version=version)
        )
        if share:
            result = findings_module.for_sharing(result, threshold)
        specs = chart_specs(result, share=share, threshold=threshold)
        cache.set(f"{prefix}:specs", specs, KEEP_SECONDS)
    return specs


def page_chart(exercise: Any, key: str, *, share: bool, threshold: int) -> bytes | None:
    """The SVG of the findings page's chart ``key``, drawn once and kept until the
    findings change; None when there is no such chart. Warm: one query for the findings'
    version and one cache read. Cold: the specs the page kept (or the findings computed
    once) and this one chart drawn."""
    version = findings_version(exercise)  # first: what is kept is never older than its key
    prefix = _cache_prefix(exercise, version, share=share, threshold=threshold)
    svg: bytes | None = cache.get(f"{prefix}:{key}")
    if svg is not None:
        return svg
    specs = _specs(prefix, exercise, version, share=share, threshold=threshold)
    spec = next((s for s in specs if s.key == key), None)
    if spec is None:
        return None
    svg = draw(spec, formats=("svg",)).svg
    cache.set(f"{prefix}:{key}", svg, KEEP_SECONDS)
    return svg
