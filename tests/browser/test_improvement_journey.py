"""Issue 5's journey: an action owner sees their overdue action, records progress and adds a
data point, and the chart shows the point and its signal; a PDSA cycle is planned and
appears on the chart; the coordinator sees which actions are not SMART and why, and
downloads the governance report, which is opened and checked."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from howgood.improvement import services
from howgood.improvement.models import Action
from howgood.partnerships.models import Membership
from tests.browser.helpers import sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


def _month(back: int) -> date:
    today = date.today().replace(day=1)
    year, month = today.year, today.month - back
    while month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1)


@pytest.fixture
def setting(cast: Any, framework: Any, settings: Any) -> Any:
    from howgood.frameworks.models import QualityIndicator

    settings.HOWGOOD_DEMO = True
    cast.coordinator.is_demo = True
    cast.coordinator.save()
    owner = Membership.objects.get(user=cast.action_owner, partnership=cast.a)
    today = date.today()
    plan = services.plan_create(
        partnership=cast.a,
        title="Joint improvement plan",
        starts_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=165),
        actor=cast.coordinator,
    )
    measure = services.measure_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": "IRDs held within 24 hours",
            "type": "process",
            "definition": "Of the IRDs held in the month, those within 24 hours of the concern.",
            "numerator": "IRDs within 24 hours",
            "denominator": "IRDs held",
            "improvement": "increase",
            "target": Decimal("90"),
            "owner": owner,
            "chart": "p",
            "rules": "mdc",
            "multiply": 100,
        },
    )
    for back in range(20, 0, -1):
        services.point_save(
            measure=measure,
            period=_month(back),
            numerator=Decimal(27 + back % 3),
            denominator=Decimal(40),
            actor=cast.coordinator,
        )
    action = services.action_create(
        plan=plan,
        actor=cast.coordinator,
        quality_indicators=[QualityIndicator.objects.get(number="5.2")],
        data={
            "title": "Hold a daily IRD screening meeting for every concern received by 10am",
            "owner": owner,
            "measure": measure,
            "starts_on": today - timedelta(days=150),
            "due_on": today - timedelta(days=20),
        },
    )
    Action.objects.filter(pk=action.pk).update(agreed_on=today - timedelta(days=150))
    services.action_create(
        plan=plan, actor=cast.coordinator, data={"title": "Improve communication"}
    )
    diagram = services.diagram_create(
        partnership=cast.a,
        title="Timely IRDs",
        aim="90% of IRDs within 24 hours",
        actor=cast.coordinator,
    )
    driver = services.driver_add(diagram=diagram, text="Screening together", actor=cast.coordinator)
    services.change_idea_add(
        diagram=diagram,
        driver=driver,
        text="A daily screening huddle",
        measures=[measure],
        actor=cast.coordinator,
    )
    return cast


def test_improvement_from_overdue_action_to_governance_report(setting: Any, new_page: Any) -> None:
    cast = setting
    page = new_page()
    sign_in(page, cast.action_owner.email)

    # The owner sees their overdue action and records progress.
    page.get_by_role("link", name="Improvement", exact=True).click()
    mine = page.locator("[data-testid=my-actions]")
    assert "Red" in mine.inner_text() and "Hold a daily IRD screening meeting" in mine.inner_text()
    page.axe("improvement home")
    mine.get_by_role("link", name="Hold a daily IRD screening meeting").click()
    assert "Overdue by 20 days" in page.locator("[data-testid=action-rag]").inner_text()
    page.get_by_label("What has happened since the last update?").fill(
        "Huddle running in the east locality; west starts next month."
    )
    page.get_by_label("How far through is it? (percentage, optional)").fill("70")
    page.get_by_role("button", name="Save progress").click()
    page.wait_for_selector("text=Progress recorded")
    assert "Huddle running in the east locality" in page.locator("[data-testid=notes]").inner_text()
    page.axe("action with progress")

    # A new month's data: 39 of 40 within 24 hours, far above the usual.
    page.get_by_role("link", name="IRDs held within 24 hours").click()
    page.get_by_label("Period (any date in it)").fill(date.today().isoformat())
    page.get_by_label("IRDs within 24 hours").fill("39")
    page.get_by_label("IRDs held").fill("40")
    page.get_by_role("button", name="Add to the chart").click()
    page.wait_for_selector("text=Data point saved")
    signals = page.locator("[data-testid=signals]").inner_text()
    assert f"{date.today():%b %Y}: above the upper limit (improvement)" in signals
    assert page.locator("[data-testid=chart]").is_visible()
    page.axe("measure with its new point")
    page.shot("improvement-measure")

    # Plan a PDSA cycle on the change idea: it appears on the chart.
    page.get_by_role("link", name="Improvement", exact=True).click()
    page.get_by_role("link", name="Timely IRDs").click()
    assert page.locator("[data-testid=diagram]").is_visible()
    page.axe("driver diagram")
    page.shot("improvement-diagram")
    page.get_by_role("link", name="Plan a PDSA cycle for A daily screening huddle").click()
    page.get_by_label("What this cycle tests").fill("Huddle in the west locality for two weeks")
    page.get_by_label("Objective").fill("See whether the huddle works with fewer police staff.")
    page.get_by_label("Questions and predictions").fill("We predict 9 in 10 IRDs within 24 hours.")
    page.get_by_label("When (the test starts)").fill(_month(2).isoformat())
    page.axe("plan a PDSA cycle")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=PDSA cycle 1 is planned")
    page.get_by_role("link", name="IRDs held within 24 hours").click()
    markers = page.locator("[data-testid=markers]").inner_text()
    assert "PDSA 1: Huddle in the west locality for two weeks" in markers
    sign_out(page)

    # The coordinator: which actions are not SMART and why, and the governance report.
    sign_in(page, cast.coordinator.email)
    page.get_by_role("link", name="Improvement", exact=True).click()
    page.get_by_role("link", name="Joint improvement plan").click()
    not_smart = page.locator("[data-testid=not-smart]").inner_text()
    assert "Improve communication" in not_smart
    for reason in ("No owner", "No due date", "Not measurable"):
        assert reason in not_smart
    assert (
        "Hold a daily IRD screening meeting" in page.locator("[data-testid=overdue]").inner_text()
    )
    page.axe("the plan")
    page.shot("improvement-plan")
    files = {}
    plan_url = page.url
    for button, kind in (("Governance report (Word)", "docx"), ("Governance report (PDF)", "pdf")):
        page.go(plan_url.removeprefix(page.base_url))
        page.get_by_role("button", name=button).click(timeout=60_000)
        page.wait_for_selector("[data-testid=download]", timeout=60_000)
        with page.expect_download() as download:
            page.locator("[data-testid=download]").click()
        files[kind] = Path(download.value.path()).read_bytes()

    from docx import Document
    from pypdf import PdfReader

    word = Document(io.BytesIO(files["docx"]))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Actions not yet SMART" in text and "Improve communication" in text
    assert "IRDs held within 24 hours" in text and len(word.inline_shapes) == 1
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    assert "Overdue actions" in pdf and "Hold a daily IRD screening meeting" in pdf
