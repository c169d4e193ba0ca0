"""Issue 15's journey on the demo: the lead reviews the child protection committee's terms of
reference, records a meeting whose decision becomes a plan action, builds the report pack
and opens its Word and PDF files, drafts the programme letter and changes a sentence; a
viewer lands on the dashboard and sees no case-level data. Every page passes axe."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from howgood.improvement.models import Action
from howgood.records.models import Concern
from tests.browser.helpers import choose, sign_out

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-howgood-2026"


def sign_in(page: Any, who: str) -> None:
    page.go("/sign-in/")
    page.get_by_label("Email address").fill(f"{who}@demo.howgood.invalid")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base_url + "/**")


def download(page: Any, link: str, tmp_path: Path) -> bytes:
    with page.expect_download() as waiting:
        page.get_by_role("link", name=link).click()
    path = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(str(path))
    return path.read_bytes()


def test_the_lead_governs_and_the_viewer_oversees(
    settings: Any, new_page: Any, tmp_path: Path
) -> None:
    settings.HOWGOOD_DEMO = True
    call_command("load_framework", verbosity=0)
    call_command("load_default_questionnaires", verbosity=0)
    call_command("demo_load", stdout=io.StringIO())
    today = timezone.localdate()
    page = new_page()
    sign_in(page, "lead")
    page.get_by_role("link", name="Governance", exact=True).click()
    assert (
        "Forthvale Child Protection Committee"
        in page.locator("[data-testid=terms-due]").inner_text()
    )
    page.axe("governance")

    # The committee's terms of reference are due: the lead reviews them and sets the next date.
    page.locator("[data-testid=groups]").get_by_role(
        "link", name="Forthvale Child Protection Committee"
    ).click()
    assert "were due for review" in page.locator("[data-testid=terms-due]").inner_text()
    page.axe("group")
    page.get_by_role("link", name="Change the group").click()
    page.axe("change the group")
    page.get_by_label("Terms agreed on (optional)").fill(today.isoformat())
    page.get_by_label("Terms due for review on (optional)").fill(
        (today + timedelta(days=365)).isoformat()
    )
    page.get_by_role("button", name="Save").click()
    assert page.locator("[data-testid=terms-due]").count() == 0
    summary = page.locator("[data-testid=group-summary]").inner_text()
    assert f"review {today + timedelta(days=365):%-d %B %Y}" in summary

    # A meeting whose decision becomes a plan action.
    page.get_by_role("link", name="Add a meeting").click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Agenda (optional)").fill("Apologies\nThreshold data")
    page.get_by_role("button", name="Save").click()
    page.axe("meeting")
    page.get_by_role("link", name="Record a decision").click()
    page.axe("record a decision")
    page.get_by_label("Decision").fill("Audit a sample of re-classified concerns each quarter.")
    choose(
        page, "make_action", "Someone must act on it: add it to the improvement plan as an action"
    )
    page.get_by_label("Action (optional)", exact=True).fill(
        "Audit 20 re-classified concerns each quarter"
    )
    page.get_by_label("Owner").select_option(label="Kirsty Drummond")
    page.get_by_label("Due on").fill((today + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Save").click()
    decisions = page.locator("[data-testid=decisions]").inner_text()
    assert "Audit 20 re-classified concerns each quarter" in decisions
    assert "Kirsty Drummond" in decisions
    assert Action.objects.filter(
        title="Audit 20 re-classified concerns each quarter", decision__isnull=False
    ).exists()
    page.get_by_role("link", name="Audit 20 re-classified concerns each quarter").click()
    assert "Audit 20 re-classified concerns each quarter" in page.locator("h1").inner_text()

    # The report pack, in Word and PDF.
    page.go("/governance/")
    page.get_by_role("link", name="Build a report pack").click()
    page.axe("build a report pack")
    page.get_by_label("For which group").select_option(label="Forthvale Child Protection Committee")
    page.get_by_label("For the meeting on (optional)").fill(
        (today + timedelta(days=14)).isoformat()
    )
    # The test server makes both documents before it answers (tasks run at once in tests):
    # seconds, and more on a busy machine.
    page.get_by_role("button", name="Save").click(timeout=90_000)
    page.wait_for_selector("[data-testid=pack-word]", timeout=90_000)
    page.axe("report pack")
    word = Document(
        io.BytesIO(
            download(page, f"Download report-pack-forthvale-demo-{today:%Y-%m-%d}.docx", tmp_path)
        )
    )
    word_text = "\n".join(p.text for p in word.paragraphs)
    assert "For the Forthvale Child Protection Committee meeting on" in word_text
    assert "IRDs held within 24 hours of the concern" in word_text
    pdf = PdfReader(
        io.BytesIO(
            download(page, f"Download report-pack-forthvale-demo-{today:%Y-%m-%d}.pdf", tmp_path)
        )
    )
    assert "Child protection concerns and thresholds" in "\n".join(
        p.extract_text() for p in pdf.pages
    )

    # The programme letter, drafted from the data, with a sentence changed.
    page.go("/governance/")
    page.get_by_role("button", name="Draft the programme letter").click()
    text = page.locator("[data-testid=draft-text]").inner_text()
    assert "21 local practitioners from partner agencies read 31 records" in text
    assert "In all, 29 staff are now trained" in text
    page.axe("draft")
    page.get_by_role("link", name="Change the text").click()
    page.axe("change the text")
    mine = "A stable leadership team now meets monthly to oversee the plan."
    page.get_by_label("Capacity for change and improvement").fill(mine)
    page.get_by_role("button", name="Save").click()
    assert mine in page.locator("[data-testid=draft-text]").inner_text()
    sign_out(page)

    # The viewer lands on the dashboard and sees no case-level data.
    viewer = new_page(width=390)
    sign_in(viewer, "viewer")
    board = viewer.locator("[data-testid=dashboard]").inner_text()
    assert "2 open" in board
    for concern in Concern.objects.exclude(status="closed"):
        assert concern.reading_id not in viewer.content()
    assert "Audit 20 re-classified concerns each quarter" not in board  # not overdue
    viewer.axe("viewer's home")
    viewer.go("/governance/dashboard/")
    viewer.axe("dashboard")
