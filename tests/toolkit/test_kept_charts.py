"""Charts kept by their data (issue 13): drawn once, drawn again when a figure or a word
changes, never kept when an argument cannot be written down exactly."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest

from howgood.toolkit.charts import base
from howgood.toolkit.charts.bars import bar_chart

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every call that really draws, with its arguments; nothing kept by other tests."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(base, "STYLE", f"test-{id(calls)}")
    return calls


def chart(drawn: list[dict[str, Any]], **changes: Any) -> base.Chart:
    def counting(note: object = None, **arguments: Any) -> base.Chart:
        drawn.append(arguments)
        return bar_chart(**arguments)

    counting.__module__, counting.__qualname__ = bar_chart.__module__, bar_chart.__qualname__
    arguments = {
        "title": "Records read by agency",
        "categories": ["Social work", "Health"],
        "series": {"Records": [31, 18]},
        "value_label": "Number of records",
        "formats": ("png",),
        **changes,
    }
    return base.kept(counting, **arguments)


def test_a_chart_is_drawn_once_and_kept_with_its_words_and_numbers(drawn) -> None:
    first = chart(drawn)
    again = chart(drawn)
    assert len(drawn) == 1
    assert again == first
    assert again.table_rows == [["Social work", "31"], ["Health", "18"]]
    assert again.title == "Records read by agency"
    # The full-colour PNG for PDFs is made once and kept with it.
    assert "print_data_uri" in again.__dict__
    assert base64.b64decode(again.print_data_uri.split(",", 1)[1]).startswith(b"\x89PNG")


def test_a_changed_figure_word_or_format_is_drawn_afresh(drawn) -> None:
    chart(drawn)
    changed = chart(drawn, series={"Records": [31, 19]})
    renamed = chart(drawn, title="Records read by each agency")
    svg = chart(drawn, formats=("svg",))
    assert len(drawn) == 4
    assert changed.table_rows == [["Social work", "31"], ["Health", "19"]]
    assert renamed.title == "Records read by each agency"
    assert svg.svg_data_uri and not svg.png
    # Integer and float, True and 1, a date and its text are different data.
    assert base.chart_key(bar_chart, {"v": [1]}) != base.chart_key(bar_chart, {"v": [1.0]})
    assert base.chart_key(bar_chart, {"v": True}) != base.chart_key(bar_chart, {"v": 1})
    assert base.chart_key(bar_chart, {"v": dt.date(2026, 1, 1)}) != base.chart_key(
        bar_chart, {"v": "2026-01-01"}
    )


def test_an_argument_that_cannot_be_written_down_is_never_kept(drawn) -> None:
    assert base.chart_key(bar_chart, {"v": object()}) is None
    note = object()  # its text names where it is in memory, not what it is
    first = chart(drawn, note=note)
    chart(drawn, note=note)
    assert len(drawn) == 2
    assert first.table_rows == [["Social work", "31"], ["Health", "18"]]
