"""Measures through HTTP: set-up, data by hand and by import, the chart with its rules,
phases, notes and PDSA cycles on it, and the measure list's icons and query count."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from howgood.improvement import services
from howgood.improvement.models import DataPoint, Measure
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def test_coordinator_sets_up_a_measure_and_errors_keep_what_was_typed(
    cast, owner, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    bad = client.post(
        reverse("improvement:measure_create"),
        {
            "title": "IRDs within 24 hours",
            "type": "process",
            "chart": "p",
            "rules": "mdc",
            "frequency": "monthly",
            "multiply": "100",
            "numerator": "IRDs within 24 hours",
            "definition": "From the IRD log",
        },
    )
    assert bad.status_code == 400 and b"needs a denominator" in bad.content
    assert b'value="IRDs within 24 hours"' in bad.content
    good = client.post(
        reverse("improvement:measure_create"),
        {
            "title": "IRDs within 24 hours",
            "type": "process",
            "chart": "p",
            "rules": "mdc",
            "frequency": "monthly",
            "multiply": "100",
            "numerator": "IRDs within 24 hours",
            "denominator": "IRDs held",
            "definition": "From the IRD log",
            "improvement": "increase",
            "owner": owner.pk,
            "submission_key": "m1",
        },
    )
    measure = Measure.objects.get()
    assert good["Location"] == reverse("improvement:measure", args=[measure.pk])


def test_owner_adds_a_point_and_the_chart_shows_it(cast, measure, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("action_owner")
    url = reverse("improvement:measure", args=[measure.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="chart"' in page and "data:image/svg+xml" in page
    refused = client.post(
        reverse("improvement:point_add", args=[measure.pk]),
        {"period": date.today().isoformat(), "numerator": "50", "denominator": "40"},
    )
    assert refused.status_code == 400 and b"cannot be more than the denominator" in refused.content
    saved = client.post(
        reverse("improvement:point_add", args=[measure.pk]),
        {"period": date.today().isoformat(), "numerator": "2", "denominator": "40"},
    )
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    assert f"{date.today():%b %Y}" in page
    # 2 of 40 is far below the others: outside the lower limit, an improvement (lower is better).
    assert "below the lower limit (improvement)" in page
    assert (
        client_for("viewer")
        .post(
            reverse("improvement:point_add", args=[measure.pk]),
            {"period": date.today().isoformat(), "numerator": "2", "denominator": "40"},
        )
        .status_code
        == 403
    )


def test_rule_set_and_chart_choice_change_the_view_not_the_measure(
    cast, measure, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("viewer")
    url = reverse("improvement:measure", args=[measure.pk])
    run = client.get(url, {"chart": "run", "rules": "anhoej"}).content.decode()
    assert "Median" in run and 'value="run" selected' in run
    xmr = client.get(url, {"chart": "xmr", "rules": "mdc"}).content.decode()
    assert "Lower limit" in xmr
    measure.refresh_from_db()
    assert measure.chart == "p"


def test_import_is_all_or_nothing_with_row_errors(cast, measure, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("action_owner")
    before = DataPoint.objects.count()
    bad = b"period,value,out_of\n2020-01,5,40\nsometime,6,40\n2020-03,x,40\n2020-01,5,40\n"
    response = client.post(
        reverse("improvement:measure_import", args=[measure.pk]),
        {"file": SimpleUploadedFile("data.csv", bad, content_type="text/csv")},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Row 3: period must be a date or a month" in body
    assert "Row 4: value must be a number" in body
    assert "Row 5: the same period as row 2" in body
    assert DataPoint.objects.count() == before
    good = b"Month,Value,Out of,Note\nJan 2020,5,40,\n2020-02,6,40,new form\n"
    response = client.post(
        reverse("improvement:measure_import", args=[measure.pk]),
        {"file": SimpleUploadedFile("data.csv", good, content_type="text/csv")},
    )
    assert response.status_code == 302
    assert DataPoint.objects.count() == before + 2
    assert DataPoint.objects.get(period=date(2020, 2, 1)).note == "new form"


def test_phases_and_pdsa_cycles_show_on_the_chart(cast, measure, client_for) -> None:  # type: ignore[no-untyped-def]
    points = list(measure.points.all())
    services.phase_add(
        measure=measure, starts_on=points[12].period, label="New guidance", actor=cast.coordinator
    )
    diagram = services.diagram_create(
        partnership=cast.a, title="Thresholds", aim="Fewer re-classified", actor=cast.coordinator
    )
    driver = services.driver_add(diagram=diagram, text="Shared thresholds", actor=cast.coordinator)
    idea = services.change_idea_add(
        diagram=diagram,
        driver=driver,
        text="Consultation line",
        measures=[measure],
        actor=cast.coordinator,
    )
    services.pdsa_plan(
        change_idea=idea,
        actor=cast.coordinator,
        data={
            "title": "Two schools for four weeks",
            "objective": "Learn",
            "questions_predictions": "Half will call first",
            "starts_on": points[15].period + timedelta(days=3),
        },
    )
    page = (
        client_for("viewer").get(reverse("improvement:measure", args=[measure.pk])).content.decode()
    )
    assert "PDSA 1: Two schools for four weeks" in page
    assert "New guidance" in page


def test_measure_list_queries_do_not_grow_with_measures(
    cast, owner, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    def add(n: int) -> None:
        for k in range(n):
            m = services.measure_create(
                partnership=cast.a,
                actor=cast.coordinator,
                data={
                    "title": f"Measure {Measure.objects.count()}",
                    "type": "process",
                    "definition": "Counted",
                    "numerator": "Things",
                    "chart": "xmr",
                    "rules": "mdc",
                    "improvement": "increase",
                    "target": Decimal("12"),
                },
            )
            DataPoint.objects.bulk_create(
                DataPoint(
                    measure=m,
                    period=date(2020 + i // 12, i % 12 + 1, 1),
                    numerator=Decimal(10 + (i * 7 + k) % 5),
                )
                for i in range(30)
            )

    client = client_for("viewer")
    add(2)
    # The icons are images now (the published ones): their names and words are their alt
    # and title (tests/improvement/test_icons.py), no longer text inside an inline SVG.
    row = "| {title} | Process | {latest} | Jun 2022 | Common cause | Target met sometimes"
    # The first visit judges each measure's chart and keeps them (one cache entry); the
    # next reads the measures with their versions and the kept charts.
    with django_assert_num_queries(17):
        client.get(reverse("improvement:measures"))
    with django_assert_num_queries(9):
        page = client.get(reverse("improvement:measures"))
    assert page.status_code == 200
    text = page_text(page)
    assert row.format(title="Measure 0", latest="13.0") in text
    assert row.format(title="Measure 1", latest="14.0") in text
    assert "Measure 2" not in text
    add(10)
    with django_assert_num_queries(17):
        client.get(reverse("improvement:measures"))
    with django_assert_num_queries(9):
        page = client.get(reverse("improvement:measures"))
    assert page.status_code == 200
    text = page_text(page)
    assert row.format(title="Measure 11", latest="12.0") in text
    assert row.format(title="Measure 9", latest="10.0") in text
    assert text.count("| Process |") == 12


def test_data_that_does_not_fit_the_chart_is_explained_not_a_crash(
    cast, measure, client_for
) -> None:  # type: ignore[no-untyped-def]
    DataPoint.objects.create(
        measure=measure, period=date(2030, 1, 1), numerator=Decimal(50), denominator=Decimal(40)
    )
    client = client_for("viewer")
    page = client.get(reverse("improvement:measure", args=[measure.pk]))
    assert page.status_code == 200 and b"cannot be worked out from the data" in page.content
    assert client.get(reverse("improvement:measures")).status_code == 200


def test_import_refuses_numbers_too_big_to_store(cast, measure, client_for) -> None:  # type: ignore[no-untyped-def]
    data = b"period,value,out_of\n2020-01,12345678901,40\n0000-03,5,40\n"
    response = client_for("action_owner").post(
        reverse("improvement:measure_import", args=[measure.pk]),
        {"file": SimpleUploadedFile("data.csv", data, content_type="text/csv")},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Row 2: value must be a number (up to 10 digits)" in body
    assert "Row 3: period must be a date or a month" in body


def _row(client, title: str) -> str:  # type: ignore[no-untyped-def]
    text = page_text(client.get(reverse("improvement:measures")))
    return next(line for line in text.splitlines() if title in line)


def test_a_changed_point_or_measure_changes_the_kept_chart_on_the_list_and_home(
    cast, measure, client_for
) -> None:  # type: ignore[no-untyped-def]
    # The measure list and home keep each measure's judged chart until its data or settings
    # change: a kept chart that outlived a change would show the old figures here.
    viewer = client_for("viewer")
    title = "Referrals re-classified as wellbeing concerns"
    latest = measure.points.order_by("period").last()
    assert "| 40.0% |" in _row(viewer, title)
    assert "| 40.0% |" in _row(viewer, title)  # kept
    # The viewer's home (the strategic dashboard) says no measure signals yet.
    assert "| Measures that signal a change | No measure signals a change. |" in page_text(
        viewer.get(reverse("home"))
    )
    measure_page = reverse("improvement:measure", args=[measure.pk])
    assert f"| {latest.period:%b %Y} | 40.0% |" in page_text(viewer.get(measure_page))

    # The latest month corrected (the same point saved again, not a new one).
    services.point_save(
        measure=measure,
        period=latest.period,
        numerator=Decimal(2),
        denominator=Decimal(40),
        actor=cast.coordinator,
    )
    row = _row(viewer, title)
    assert "| 5.0% |" in row and "Improvement (low)" in row
    # The measure's own page draws the changed chart (its data table is drawn with it).
    assert f"| {latest.period:%b %Y} | 5.0% |" in page_text(viewer.get(measure_page))
    home = page_text(viewer.get(reverse("home")))
    assert (
        f"{title} | : Special cause variation: 1 signal of improvement. The latest point shows "
        "special cause variation: improvement, lower than usual." in home
    )

    # A new month.
    services.point_save(
        measure=measure,
        period=latest.period + timedelta(days=40),
        numerator=Decimal(15),
        denominator=Decimal(40),
        actor=cast.coordinator,
    )
    assert "| 37.5% |" in _row(viewer, title)

    # The measure's settings: a target of 90% rather than 25% (lower is better).
    assert "Target met sometimes" in _row(viewer, title)
    services.measure_update(measure=measure, data={"target": Decimal("90")}, actor=cast.coordinator)
    assert "Target met consistently" in _row(viewer, title)
