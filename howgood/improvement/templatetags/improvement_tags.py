"""The NHS Making Data Count icons for variation and assurance, as NHSRplotthedots publishes
them (static/vendor/mdc-icons/, MIT licence), and the measure list's sparkline."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from howgood.improvement.charts import ASSURANCE_WORDS, SPARK_POINTS, VARIATION_WORDS

register = template.Library()

# code: (short label, the published icon). "High" and "low" are the values, higher or lower
# than usual: NHSRplotthedots shows a concern about high values (when lower is better) as
# concern_high and one about low values as concern_low, and names its icons the same way.
SHORT_VARIATION = {
    "common_cause": ("Common cause", "variation/common_cause.svg"),
    "special_cause_improvement_high": ("Improvement (high)", "variation/improvement_high.svg"),
    "special_cause_improvement_low": ("Improvement (low)", "variation/improvement_low.svg"),
    "special_cause_concern_high": ("Concern (high)", "variation/concern_high.svg"),
    "special_cause_concern_low": ("Concern (low)", "variation/concern_low.svg"),
    "special_cause_neutral_high": ("Change (high)", "variation/neutral_high.svg"),
    "special_cause_neutral_low": ("Change (low)", "variation/neutral_low.svg"),
}
SHORT_ASSURANCE = {
    "consistent_pass": ("Target met consistently", "assurance/pass.svg"),
    "consistent_fail": ("Target missed consistently", "assurance/fail.svg"),
    "inconsistent": ("Target met sometimes", "assurance/inconsistent.svg"),
}


def _icon(label: str, icon: str, words: str) -> SafeString:
    """The icon as an image: its accessible name is ``label``; ``words`` say what it means
    (its tooltip and accessible description)."""
    return format_html(
        '<img class="hg-icon" src="{}" alt="{}" title="{}" width="40" height="40">',
        static(f"vendor/mdc-icons/{icon}"),
        label,
        words,
    )


@register.simple_tag
def variation_icon(code: str | None) -> SafeString:
    if not code or code not in SHORT_VARIATION:
        return SafeString("")
    label, icon = SHORT_VARIATION[code]
    return _icon(f"Variation: {label}", icon, VARIATION_WORDS[code])


@register.simple_tag
def assurance_icon(code: str | None) -> SafeString:
    if not code or code not in SHORT_ASSURANCE:
        return SafeString("")
    label, icon = SHORT_ASSURANCE[code]
    return _icon(f"Assurance: {label}", icon, ASSURANCE_WORDS[code])


@register.filter
def variation_label(code: str | None) -> str:
    return SHORT_VARIATION.get(code or "", ("", ""))[0]


@register.filter
def assurance_label(code: str | None) -> str:
    return SHORT_ASSURANCE.get(code or "", ("", ""))[0]


@register.simple_tag
def sparkline(chart: object) -> SafeString:
    """A small line of the latest points (up to 24), for the measure list; decorative."""
    values = [p.value for p in getattr(chart, "points", []) if p.value is not None]
    values = values[-SPARK_POINTS:]
    if len(values) < 2:
        return SafeString("")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = 100 / (len(values) - 1)
    points = " ".join(
        f"{i * step:.1f},{22 - 20 * (v - low) / span:.1f}" for i, v in enumerate(values)
    )
    return format_html(
        '<svg class="hg-spark" viewBox="0 0 100 24" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><polyline points="{}" fill="none" '
        'stroke="#1a1a1a" stroke-width="1.5" vector-effect="non-scaling-stroke"/></svg>',
        points,
    )
