"""Charts: valid SVG data URIs and PNGs, the right data tables, suppression, safety."""

from __future__ import annotations

import base64
import struct
from concurrent.futures import ThreadPoolExecutor

import pytest
from defusedxml import ElementTree

from howgood.toolkit.charts.bars import bar_chart
from howgood.toolkit.charts.base import LEVEL_COLOURS, OKABE_ITO, SERIES_COLOURS, Chart
from howgood.toolkit.charts.distribution import stacked_distribution

SVG_PREFIX = "data:image/svg+xml;base64,"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVELS = ["Excellent", "Very good", "Good", "Adequate", "Weak", "Unsatisfactory"]


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    return width, height


def assert_drawn(chart: Chart) -> None:
    assert chart.svg_data_uri.startswith(SVG_PREFIX)
    svg = base64.b64decode(chart.svg_data_uri.removeprefix(SVG_PREFIX), validate=True)
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, _ = png_size(chart.png)
    assert 1255 <= width <= 1265  # 16 cm at 200 dpi
    assert chart.png_data_uri.startswith("data:image/png;base64,")
    assert chart.alt.endswith(".")
    assert chart.alt.count(". ") == 0  # one sentence
    assert all(len(row) == len(chart.table_header) for row in chart.table_rows)


def test_bar_chart_draws_and_carries_its_data_table() -> None:
    chart = bar_chart(
        title="Records with a SMART plan, by agency",
        categories=["Social work", "Health", "Education"],
        series={"Reader": [72.0, 55.5, 40], "Moderator": [70, 50, 33.3]},
        value_label="Percentage of records",
        percent=True,
        denominators=[25, 18, 1204],
    )
    assert_drawn(chart)
    assert chart.title == "Records with a SMART plan, by agency"
    assert chart.table_header == ["Category", "Reader", "Moderator", "Total (n)"]
    assert chart.table_rows == [
        ["Social work", "72%", "70%", "25"],
        ["Health", "56%", "50%", "18"],
        ["Education", "40%", "33%", "1,204"],
    ]
    assert "Reader and Moderator" in chart.alt


def test_single_series_counts_vertical_with_category_label() -> None:
    chart = bar_chart(
        title="Records read by agency",
        categories=["Social work", "Health"],
        series={"Records": [31, 2.5]},
        value_label="Number of records",
        horizontal=False,
        category_label="Agency",
    )
    assert_drawn(chart)
    assert chart.table_header == ["Agency", "Records"]
    assert chart.table_rows == [["Social work", "31"], ["Health", "2.5"]]
    assert "ranging from 2.5 (Health) to 31 (Social work)" in chart.alt
    assert chart.alt.startswith("Vertical bar chart")


def test_suppressed_values_read_suppressed_and_do_not_break_drawing() -> None:
    chart = bar_chart(
        title="Records with a SMART plan",
        categories=["Social work", "Health", "Education"],
        series={"Reader": [72, None, 0], "Moderator": [None, None, None]},
        value_label="Percentage of records",
        percent=True,
        denominators=[25, 3, 12],
    )
    assert_drawn(chart)
    assert chart.table_rows[0] == ["Social work", "72%", "suppressed", "25"]
    assert chart.table_rows[1] == ["Health", "suppressed", "suppressed", "3"]
    assert chart.table_rows[2] == ["Education", "0%", "suppressed", "12"]

    everything_suppressed = bar_chart(
        title="Nothing to show",
        categories=["A", "B"],
        series={"Count": [None, None]},
        value_label="Number of records",
    )
    assert_drawn(everything_suppressed)
    assert everything_suppressed.table_rows == [["A", "suppressed"], ["B", "suppressed"]]


def test_stacked_distribution_table_counts_percentages_and_suppression() -> None:
    chart = stacked_distribution(
        title="Evaluations of quality indicator 2.1",
        categories=["Impact on children", "Planning", "Involvement"],
        levels=LEVELS,
        counts=[[3, 8, 10, 6, 3, 1], [None, 6, 10, 9, 3, 0], [0, 0, 0, 0, 0, 0]],
    )
    assert_drawn(chart)
    assert chart.table_header == ["Category", *LEVELS, "Total"]
    assert chart.table_rows[0] == [
        "Impact on children",
        "3 (10%)",
        "8 (26%)",
        "10 (32%)",
        "6 (19%)",
        "3 (10%)",
        "1 (3%)",
        "31",
    ]
    assert chart.table_rows[1] == [
        "Planning",
        "suppressed",
        "6",
        "10",
        "9",
        "3",
        "0",
        "not available",
    ]
    assert chart.table_rows[2][-1] == "0"
    assert "percentage of records at each of 6 levels" in chart.alt
    assert "1 of which is not drawn" in chart.alt


def test_stacked_distribution_draws_neighbouring_suppressed_counts_as_one_block() -> None:
    """With the totals published, hidden counts that sit together are one grey block; hidden
    counts apart still leave the row undrawn."""
    levels = ["Agree", "Neither", "Disagree"]
    chart = stacked_distribution(
        title="Told what happened, by agency",
        categories=["Education", "Third sector", "Health"],
        levels=levels,
        counts=[[None, None, 65], [None, 9, None], [14, 26, 33]],
        totals=[86, 18, 73],
    )
    assert_drawn(chart)
    assert chart.table_rows[0] == ["Education", "suppressed", "suppressed", "65 (76%)", "86"]
    assert chart.table_rows[1][-1] == "not available"  # apart: not drawn, total not given
    assert chart.table_rows[2][-1] == "73"
    assert "1 of which is not drawn" in chart.alt
    svg = base64.b64decode(chart.svg_data_uri.removeprefix(SVG_PREFIX)).decode()
    assert "Suppressed (small numbers)" in svg
    with pytest.raises(ValueError):
        stacked_distribution(
            title="T", categories=["A"], levels=levels, counts=[[None, 5, 5]], totals=[4]
        )


