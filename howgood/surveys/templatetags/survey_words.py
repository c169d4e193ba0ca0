from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def gap_words(test: Any, adjusted_p: float | None) -> str:
    """The test result in one plain sentence (see stats.groups.TestResult.in_words)."""
    return test.in_words(adjusted_p) if test else ""
