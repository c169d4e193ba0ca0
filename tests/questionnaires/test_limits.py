"""Questionnaires within limits: a dictionary or form too large is refused quickly, with
the limit in the message, and reading happens before any transaction opens (a long read
inside one used to lock the database for everyone)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from howgood.questionnaires import definition, services
from howgood.questionnaires.definition import (
    MAX_CHOICES_PER_LIST,
    MAX_GROUP_DEPTH,
    MAX_ITEMS,
    DefinitionError,
)
from howgood.questionnaires.examples import large_form
from howgood.questionnaires.models import Questionnaire, QuestionnaireVersion
from howgood.questionnaires.redcap import read_redcap
from howgood.questionnaires.xlsform import read_xlsform
from tests.core.hostile import nested_groups_csv, redcap_dictionary, xlsform_csv

TOO_MANY = (
    f"HowGood takes up to {MAX_ITEMS:,} questions and notes in one questionnaire: split it "
    "into smaller questionnaires."
)


def problems(reader: Any, data: bytes, name: str) -> list[str]:
    with pytest.raises(DefinitionError) as refused:
        reader(data, name)
    return [str(p) for p in refused.value.problems]


def test_limits_are_named_constants_with_sensible_values() -> None:
    assert (MAX_ITEMS, MAX_CHOICES_PER_LIST, MAX_GROUP_DEPTH) == (2_000, 1_000, 10)
    assert definition.MAX_CHOICES == 10_000


def test_a_redcap_dictionary_at_the_limit_is_read() -> None:
    formdef = read_redcap(redcap_dictionary(MAX_ITEMS), "big.csv")
    assert len(formdef.items) == MAX_ITEMS


def test_a_40000_field_redcap_dictionary_is_refused_at_the_first_field_over() -> None:
    assert problems(read_redcap, redcap_dictionary(40_000), "huge.csv") == [
        f"data dictionary, line {MAX_ITEMS + 2}: The data dictionary has more than "
        f"{MAX_ITEMS:,} fields. {TOO_MANY}"
    ]


def test_section_headers_count_towards_the_limit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(definition, "MAX_ITEMS", 4)
    data = (
        redcap_dictionary(3)
        .replace(b"f0,form_0,,", b"f0,form_0,Part one,")
        .replace(b"f1,form_1,,", b"f1,form_1,Part two,")
    )
    assert problems(read_redcap, data, "headers.csv") == [
        "This questionnaire has 5 questions and notes. HowGood takes up to 4 questions and "
        "notes in one questionnaire: split it into smaller questionnaires."
    ]


def test_a_choice_list_over_the_limit_is_refused_with_its_line() -> None:
    data = redcap_dictionary(3, choices=MAX_CHOICES_PER_LIST + 1)
    assert problems(read_redcap, data, "long.csv") == [
        f"data dictionary, line 2: The field 'f0' has {MAX_CHOICES_PER_LIST + 1:,} choices. "
        f"A question can have up to {MAX_CHOICES_PER_LIST:,} choices: use a text question, "
        "or split the list."
    ]


def test_all_the_choices_together_are_limited(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(definition, "MAX_CHOICES", 10)
    assert problems(read_redcap, redcap_dictionary(9, choices=3), "many.csv") == [
        "The questionnaire's questions have 11 choices in all. HowGood takes up to 10 in one "
        "questionnaire: split it into smaller questionnaires."
    ]


def test_a_100000_question_xlsform_is_refused_at_the_first_question_over() -> None:
    data = xlsform_csv(100_000)
    row = MAX_ITEMS + 2 * (MAX_ITEMS // 50) + 3  # the header, questions, begin and end rows
    assert problems(read_xlsform, data, "huge.csv") == [
        f"survey sheet, row {row}: The survey sheet has more than {MAX_ITEMS:,} questions. "
        f"{TOO_MANY}"
    ]


def test_an_xlsform_workbook_over_the_limit_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(definition, "MAX_ITEMS", 100)
    found = problems(read_xlsform, large_form(150), "big.xlsx")
    assert found == [
        "survey sheet, row 107: The survey sheet has more than 100 questions. HowGood takes "
        "up to 100 questions and notes in one questionnaire: split it into smaller "
        "questionnaires."
    ]


def test_groups_nested_too_deep_are_refused_with_the_row() -> None:
    assert read_xlsform(nested_groups_csv(MAX_GROUP_DEPTH), "deep.csv").items[0].name == "q"
    assert problems(read_xlsform, nested_groups_csv(MAX_GROUP_DEPTH + 1), "deeper.csv") == [
        f"survey sheet, row {MAX_GROUP_DEPTH + 2}: This group is nested {MAX_GROUP_DEPTH + 1} "
        f"deep. Groups can be nested up to {MAX_GROUP_DEPTH} deep: move it out of one of the "
        "groups around it."
    ]


# --- Reading happens outside any transaction ------------------------------------------------


@pytest.fixture
def transactions(monkeypatch) -> list[bool]:  # type: ignore[no-untyped-def]
    """Whether a transaction was open each time a questionnaire file was read."""
    seen: list[bool] = []
    real = services.read_definition

    def watched(files: Any) -> Any:
        seen.append(connection.in_atomic_block)
        return real(files)

    monkeypatch.setattr(services, "read_definition", watched)
    return seen


@pytest.mark.django_db(transaction=True)
def test_the_service_reads_the_file_before_its_transaction(cast, framework, transactions) -> None:  # type: ignore[no-untyped-def]
    version = services.questionnaire_import(
        partnership=cast.a, files={"d.csv": redcap_dictionary(30)}, actor=cast.coordinator
    )
    services.version_replace(
        version=version, files={"d.csv": redcap_dictionary(12)}, actor=cast.coordinator
    )
    assert transactions == [False, False]
    assert version.items.count() == 12


@pytest.mark.django_db(transaction=True)
def test_the_upload_page_reads_before_its_transaction_and_refuses_a_huge_file(
    cast, framework, client_for, transactions
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    response = client.post(
        reverse("questionnaires:upload"),
        {
            "title": "Kept title",
            "kind": "staff_survey",
            "files": SimpleUploadedFile("huge.csv", redcap_dictionary(40_000)),
            "submission_key": "big1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f"The data dictionary has more than {MAX_ITEMS:,} fields." in body
    assert 'value="Kept title"' in body
    assert not Questionnaire.objects.exists()
    ok = client.post(
        reverse("questionnaires:upload"),
        {
            "title": "",
            "kind": "staff_survey",
            "files": SimpleUploadedFile("small.csv", redcap_dictionary(30)),
            "submission_key": "big2",
        },
    )
    assert ok.status_code == 302 and QuestionnaireVersion.objects.get().items.count() == 30
    assert transactions == [False, False]


def test_a_row_far_down_a_sheet_is_refused_before_anything_pads_up_to_it() -> None:
    """A workbook whose survey sheet has one question at row 1,048,576 (a few hundred
    bytes), and a CSV with a million blank lines before its last question."""
    from howgood.questionnaires.xlsform.readers import MAX_SHEET_ROWS
    from tests.core.hostile import far_cell_xlsx

    expected = (
        f"The survey sheet has more than {MAX_SHEET_ROWS:,} rows, far more than a "
        "questionnaire needs. Delete the rows it does not need."
    )
    workbook = far_cell_xlsx(["type", "name", "label"], row=1_048_576, column=1)
    assert problems(read_xlsform, workbook, "far.xlsx") == [
        f"survey sheet, row 1048576: {expected}"
    ]
    blank = b"survey,type,name,label\n,text,q1,First\n" + b"\n" * 1_000_000 + b",text,q2,Last\n"
    assert problems(read_xlsform, blank, "far.csv") == [f"survey sheet, row 1000003: {expected}"]
