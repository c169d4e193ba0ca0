"""Figures people can trust on a measure's page and in the governance report: the run
chart's runs limits as Perla, Provost & Murray (2011) Table 1 publishes them (and said to be
HowGood's own above 60), and a headline that agrees with the signals listed under it."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import TestCase
from django.urls import reverse

from howgood.improvement import services
from howgood.improvement.models import DataPoint, Measure

pytestmark = pytest.mark.django_db

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month(i: int) -> date:
    """The i-th month from January 2021."""
    return date(2021 + i // 12, i % 12 + 1, 1)


def label(i: int) -> str:
    day = month(i)
    return f"{MONTHS[day.month - 1]} {day.year}"


def add_measure(cast: Any, values: list[float], **fields: Any) -> Measure:
    measure = services.measure_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": fields.pop("title", "Children seen within 10 days"),
            "type": "process",
            "definition": "Children seen by a worker within 10 working days of referral.",
            "numerator": "Children seen within 10 days",
            **fields,
        },
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=month(i), numerator=Decimal(str(v)))
        for i, v in enumerate(values)
    )
    return measure


def runs_of(lengths: list[int], *, on_median: int) -> list[float]:
    """Run-chart values: ``on_median`` points at 10 (which will be the median), then runs
    of the given lengths, alternately above (12, 13, 12, ...) and below (7, 6, 7, ...).
    Neighbours zig-zag inside a run, so no five points go the same way (no trend)."""
    values = [10.0] * on_median
    for number, length in enumerate(lengths):
        high, low = (12.0, 13.0) if number % 2 == 0 else (7.0, 6.0)
        values += [high if k % 2 == 0 else low for k in range(length)]
    return values


def measure_page(client: Any, measure: Measure) -> str:
    response = client.get(reverse("improvement:measure", args=[measure.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# ---------------------------------------------------------------------------------------
# Item 6: the runs limits are the published ones


def test_27_useful_observations_with_9_runs_is_too_few_runs(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # 14 above, 13 below and 2 on the median: 27 useful observations in 9 runs. The table
    # says fewer than 10 runs is too few (the Swed-Eisenhart construction said 9).
    values = runs_of([3, 4, 3, 3, 3, 3, 3, 3, 2], on_median=2)
    assert (sum(v > 10 for v in values), sum(v < 10 for v in values)) == (14, 13)
    measure = add_measure(cast, values, chart="run", rules="ihi", improvement="increase")
    page = measure_page(client_for("viewer"), measure)
    assert (
        "Too few runs: 9 runs across the median. With 27 points not on the median, fewer "
        "than 10 runs is unlikely by chance alone." in page
    )
    assert "Signal of change: 1 signal." in page
    assert "Shift:" not in page and "Trend:" not in page
    assert "extension" not in page


def test_35_useful_observations_with_12_runs_is_no_signal(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # 18 above, 17 below and 2 on the median: 35 useful observations in 12 runs. The table
    # says fewer than 12 is too few, so 12 is not (the construction said fewer than 13).
    values = runs_of([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2], on_median=2)
    assert (sum(v > 10 for v in values), sum(v < 10 for v in values)) == (18, 17)
    measure = add_measure(cast, values, chart="run", rules="ihi", improvement="increase")
    page = measure_page(client_for("viewer"), measure)
    assert "Too few runs" not in page
    assert (
        "No signals: the variation is what this process usually produces (random variation)."
        in page
    )
    assert "No signal: random variation around the median." in page


def test_above_60_useful_observations_the_page_says_the_limits_are_howgoods(
    cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    # 62 useful observations (31 either side, the median between them) in 21 runs. The
    # published table stops at 60; HowGood's extension gives 25 to 39 runs for 62.
    values = runs_of([3] * 17 + [4, 2, 3, 2], on_median=0)
    assert (sum(v > 10 for v in values), sum(v < 10 for v in values)) == (31, 31)
    measure = add_measure(cast, values, chart="run", rules="ihi")
    page = measure_page(client_for("viewer"), measure)
    assert "Too few runs: 21 runs across the median. With 62 points not on the median" in page
    assert (
        "The published runs table (Perla, Provost and Murray 2011) stops at 60 points not on "
        "the median. For 62 the limits used here, fewer than 25 or more than 39 runs, are "
        "HowGood's extension of it, worked out from Swed and Eisenhart's distribution of "
        "runs, which the table was adapted from." in page
    )


# ---------------------------------------------------------------------------------------
# Item 7: the headline says what the list says

# Mean 49.9: seven points below it from the 13th (a concern, higher is better), then one
# far above the upper limit (an improvement), then four ordinary points.
CONCERN_THEN_IMPROVEMENT = [
    *(50, 52, 49, 51, 48, 53, 50, 47, 51, 52, 49, 50),
    *(46, 45, 47, 46, 45, 47, 46),
    *(51, 49, 52, 50, 48, 51),
    70,
    *(50, 51, 49, 52),
]
HEADLINE = (
    "Special cause variation: 2 signals, 1 of improvement and 1 of concern. "
    "The latest point shows common cause variation."
)


def signalling_measure(cast: Any) -> Measure:
    return add_measure(
        cast,
        [float(v) for v in CONCERN_THEN_IMPROVEMENT],
        title="Assessments completed on time",
        chart="xmr",
        rules="mdc",
        improvement="increase",
    )


def test_measure_page_headline_agrees_with_its_signals(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    measure = signalling_measure(cast)
    page = measure_page(client_for("viewer"), measure)
    signals = [
        f"{label(12)} to {label(18)}: a run of points on one side of the centre line (concern).",
        f"{label(25)}: above the upper limit (improvement).",
    ]
    for line in signals:
        assert f"<li>{line}</li>" in page
    assert HEADLINE in page
    assert "no sign that the process has changed" not in page


def test_governance_report_headline_agrees_with_its_signals(cast, plan, client_for) -> None:  # type: ignore[no-untyped-def]
    import docx

    measure = signalling_measure(cast)
    services.action_create(
        plan=plan,
        actor=cast.coordinator,
        data={
            "title": "Complete assessments on time",
            "measure": measure,
            "due_on": date.today() + timedelta(days=60),
        },
    )
    client = client_for("viewer")
    with TestCase.captureOnCommitCallbacks(execute=True):
        made = client.post(reverse("improvement:plan_report", args=[plan.pk, "docx"]))
    report = made["Location"].rstrip("/").split("/")[-1]
    document = docx.Document(
        io.BytesIO(client.get(reverse("reports:download", args=[report])).content)
    )
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("Assessments completed on time")
    section = paragraphs[start : start + 6]
    assert HEADLINE in section
    assert (
        f"{label(12)} to {label(18)}: a run of points on one side of the centre line (concern)."
        in section
    )
    assert f"{label(25)}: above the upper limit (improvement)." in section
    assert not any("no sign that the process has changed" in p for p in paragraphs)


def test_a_chart_with_no_signals_says_common_cause(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    values = [float(v) for v in (50, 52, 49, 51, 48, 53, 50, 47, 51, 52, 49, 50, 51, 49, 50)]
    measure = add_measure(cast, values, chart="xmr", rules="mdc", improvement="increase")
    page = measure_page(client_for("viewer"), measure)
    assert "Common cause variation: no sign that the process has changed." in page
    assert "No signals: the variation is what this process usually produces (common cause)." in page


def test_measure_list_does_not_hide_earlier_signals(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # The list's icon is the latest point's (Making Data Count); it must not read as "no
    # change" when the chart it stands for lists signals.
    signalling_measure(cast)
    page = html.unescape(client_for("viewer").get(reverse("improvement:measures")).content.decode())
    row = page[page.index("Assessments completed on time") :]
    row = row[: row.index("</tr>")]
    assert "Common cause" in row
    assert "at the latest point; 2 signals earlier on the chart" in row


def test_home_lists_a_measure_with_signals_in_its_own_headline(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # The latest point is common cause, but the chart lists two signals: the home page's
    # "Measures that signal a change" shows it, in the chart's own headline.
    measure = signalling_measure(cast)
    quiet = [float(v) for v in (50, 52, 49, 51, 48, 53, 50, 47, 51, 52, 49, 50, 51, 49, 50)]
    add_measure(cast, quiet, title="Plans shared", chart="xmr", rules="mdc", improvement="increase")
    response = client_for("viewer").get(reverse("home"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    card = page[page.index("Measures that signal a change") :]
    card = card[: card.index("</ul>")]
    link = reverse("improvement:measure", args=[measure.pk])
    assert f'<li><a href="{link}">Assessments completed on time</a>: {HEADLINE}</li>' in card
    assert "Plans shared" not in card
