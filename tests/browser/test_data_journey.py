"""Issue 14's journey: the coordinator imports a concern extract (a bad row refused with its
row number, then the fixed file), matches its columns, sees the threshold page with the
p-chart, the agency funnel plot and Scotland beside it, makes the re-classified share a plan
measure and draws re-classified concerns into a record-reading case list; a viewer sees the
figures and no child-level row. Every page passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from howgood.records.models import Case
from tests.browser.helpers import sign_in, sign_out
from tests.childprotection.files import ROWS
from tests.records.conftest import exercise, template  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

# The same nine concerns as tests/childprotection/files.py, under the column names of a
# system HowGood does not know: the coordinator matches them once.
HEADER = "Ref,Recd,From,Result,IRD,Meeting,Registered on,Removed on"


def _file(tmp_path: Path, rows: list[str], name: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def test_from_an_extract_to_the_threshold_page_and_into_action(
    cast: Any,
    framework: Any,
    exercise: Any,  # noqa: F811 (the fixture imported above)
    settings: Any,
    new_page: Any,
    tmp_path: Path,
) -> None:
    settings.HOWGOOD_DEMO = True
    for person in (cast.coordinator, cast.viewer):
        person.is_demo = True
        person.save()
    call_command("load_comparators", verbosity=0)
    page = new_page()
    sign_in(page, cast.coordinator.email)
    page.get_by_role("link", name="Data", exact=True).click()
    assert (
        "There is no child protection data yet"
        in page.locator("[data-testid=no-data]").inner_text()
    )
    page.axe("data, empty")

    # A file with a bad row: matched once, then refused whole with the row named.
    page.get_by_role("link", name="Import a concern extract").click()
    page.axe("import an extract")
    bad = list(ROWS)
    bad[4] = "C005,2024-02-02,Education,maybe,2024-02-03,,,"
    page.get_by_label("Concern extract", exact=True).set_input_files(
        str(_file(tmp_path, bad, "bad.csv"))
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_selector("text=Match the columns")
    page.axe("match the columns")
    for label, column in (
        ("Pseudonymous child id", "Ref"),
        ("Date the concern was received", "Recd"),
        ("Referring agency", "From"),
        ("Outcome at screening or IRD", "Result"),
        ("IRD date (optional)", "IRD"),
        ("Child protection planning meeting (CPPM) date (optional)", "Meeting"),
        ("Registration date (optional)", "Registered on"),
        ("De-registration date (optional)", "Removed on"),
    ):
        page.get_by_label(label, exact=True).select_option(label=column)
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("[data-testid=import-problems]").inner_text()
    assert "Row 6: outcome 'maybe' is not one of" in problems
    page.axe("extract refused")

    # The fixed file goes straight to its preview: the columns are remembered.
    page.get_by_role("link", name="upload it again").click()
    page.get_by_label("Concern extract", exact=True).set_input_files(
        str(_file(tmp_path, ROWS, "good.csv"))
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_selector("text=What applying it will change")
    assert (
        "9 concerns about 8 children from 4 referring agencies"
        in page.locator("[data-testid=summary]").inner_text()
    )
    page.axe("preview")
    page.get_by_role("button", name="Apply the extract").click()
    page.wait_for_selector("text=Applied. The figures now include this extract.")

    # The threshold page.
    page.get_by_role("link", name="Data", exact=True).click()
    figures = page.locator("[data-testid=figures] tbody tr").first.inner_text()
    assert figures.split("\t")[:4] == ["Jan to Mar 2024", "9", "4", "44%"]
    assert page.locator("[data-testid=wellbeing-chart]").is_visible()
    assert page.locator("[data-testid=funnel-chart]").is_visible()
    agencies = page.locator("[data-testid=agency-table]").inner_text()
    assert "Education\t3\t3\t100%\twithin the limits" in agencies
    assert (
        "Scotland\t31 July 2021\t2,104\t2.3"
        in page.locator("[data-testid=beside-scotland]").inner_text()
    )
    assert (
        "No national statistics are published on inter-agency referral discussions"
        in page.locator("[data-testid=no-national]").inner_text()
    )
    page.axe("threshold page")
    page.shot("data-threshold")

    # Into the plan, and into record reading.
    page.get_by_label("Series").select_option(
        label="Child protection concerns re-classified to wellbeing"
    )
    page.get_by_role("button", name="Make it a plan measure").click()
    page.wait_for_selector("text=The measure is in the plan")
    assert "Child protection concerns re-classified to wellbeing" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("link", name="Read the records of re-classified concerns").click()
    page.axe("sample re-classified concerns")
    page.get_by_label("Record-reading exercise").select_option(label=exercise.title)
    page.get_by_label("From").fill("2024-01-01")
    page.get_by_label("To").fill("2024-03-31")
    page.get_by_role("button", name="Make the case list").click()
    page.wait_for_selector("text=children whose concerns were re-classified")
    assert Case.objects.filter(exercise=exercise).count() == 4
    sign_out(page)

    # A viewer: the figures, and no child-level row anywhere.
    sign_in(page, cast.viewer.email)
    page.get_by_role("link", name="Data", exact=True).click()
    assert page.locator("[data-testid=figures] tbody tr").first.inner_text().split("\t")[:2] == [
        "Jan to Mar 2024",
        "9",
    ]
    assert "C00" not in page.content()
    assert page.get_by_role("link", name="Import a concern extract").count() == 0
    page.axe("threshold page as a viewer")