def test_labels_are_literal_text_not_mathtext() -> None:
    # Unescaped, "$\\frac$" would be parsed as (invalid) mathtext and raise.
    chart = bar_chart(
        title="Costs in $ and $\\frac$",
        categories=["$\\frac$ spend", "_hidden"],
        series={"_series": [1, 2], "$\\frac$": [3, 4]},
        value_label="Cost in $",
    )
    assert_drawn(chart)
    assert chart.table_header == ["Category", "_series", "$\\frac$"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"categories": [], "series": {"A": []}},
        {"categories": ["A"], "series": {}},
        {"categories": ["A", "B"], "series": {"S": [1]}},
        {"categories": ["A"], "series": {"S": [float("nan")]}},
        {"categories": ["A"], "series": {"S": [1]}, "denominators": [1, 2]},
    ],
)
def test_bar_chart_rejects_bad_shapes(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        bar_chart(title="T", value_label="V", **kwargs)  # type: ignore[arg-type]


def test_stacked_distribution_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError):
        stacked_distribution(title="T", categories=["A"], levels=["x", "y"], counts=[[1]])
    with pytest.raises(ValueError):
        stacked_distribution(title="T", categories=["A"], levels=["x"], counts=[[-1]])


def test_palette_is_okabe_ito() -> None:
    palette = set(OKABE_ITO.values())
    assert set(SERIES_COLOURS) <= palette
    for count, colours in LEVEL_COLOURS.items():
        assert len(colours) == count
        assert set(colours) <= palette


def test_drawing_is_safe_across_threads() -> None:
    def draw(n: int) -> bytes:
        return bar_chart(
            title=f"Chart {n % 2}",
            categories=["Social work", "Health", "Police"],
            series={"Reader": [10, 20, 30], "Moderator": [15, None, 25]},
            value_label="Number of records",
        ).png

    expected = {n: draw(n) for n in (0, 1)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(draw, range(8)))
    assert all(png == expected[n % 2] for n, png in enumerate(results))


# Questions as long as the record-reading template's (60 to 110 characters).
LONG_QUESTIONS = [
    "Was education or early learning and childcare involved where they had a contribution to make?",
    "Does the assessment include contributions from the agencies involved with the child?",
    "Were legal measures to protect the child considered where they might be needed?",
    "Has the chronology been analysed and used to inform assessment and planning?",
    "Does the IRD record show the decisions made and the reasons for them?",
    "Does the assessment consider the cumulative effect of harm over time?",
    "Are the views of parents or carers included in the assessment, and were they helped to give them?",
    "Was the need for a joint investigative interview (JII) considered?",
    "Were the child's views sought, recorded and taken into account in the decisions made about them?",
    "Does the plan set out who will do what, by when, and how everyone will know it has worked?",
    "Were siblings and other children in the household considered?",
    "Was the child seen alone?",
]


def _assert_readable(fig: object, categories: list[str], n: int) -> None:
    from tests.toolkit.chart_layout import category_labels, drawn_texts, outside, overlaps

    assert overlaps(fig) == []  # type: ignore[arg-type]
    assert outside(fig) == []  # type: ignore[arg-type]
    assert category_labels(fig) == [f"{c} n = {n}" for c in categories]  # type: ignore[arg-type]
    assert not [t for t, _ in drawn_texts(fig) if t.endswith(("…", "..."))]  # type: ignore[arg-type]


def test_long_question_labels_wrap_whole_words_and_never_overlap(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.toolkit.chart_layout import capture_figures

    figures = capture_figures(monkeypatch)
    chart = bar_chart(
        title="Recognising and responding to risk: records where the answer was yes",
        categories=LONG_QUESTIONS,
        series={"Yes": [81.5, 40, 100, 3.7, 55.6, 92.6, 70.4, 25.9, 63, 14.8, 48.1, 88.9]},
        value_label="Percentage of records answering",
        percent=True,
        denominators=[27] * len(LONG_QUESTIONS),
        category_label="Question",
    )
    assert_drawn(chart)
    (fig,) = figures
    _assert_readable(fig, LONG_QUESTIONS, 27)
    for label in fig.axes[0].get_yticklabels():
        lines = label.get_text().split("\n")
        assert lines[-1] == "n = 27"
        # Whole words: every line break falls between two words of the question.
        assert " ".join(lines[:-1]).split() == " ".join(lines[:-1]).split(" ")
    assert [row[0] for row in chart.table_rows] == LONG_QUESTIONS


def test_long_labels_on_the_six_point_chart_never_overlap(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.toolkit.chart_layout import capture_figures

    figures = capture_figures(monkeypatch)
    questions = [q.replace("Was", "How good was", 1) for q in LONG_QUESTIONS]
    stacked_distribution(
        title="Evaluations of quality on the six-point scale",
        categories=questions,
        levels=LEVELS,
        counts=[[1, 4, 10, 8, 3, 1]] * len(questions),
        category_label="Evaluation",
    )
    (fig,) = figures
    _assert_readable(fig, questions, 27)
