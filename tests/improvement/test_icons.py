"""The Making Data Count icons: the published ones (NHSRplotthedots, MIT), each with the
same accessible name and words as before, and the right icon for every code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from howgood.improvement.charts import ASSURANCE_WORDS, VARIATION_WORDS
from howgood.improvement.templatetags.improvement_tags import assurance_icon, variation_icon

ICONS = Path(settings.BASE_DIR) / "static" / "vendor" / "mdc-icons"

# code: (accessible name, the published icon): special cause "high" and "low" are the values,
# higher or lower than usual, as in NHSRplotthedots' own choice of icon.
VARIATION = {
    "common_cause": ("Variation: Common cause", "variation/common_cause.svg"),
    "special_cause_improvement_high": (
        "Variation: Improvement (high)",
        "variation/improvement_high.svg",
    ),
    "special_cause_improvement_low": (
        "Variation: Improvement (low)",
        "variation/improvement_low.svg",
    ),
    "special_cause_concern_high": ("Variation: Concern (high)", "variation/concern_high.svg"),
    "special_cause_concern_low": ("Variation: Concern (low)", "variation/concern_low.svg"),
    "special_cause_neutral_high": ("Variation: Change (high)", "variation/neutral_high.svg"),
    "special_cause_neutral_low": ("Variation: Change (low)", "variation/neutral_low.svg"),
}
ASSURANCE = {
    "consistent_pass": ("Assurance: Target met consistently", "assurance/pass.svg"),
    "consistent_fail": ("Assurance: Target missed consistently", "assurance/fail.svg"),
    "inconsistent": ("Assurance: Target met sometimes", "assurance/inconsistent.svg"),
}


def _img(html: str) -> dict[str, str]:
    assert html.startswith("<img ") and html.endswith(">") and "<svg" not in html
    return dict(re.findall(r'(\w+)="([^"]*)"', html))


@pytest.mark.parametrize("code", list(VARIATION))
def test_each_variation_shows_its_published_icon(code: str) -> None:
    name, icon = VARIATION[code]
    attributes = _img(str(variation_icon(code)))
    assert attributes["alt"] == name
    assert attributes["title"] == VARIATION_WORDS[code]
    assert attributes["src"] == f"{settings.STATIC_URL}vendor/mdc-icons/{icon}"
    assert (ICONS / icon).read_text().startswith("<svg")


@pytest.mark.parametrize("code", list(ASSURANCE))
def test_each_assurance_shows_its_published_icon(code: str) -> None:
    name, icon = ASSURANCE[code]
    attributes = _img(str(assurance_icon(code)))
    assert attributes["alt"] == name
    assert attributes["title"] == ASSURANCE_WORDS[code]
    assert attributes["src"] == f"{settings.STATIC_URL}vendor/mdc-icons/{icon}"
    assert (ICONS / icon).read_text().startswith("<svg")


def test_every_code_has_an_icon_and_none_is_drawn_for_no_code() -> None:
    assert set(VARIATION) == set(VARIATION_WORDS)
    assert set(ASSURANCE) == set(ASSURANCE_WORDS)
    assert str(variation_icon(None)) == str(assurance_icon("")) == ""
    assert str(variation_icon("unknown")) == ""


def test_the_icons_carry_their_licence() -> None:
    licence = (ICONS / "LICENSE").read_text()
    assert "MIT License" in licence and "Copyright (c) 2021 NHS-R Community" in licence
