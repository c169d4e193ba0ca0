from __future__ import annotations

from django import template

from howgood.surveys.charts import AnswerChart
from howgood.surveys.charts import answer_chart as _answer_chart

register = template.Library()


@register.simple_tag
def answer_chart(
    title: str,
    rows: list[tuple[str, list[int | None], int]],
    options: list[tuple[str, str]],
    category_label: str = "",
) -> AnswerChart:
    """The chart of how ``rows`` answered (``surveys.charts.answer_chart``): drawn by the
    toolkit, as the survey reports draw it, and kept until its figures change."""
    return _answer_chart(title=title, rows=rows, options=options, category_label=category_label)
