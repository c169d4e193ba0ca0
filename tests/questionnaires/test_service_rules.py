"""The questionnaire services' refusals and choices, with the words people see: which
reader an upload goes to, publishing once, a draft published by another tab meanwhile,
shared questionnaires copied only into a partnership, and answers for the right version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from howgood.questionnaires import selectors, services
from howgood.questionnaires.definition import DefinitionError
from howgood.questionnaires.examples import pulse_survey
from howgood.questionnaires.models import QuestionnaireVersion
from howgood.questionnaires.rendering import relevant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("framework")]

STAFF_SURVEY = Path(__file__).resolve().parents[2] / "data" / "questionnaires" / "staff-survey"


def problems(files: dict[str, bytes]) -> list[str]:
    with pytest.raises(DefinitionError) as error:
        services.read_definition(files)
    return [p.message for p in error.value.problems]


def test_an_upload_goes_to_the_reader_for_what_it_is() -> None:
    assert problems({}) == ["Choose a file to upload."]
    assert problems({"form.xlsx": pulse_survey(), "choices.csv": b"list_name,name,label\n"}) == [
        "Upload one Excel workbook, or CSV files only (one per sheet: survey.csv, "
        "choices.csv, settings.csv)."
    ]
    assert problems({"form.pdf": b"%PDF-1.7"}) == [
        "form.pdf is not a file HowGood can read. Upload an XLSForm as .xlsx, .xls or .csv, "
        "or a REDCap data dictionary as .csv."
    ]
    sheets = {p.name: p.read_bytes() for p in STAFF_SURVEY.glob("*.csv")}
    from_sheets = services.read_definition(sheets)
    from_workbook = services.read_definition(
        {"staff-survey.xlsx": (STAFF_SURVEY.parent / "staff-survey.xlsx").read_bytes()}
    )
    assert [i.name for i in from_sheets.items] == [i.name for i in from_workbook.items]
    one_csv = b"survey,,,\n,type,name,label\n,text,first_name,What is your first name?\n"
    from_one_csv = services.read_definition({"form.csv": one_csv})  # pyxform's single CSV
    assert [(i.name, i.label) for i in from_one_csv.items] == [
        ("first_name", "What is your first name?")
    ]


def _draft(cast: Any) -> QuestionnaireVersion:
    return services.questionnaire_import(
        partnership=cast.a, files={"p.xlsx": pulse_survey()}, actor=cast.coordinator
    )


def test_a_version_is_published_once_and_not_rewritten_after(cast: Any) -> None:
    draft = _draft(cast)
    stale = QuestionnaireVersion.objects.get(pk=draft.pk)  # another tab's copy, still a draft
    services.version_publish(version=draft, actor=cast.coordinator)
    with pytest.raises(services.FrozenVersion) as refused:
        services.version_publish(version=draft, actor=cast.coordinator)
    assert str(refused.value) == "This version is already published."
    with pytest.raises(services.FrozenVersion) as refused:
        services.version_replace(
            version=stale, files={"p.xlsx": pulse_survey()}, actor=cast.coordinator
        )
    assert str(refused.value) == (
        "A published version cannot change. Make a new version from it instead."
    )


def test_a_shared_questionnaire_is_copied_only_into_a_partnership(cast: Any) -> None:
    shared = services.questionnaire_import(
        partnership=None, files={"p.xlsx": pulse_survey()}, actor=None
    )
    with pytest.raises(ValueError, match="Copying a shared questionnaire needs the partnership"):
        services.version_derive(version=shared, actor=cast.coordinator)
    copy = services.version_derive(version=shared, actor=cast.coordinator, partnership=cast.a)
    assert copy.questionnaire.partnership == cast.a


def test_answers_are_saved_against_the_submissions_own_version(cast: Any) -> None:
    one, other = _draft(cast), _draft(cast)
    submission = services.submission_create(version=one)
    item = other.items.filter(type="select_one").first()
    assert item is not None
    with pytest.raises(ValueError, match="Answers must be given against the submission's own"):
        services.answers_save(submission=submission, values={item.name: "agree"}, items=[item])


def test_relevance_is_always_when_there_is_no_condition() -> None:
    assert relevant("", {})
    assert relevant("${years} > 2", {"years": 3})
    assert not relevant("${years} > 2", {"years": 1})


def test_a_new_version_of_a_questionnaire_is_numbered_next_and_audited_once(cast: Any) -> None:
    from howgood.core.models import AuditEvent

    first = _draft(cast)
    second = services.questionnaire_import(
        partnership=cast.a,
        files={"p.xlsx": pulse_survey()},
        actor=cast.coordinator,
        questionnaire=first.questionnaire,
    )
    assert (second.questionnaire_id, second.number) == (first.questionnaire_id, 2)
    assert AuditEvent.objects.filter(action="questionnaires.questionnaire.created").count() == 1
    assert AuditEvent.objects.filter(action="questionnaires.version.imported").count() == 2


def _form(*rows: list[str]) -> dict[str, bytes]:
    from howgood.questionnaires.examples import _book

    return {"f.xlsx": _book(list(rows), [], "A form", "a_form")}


def test_a_form_with_nothing_to_answer_is_not_published(cast: Any) -> None:
    draft = services.questionnaire_import(
        partnership=cast.a, files=_form(["note", "intro", "Thank you for reading"]), actor=cast.lead
    )
    with pytest.raises(services.FrozenVersion) as refused:
        services.version_publish(version=draft, actor=cast.lead)
    assert str(refused.value) == (
        "This version has no questions to answer, so it cannot be published."
    )


def test_a_decimal_answer_comes_back_as_the_number_typed(cast: Any) -> None:
    from decimal import Decimal

    draft = services.questionnaire_import(
        partnership=cast.a, files=_form(["decimal", "hours", "Hours a week"]), actor=cast.lead
    )
    submission = services.submission_create(version=draft)
    services.answers_save(
        submission=submission, values={"hours": Decimal("37.50")}
    )  # as the page parses it
    assert selectors.answers_of(submission) == {"hours": Decimal("37.5")}


def test_a_retired_inspection_statement_cannot_be_tagged(cast: Any) -> None:
    from howgood.frameworks.models import InspectionStatement

    InspectionStatement.objects.filter(number=4).update(retired=True)
    row = ["decimal", "hours", "Hours a week", "", "", "", "", "", "", "4"]
    with pytest.raises(DefinitionError) as error:
        services.questionnaire_import(partnership=cast.a, files=_form(row), actor=cast.lead)
    assert [p.message for p in error.value.problems] == [
        "statement column: 4 is not an inspection statement. Use 1, 2, 3 or 4."
    ]
