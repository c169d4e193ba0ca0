from __future__ import annotations

from typing import Any

from django import template

from howgood.surveys import charts
from howgood.surveys.charts import AnswerChart

register = template.Library()


@register.simple_tag
def everyone_chart(survey_pk: int, question: Any) -> AnswerChart | None:
    """The chart of everyone's answers to ``question`` (``surveys.charts``), or None."""
    return charts.everyone_chart(survey_pk, question)


@register.simple_tag
def breakdown_chart(survey_pk: int, question: Any, breakdown: Any) -> AnswerChart | None:
    """The chart of ``question``'s answers by agency or role (``surveys.charts``), or None."""
    return charts.breakdown_chart(survey_pk, question, breakdown)
