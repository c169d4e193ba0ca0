"""Making Data Count style icons for variation and assurance, drawn as inline SVG."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from howgood.improvement.charts import ASSURANCE_WORDS, VARIATION_WORDS

register = template.Library()

BLUE, ORANGE, GREY, PURPLE = "#0072B2", "#E69F00", "#6f6f6f", "#7C2855"
SHORT_VARIATION = {
    "common_cause": ("Common cause", GREY, "#ffffff", "~"),
    "special_cause_improvement_high": ("Improvement (high)", BLUE, "#ffffff", "H"),
    "special_cause_improvement_low": ("Improvement (low)", BLUE, "#ffffff", "L"),
    "special_cause_concern_high": ("Concern (high)", ORANGE, "#1a1a1a", "H"),
    "special_cause_concern_low": ("Concern (low)", ORANGE, "#1a1a1a", "L"),
    "special_cause_neutral_high": ("Change (high)", PURPLE, "#ffffff", "H"),
    "special_cause_neutral_low": ("Change (low)", PURPLE, "#ffffff", "L"),
}
SHORT_ASSURANCE = {
    "consistent_pass": ("Target met consistently", BLUE, "#ffffff", "P"),
    "consistent_fail": ("Target missed consistently", ORANGE, "#1a1a1a", "F"),
    "inconsistent": ("Target met sometimes", GREY, "#ffffff", "?"),
}


def _icon(label: str, fill: str, ink: str, letter: str, words: str) -> SafeString:
    return format_html(
        '<svg class="hg-icon" viewBox="0 0 40 40" role="img" aria-label="{}" focusable="false">'
        "<title>{}</title>"
        '<circle cx="20" cy="20" r="18" fill="{}" stroke="#1a1a1a" stroke-width="1"/>'
        '<text x="20" y="27" text-anchor="middle" font-size="20" font-weight="700" '
        'font-family="Arial, sans-serif" fill="{}">{}</text></svg>',
        label,
        words,
        fill,
        ink,
        letter,
    )


@register.simple_tag
def variation_icon(code: str | None) -> SafeString:
    if not code or code not in SHORT_VARIATION:
        return format_html("")
    label, fill, ink, letter = SHORT_VARIATION[code]
    return _icon(f"Variation: {label}", fill, ink, letter, VARIATION_WORDS[code])


@register.simple_tag
def assurance_icon(code: str | None) -> SafeString:
    if not code or code not in SHORT_ASSURANCE:
        return format_html("")
    label, fill, ink, letter = SHORT_ASSURANCE[code]
    return _icon(f"Assurance: {label}", fill, ink, letter, ASSURANCE_WORDS[code])


@register.filter
def variation_label(code: str | None) -> str:
    return SHORT_VARIATION.get(code or "", ("", "", "", ""))[0]


@register.filter
def assurance_label(code: str | None) -> str:
    return SHORT_ASSURANCE.get(code or "", ("", "", "", ""))[0]


@register.simple_tag
def sparkline(chart: object) -> SafeString:
    """A small line of the latest points (up to 24), for the measure list; decorative."""
    values = [p.value for p in getattr(chart, "points", []) if p.value is not None][-24:]
    if len(values) < 2:
        return format_html("")
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
