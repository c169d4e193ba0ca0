"""Charts of the findings, each with its data table (drawn by howgood.reports.charts).

For sharing, the counts go through the same rules as the tables (``records.findings``:
``for_sharing``, ``shared_counts``, ``stats.disclosure.proportion``): withheld items are
left out, and a bar is not drawn where its count or the rest would be a small number."""

from __future__ import annotations

from typing import Any

SIX_LEVELS = ["6 Excellent", "5 Very good", "4 Good", "3 Adequate", "2 Weak", "1 Unsatisfactory"]


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def six_point_chart(
    findings: Any, *, share: bool = False, threshold: int = 5
) -> tuple[Any, str] | None:
    from howgood.records.findings import shared_counts, shown_items
    from howgood.reports.charts import stacked_distribution

    items = [f for f in shown_items(findings) if f.kind == "six_point" and f.answered][:25]
    if not items:
        return None
    # Each item's records are one group: its row is hidden as a group's answers are.
    counts: list[list[int | None]] = [
        shared_counts(f, threshold) if share else [n for _, _, n in f.counts] for f in items
    ]
    chart = stacked_distribution(
        title="Evaluations of quality on the six-point scale",
        categories=[_short(f.item.label) for f in items],
        levels=[label for _, label, _ in items[0].counts],
        counts=counts,
        value_label="Number of records",
        category_label="Evaluation",
    )
    return (
        chart,
        "How the moderated readings evaluated each aspect, from excellent to unsatisfactory.",
    )


def yes_no_charts(
    findings: Any, *, share: bool = False, threshold: int = 5
) -> list[tuple[Any, str]]:
    from howgood.reports.charts import bar_chart
    from howgood.stats.disclosure import proportion

    charts = []
    for section in findings.sections:
        items = [f for f in section.items if f.kind == "yes_no" and f.answered][:25]
        if not items:
            continue
        values: list[float | None] = []
        for f in items:
            hidden = share and not proportion(f.headline or 0, f.answered, threshold).exact
            values.append(None if hidden else round(100 * (f.headline or 0) / f.answered, 1))
        chart = bar_chart(
            title=f"{section.title}: records where the answer was yes",
            categories=[_short(f.item.label) for f in items],
            series={"Yes": values},
            value_label="Percentage of records answering",
            percent=True,
            denominators=[f.answered for f in items],
            category_label="Question",
        )
        charts.append(
            (
                chart,
                f"{section.title}: the percentage of records answering 'yes', with the number answering.",
            )
        )
    return charts


def section_charts(
    findings: Any, *, share: bool = False, threshold: int = 5
) -> list[tuple[Any, str]]:
    result = []
    six = six_point_chart(findings, share=share, threshold=threshold)
    if six:
        result.append(six)
    result.extend(yes_no_charts(findings, share=share, threshold=threshold))
    return result
