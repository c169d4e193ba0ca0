"""Issue 3's journey: import a case list, draw a sample, pair and assign; two readers read
and submit (one raises a concern, which the lead acknowledges); the moderator reconciles;
the coordinator opens the findings and downloads Word, PDF and Excel, which are opened."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from howgood.partnerships.models import Membership
from tests.browser.helpers import choose, sign_in, sign_out
from tests.records.conftest import case_csv, template_bytes, train

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting(cast: Any, framework: Any, settings: Any) -> Any:
    from howgood.questionnaires import services as qservices

    settings.HOWGOOD_DEMO = True
    for who in ("coordinator", "lead", "reader", "moderator"):
        cast.users[who].is_demo = True
        cast.users[who].save()
    version = qservices.questionnaire_import(
        partnership=cast.a,
        files={"t.xlsx": template_bytes()},
        actor=cast.coordinator,
        kind="record_reading",
        title="Reading template",
    )
    qservices.version_publish(version=version, actor=cast.coordinator)
    train(
        Membership.objects.get(user=cast.reader, partnership=cast.a),
        Membership.objects.get(user=cast.moderator, partnership=cast.a),
    )
    return cast


def read_record(page: Any, quality: str, seen_alone: str) -> None:
    page.get_by_role("link", name="Record reading", exact=True).click()
    page.locator("[data-testid=my-readings] tbody tr").first.locator("button").click()
    page.wait_for_selector("h1:has-text('Recognising and responding to risk')")
    page.axe("reading section 1")
    choose(page, "ird_held", "Yes")
    choose(page, "ird_timely", "Yes")
    choose(page, "initial_quality", quality)
    page.get_by_label("Why did you give this evaluation?").fill(
        "The record shows a prompt joint response."
    )
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector("h1:has-text('The child')")
    choose(page, "seen_alone", seen_alone)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector("h1:has-text('Check your answers')")
    page.axe("reading check your answers")
    page.get_by_role("button", name="Submit reading").click()
    page.wait_for_selector("text=is submitted")


def test_record_reading_from_case_list_to_findings(
    setting: Any, new_page: Any, tmp_path: Path
) -> None:
    cast = setting
    page = new_page()
    sign_in(page, cast.coordinator.email)

    # Start an exercise and import the case list.
    page.get_by_role("link", name="Record reading", exact=True).click()
    page.axe("record reading index")
    page.get_by_role("link", name="Start an exercise").click()
    page.get_by_label("Name of the exercise").fill("Autumn record reading")
    choose(page, "template", "Reading template (version 1)")
    page.get_by_role("button", name="Save").click()
    page.axe("exercise overview")
    page.get_by_role("link", name="1. Import the case list").click()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,category,age_band,sex\nA1,registered,5-11,female\nA2,somewhere,5-11,female\n"
    )
    page.get_by_label("Case list").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    assert (
        "Row 3: category must be one of"
        in page.locator("[data-testid=import-problems]").inner_text()
    )
    page.axe("case list refused")
    good = tmp_path / "cases.csv"
    good.write_bytes(case_csv(30))
    page.locator("input[name=file]").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("text=Imported 30 records")

    # Work out and draw the sample.
    page.get_by_role("link", name="2. Draw the sample").click()
    page.get_by_role("button", name="Work out the sample size").click()
    assert "of 30 records" in page.locator("[data-testid=calculated]").inner_text()
    page.axe("sample calculator")
    page.get_by_label("Sample size to draw (optional)").fill("2")
    page.get_by_role("button", name="Draw the sample").click()
    page.wait_for_selector("text=The sample has been drawn")

    # Pair the trained reader and moderator, then share the records out.
    page.get_by_role("link", name="3. Make reading pairs").click()
    page.get_by_label("Reader", exact=True).select_option(label="Reader Person (A Health)")
    page.get_by_label("Moderator", exact=True).select_option(
        label="Moderator Person (A Social Work)"
    )
    page.get_by_role("button", name="Add pair").click()
    page.wait_for_selector("text=Pair added")
    page.axe("pairs")
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="4. Assign records to pairs").click()
    page.get_by_role("button", name="Share out unassigned records evenly").click()
    page.wait_for_selector("text=Shared out 2 records")
    page.axe("assign")
    page.shot("records-assign")
    sign_out(page)

    # The reader reads one record, raising a matter of concern on the way.
    sign_in(page, cast.reader.email)
    page.get_by_role("link", name="Record reading", exact=True).click()
    assert page.locator("[data-testid=my-readings] tbody tr").count() == 2
    page.axe("your readings")
    page.locator("button", has_text="Start reading").first.click()
    page.get_by_role("link", name="Raise a matter of concern").click()
    page.get_by_label("What is the concern about the child's current safety?").fill(
        "A recent injury has no follow-up recorded."
    )
    page.get_by_role("button", name="Raise the concern").click()
    page.wait_for_selector("text=The lead officer has been told")
    page.axe("concern")
    read_record(page, "4 Good", "Yes")
    page.shot("records-my-readings")
    sign_out(page)

    # The lead sees the concern on their home page and acknowledges it.
    sign_in(page, cast.lead.email)
    concerns = page.locator("[data-testid=open-concerns]")
    assert "1 open matter of concern" in concerns.inner_text()
    concerns.locator("a").first.click()
    page.axe("concern for the lead")
    page.get_by_role("button", name="Record: acknowledged").click()
    assert "Acknowledged" in page.locator("[data-testid=concern-status]").inner_text()
    sign_out(page)

    # The moderator reads the same record, then reconciles the two readings.
    sign_in(page, cast.moderator.email)
    read_record(page, "3 Adequate", "No")
    page.get_by_role("link", name="Moderate").first.click()
    assert page.locator("[data-testid=difference-count]").inner_text() == "2"
    page.axe("moderation")
    page.shot("records-moderation")
    page.get_by_label("Agreed answer: How good was the initial response?").select_option(
        "4"
    ) if page.locator("select[name=agreed__initial_quality]").count() else choose(
        page, "agreed__initial_quality", "4 Good"
    )
    choose(page, "agreed__seen_alone", "Yes")
    page.locator("textarea[name=note__initial_quality]").fill(
        "The IRD record shows a prompt, joint response."
    )
    page.locator("textarea[name=note__seen_alone]").fill(
        "The school visit note records the child seen alone."
    )
    page.get_by_role("button", name="Complete moderation").click()
    page.wait_for_selector("text=is moderated")
    sign_out(page)

    # The coordinator opens the findings and downloads the three documents.
    sign_in(page, cast.coordinator.email)
    page.go("/record-reading/")
    page.get_by_role("link", name="Autumn record reading").click()
    page.get_by_role("link", name="Findings").click()
    assert (
        "Based on 1 moderated reading" in page.locator("[data-testid=findings-basis]").inner_text()
    )
    page.get_by_role("button", name="Suggest from the findings").click()
    assert page.locator("[data-testid=statement]").count() >= 1
    page.axe("findings")
    page.shot("records-findings")
    files = {}
    for button, kind in (("Word report", "docx"), ("PDF report", "pdf"), ("Excel data", "xlsx")):
        page.get_by_role("link", name="Record reading", exact=True).click()
        page.get_by_role("link", name="Autumn record reading").click()
        page.get_by_role("link", name="Findings").click()
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_selector("[data-testid=download]")
        page.axe(f"{kind} ready")
        with page.expect_download() as download:
            page.locator("[data-testid=download]").click()
        files[kind] = Path(download.value.path()).read_bytes()

    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    word = "\n".join(p.text for p in Document(io.BytesIO(files["docx"])).paragraphs)
    assert "Record reading findings: Autumn record reading" in word
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    assert "Record reading findings" in pdf and "Partnership A" in pdf
    book = load_workbook(io.BytesIO(files["xlsx"]))
    rows = list(book["Moderated readings"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Reading ID", "Category", "Age band", "Sex") and len(rows) == 2
    assert rows[1][0].startswith("R-")


def one_record_for_the_reader(cast: Any) -> Any:
    """An exercise of one sampled record, assigned to the reader and the moderator."""
    from howgood.questionnaires.models import QuestionnaireVersion
    from howgood.records import services
    from howgood.records.caselist import read_case_list

    exercise = services.exercise_create(
        partnership=cast.a,
        title="Quick reading",
        template=QuestionnaireVersion.objects.get(questionnaire__title="Reading template"),
        activity=None,
        actor=cast.coordinator,
    )
    services.cases_import(
        exercise=exercise,
        rows=read_case_list(case_csv(4), "cases.csv"),
        actor=cast.coordinator,
        filename="cases.csv",
    )
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=1,
        seed=42,
        actor=cast.coordinator,
    )
    services.pair_create(
        exercise=exercise,
        reader=Membership.objects.get(user=cast.reader, partnership=cast.a),
        moderator=Membership.objects.get(user=cast.moderator, partnership=cast.a),
        actor=cast.coordinator,
    )
    services.assign_balanced(exercise=exercise, actor=cast.coordinator)
    return exercise


def test_answering_then_saving_at_once_never_conflicts(
    setting: Any, new_page: Any, live_server: Any
) -> None:
    """Issue 11, item 3: "Save and continue" pressed while the page's autosave is still on
    its way waits for it, then saves; pressed straight after an answer (the autosave not yet
    sent) it saves at once. Neither shows a conflict, and the reading is submitted."""
    from howgood.records.models import Reading

    cast = setting
    exercise = one_record_for_the_reader(cast)
    page = new_page()
    held: list[Any] = []

    def hold_the_first_autosave(route: Any) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/autosave/", hold_the_first_autosave)
    sign_in(page, cast.reader.email)
    page.get_by_role("link", name="Record reading", exact=True).click()
    page.locator("[data-testid=my-readings] tbody tr").first.locator("button").click()
    page.wait_for_selector("h1:has-text('Recognising and responding to risk')")
    choose(page, "ird_held", "Yes")
    choose(page, "ird_timely", "Yes")
    choose(page, "initial_quality", "4 Good")
    with page.expect_request(lambda request: request.url.endswith("/autosave/")):
        page.get_by_label("Why did you give this evaluation?").fill("A prompt joint response.")
        page.get_by_label("Why did you give this evaluation?").blur()
    # The autosave is on its way (held): the press waits for it.
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector("#autosave-status:has-text('Saving your answers…')")
    assert page.locator("h1").inner_text() == "Recognising and responding to risk"
    held[0].continue_()
    page.wait_for_selector("h1:has-text('The child')")
    # Answer and press at once: the autosave has not gone yet, and never goes.
    choose(page, "seen_alone", "No")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector("h1:has-text('Check your answers')")
    assert page.locator("[data-testid=conflict]").count() == 0
    page.get_by_role("button", name="Submit reading").click()
    page.wait_for_selector("text=is submitted")
    reading = Reading.objects.get(case__exercise=exercise, membership__user=cast.reader)
    assert reading.status == "submitted"
    assert sorted(reading.submission.answers.values_list("item__name", "value_text")) == [
        ("initial_quality", "4"),
        ("initial_quality_reason", "A prompt joint response."),
        ("ird_held", "yes"),
        ("ird_timely", "yes"),
        ("seen_alone", "no"),
    ]


def test_another_tab_that_changed_the_answers_is_shown_beside_yours(
    setting: Any, new_page: Any
) -> None:
    """Issue 11, item 3: only another tab's different answers stop a save, and then the page
    shows them beside this page's, which stay in the form to save again."""
    from howgood.questionnaires.selectors import answers_of
    from howgood.records.models import Reading

    cast = setting
    exercise = one_record_for_the_reader(cast)
    page = new_page()
    sign_in(page, cast.reader.email)
    page.get_by_role("link", name="Record reading", exact=True).click()
    page.locator("[data-testid=my-readings] tbody tr").first.locator("button").click()
    page.wait_for_selector("h1:has-text('Recognising and responding to risk')")
    other_tab = page.context.new_page()
    other_tab.goto(page.url)
    choose(other_tab, "ird_held", "No")
    other_tab.get_by_role("button", name="Save and come back later").click()
    other_tab.wait_for_selector("text=is waiting for you")
    choose(page, "ird_held", "Partly")
    page.wait_for_selector("[data-testid=autosave-conflict]")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_selector("h2:has-text('Your answers were not saved')")
    rows = page.locator("[data-testid=conflict-answers] tr")
    assert [rows.nth(i).locator("th, td").all_inner_texts() for i in range(rows.count())] == [
        ["Question", "Saved in the other tab", "On this page, not saved"],
        ["Was an inter-agency referral discussion (IRD) held?", "No", "Partly"],
    ]
    page.axe("reading conflict")
    page.shot("records-reading-conflict")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_selector("text=is waiting for you")
    reading = Reading.objects.get(case__exercise=exercise, membership__user=cast.reader)
    assert answers_of(reading.submission) == {"ird_held": "partly"}
