"""Issue 6's journey: the coordinator uploads a document and logs a single-service audit;
two contributors add strengths and areas for improvement to a quality indicator in a
workshop; the facilitator records the evaluation; the coordinator writes a section of the
position statement with live evidence, sees the word count and turns a next step into a
plan action; the lead signs off; the Word and PDF exports carry the evidence and its
numbers."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from howgood.accounts.models import User
from howgood.improvement import services as improvement
from howgood.partnerships.models import Membership
from howgood.questionnaires import services as qservices
from howgood.questionnaires.examples import pulse_survey
from howgood.selfevaluation import services
from howgood.surveys import services as surveys
from tests.browser.helpers import choose, sign_in, sign_out
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting(cast: Any, framework: Any, settings: Any) -> Any:
    from howgood.frameworks.models import QualityIndicator

    settings.HOWGOOD_DEMO = True
    for who in ("coordinator", "lead"):
        cast.users[who].is_demo = True
        cast.users[who].save()
    second = User.objects.create_user(
        email="second@a.example", password=PASSWORD, full_name="Second Contributor"
    )
    Membership.objects.create(
        user=second, partnership=cast.a, role="contributor", agency=cast.police
    )
    Membership.objects.filter(user=cast.contributor).update(agency=cast.health)
    cast.users["second"] = second
    version = qservices.version_publish(
        version=qservices.questionnaire_import(
            partnership=cast.a,
            files={"p.xlsx": pulse_survey()},
            actor=cast.coordinator,
            kind="staff_survey",
        ),
        actor=cast.coordinator,
    )
    survey = surveys.survey_create(
        partnership=cast.a,
        title="Staff survey",
        version=version,
        audience=[cast.social_work, cast.health],
        opens_on=date.today(),
        closes_on=date.today() + timedelta(days=20),
        access_mode="link",
        actor=cast.coordinator,
    )
    for i in range(20):
        response = surveys.response_start(survey=survey, agency=cast.social_work)
        surveys.response_save(
            response=response,
            values={"role": "teacher", "confident_risk": "agree" if i < 14 else "disagree"},
            section_index=2,
        )
        surveys.response_submit(response=response)
    # Its results are evidence once it has closed (ADR 0008).
    surveys.survey_close(survey=survey, actor=cast.coordinator)
    services.workshop_create(
        partnership=cast.a,
        title="Workshop on risk",
        quality_indicators=[QualityIndicator.objects.get(number="5.2")],
        actor=cast.coordinator,
    )
    improvement.plan_create(
        partnership=cast.a,
        title="Joint plan",
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=300),
        actor=cast.coordinator,
    )
    return cast


def test_self_evaluation_to_a_signed_off_position_statement(
    setting: Any, new_page: Any, tmp_path: Path
) -> None:
    cast = setting
    page = new_page()
    sign_in(page, cast.coordinator.email)

    # The evidence library and the audit register.
    page.get_by_role("link", name="Self-evaluation", exact=True).click()
    page.axe("self-evaluation home")
    page.get_by_role("link", name="0 documents").click()
    page.get_by_role("link", name="Upload a document").click()
    from docx import Document

    path = tmp_path / "IRD procedure.docx"
    document = Document()
    document.add_paragraph("An invented procedure.")
    document.save(str(path))
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("Title").fill("IRD procedure")
    choose(page, "type", "Policy or procedure")
    page.get_by_label("Date of the document").fill("2026-06-01")
    page.get_by_label("Summary").fill("How partners hold inter-agency referral discussions.")
    page.axe("upload a document")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=The document is in the evidence library")
    assert "IRD procedure" in page.locator("[data-testid=documents]").inner_text()
    page.go("/self-evaluation/audits/add/")
    page.get_by_label("Title").fill("Health visiting records audit")
    page.get_by_label("Date").fill("2025-11-01")
    page.get_by_label("Key findings").fill("IRD outcomes are not always filed.")
    page.get_by_label("Findings to track (one per line, optional)").fill(
        "IRD outcomes are not always filed in the health record"
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=The audit is on the register")
    page.go("/self-evaluation/audits/")
    assert (
        "IRD outcomes are not always filed"
        in page.locator("[data-testid=open-findings]").inner_text()
    )
    page.axe("audit register")
    sign_out(page)

    # Two contributors add to QI 5.2 in the workshop.
    for who, kind, text in (
        ("contributor", "Strength", "IRDs are held quickly with police and health."),
        ("second", "Area for improvement", "Schools do not hear back after a referral."),
    ):
        sign_in(page, cast.users[who].email)
        page.get_by_role("link", name="Self-evaluation", exact=True).click()
        page.get_by_role("link", name="Workshop on risk").click()
        page.get_by_role("link", name="QI 5.2").click()
        choose(page, "kind", kind)
        page.get_by_label("Your contribution").fill(text)
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_selector("text=Added. Thank you.")
        page.axe("workshop focus")
        sign_out(page)

    # The facilitator records the group's evaluation.
    sign_in(page, cast.coordinator.email)
    page.go("/self-evaluation/workshops/")
    page.get_by_role("link", name="Workshop on risk").click()
    page.get_by_role("link", name="QI 5.2").click()
    assert "Health" in page.locator("text=Contributions from").inner_text()
    choose(page, "level", "4 Good")
    page.get_by_label("The group's reasons").fill("Prompt joint responses; feedback is weaker.")
    page.get_by_role("button", name="Record the evaluation").click()
    assert "4 Good" in page.locator("[data-testid=evaluation]").inner_text()
    page.shot("selfevaluation-focus")

    # The position statement: a section with live evidence and the word count.
    page.go("/self-evaluation/statements/")
    page.get_by_role("link", name="Start a position statement").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Write this section").first.click()
    page.get_by_label("Evidence", exact=True).select_option(
        label="I am confident in recognising when a child may be at risk of harm"
    )
    page.get_by_role("button", name="Add the evidence").click()
    notice = page.locator(".ds_notification-panel").first.inner_text()
    token = notice[notice.index("[evidence") : notice.index("]") + 1]
    assert (
        "70% (14 of 20) agree or strongly agree"
        in page.locator("[data-testid=evidence]").inner_text()
    )
    page.get_by_label("How good are we now?").fill("Staff are confident in recognising risk.")
    page.get_by_label("How do we know?").fill(f"Our staff survey says so {token}.")
    page.get_by_label("What do we plan to do next?").fill("Tell referrers what happened.")
    counted = page.locator("[data-testid=word-count]").inner_text()
    assert "of 5000 words" in counted
    if page.evaluate("() => !!window.fetch"):  # counted as people type, with JavaScript
        assert "This section: 15 words" in counted
    page.axe("write a section")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector("text=Saved.")
    page.get_by_label("The step to add to the plan as a draft action").fill(
        "Give every referrer written feedback within five working days"
    )
    page.get_by_role("button", name="Add to the plan as a draft action").click()
    page.wait_for_selector("text=A draft action is in the plan")
    assert "the position statement" in page.content()
    page.go("/self-evaluation/statements/")
    page.get_by_role("link", name="Position statement", exact=True).click()
    page.get_by_role("button", name="Save as a version").click()
    page.wait_for_selector("text=Saved as version 1")
    page.shot("selfevaluation-statement")
    sign_out(page)

    # The lead signs the version off; the exports carry the evidence and its numbers.
    sign_in(page, cast.lead.email)
    page.go("/self-evaluation/statements/")
    page.get_by_role("link", name="Position statement", exact=True).click()
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("button", name="Sign off this version").click()
    assert "Signed off" in page.locator("[data-testid=sign-off]").inner_text()
    page.axe("signed-off version")
    version_url = page.url.removeprefix(page.base_url)
    files = {}
    for button, kind in (("Word", "docx"), ("PDF", "pdf")):
        page.go(version_url)
        page.get_by_role("button", name=button, exact=True).click(timeout=60_000)
        page.wait_for_selector("[data-testid=download]", timeout=60_000)
        with page.expect_download() as download:
            page.locator("[data-testid=download]").click()
        files[kind] = Path(download.value.path()).read_bytes()

    from pypdf import PdfReader

    word = "\n".join(p.text for p in Document(io.BytesIO(files["docx"])).paragraphs)
    assert "Our staff survey says so [E1]." in word
    assert "70% (14 of 20) agree or strongly agree" in word and "signed off by" in word
    pdf = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(files["pdf"])).pages
    )
    assert "70% (14 of 20)" in pdf and "[E1]" in pdf
