"""The parts of the XLSForm reader: HowGood's own heading rules and XML-name check (in place
of pyxform's private ones), and the one CSV reader that XLSForm sheets and REDCap data
dictionaries share."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from howgood.questionnaires.definition import DefinitionError, FormDef
from howgood.questionnaires.redcap import read_redcap
from howgood.questionnaires.xlsform import read_xlsform, read_xlsform_sheets
from howgood.questionnaires.xlsform.headers import (
    CHOICES,
    SETTINGS,
    SURVEY,
    HeaderError,
    group_headers,
    is_xml_tag,
)

PACKAGE = Path(__file__).resolve().parents[2] / "howgood" / "questionnaires"
# pyxform's documented entry points; everything else in pyxform is private to it.
PUBLIC_PYXFORM = {"pyxform.errors", "pyxform.xls2json", "pyxform.builder", "pyxform.survey"}


def messages(read: Callable[[], FormDef]) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        read()
    return [str(problem) for problem in caught.value.problems]


def test_the_questionnaire_readers_use_only_pyxforms_public_modules() -> None:
    imported = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        imported |= {f"{m} ({path.name})" for m in re.findall(r"^from (pyxform\S*)", text, re.M)}
        imported |= {f"{m} ({path.name})" for m in re.findall(r"^import (pyxform\S*)", text, re.M)}
    private = sorted(entry for entry in imported if entry.split(" ")[0] not in PUBLIC_PYXFORM)
    assert private == []
    assert imported == {"pyxform.errors (errors.py)", "pyxform.xls2json (errors.py)"}


# --------------------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------------------


def test_survey_headings_are_grouped_and_legacy_spellings_understood() -> None:
    header = [
        "Type",
        "name",
        "caption",
        "label::Français (fr)",
        "Required",
        "bind::jr:constraintMsg",
        "appearance",
        "repeat_count",
        "Choice Filter",
        "qi",
    ]
    row = {
        "Type": "select_one   yes_no ",
        "name": "q1",
        "caption": "Is it “safe”?",
        "label::Français (fr)": "Est-ce sûr ?",
        "Required": "yes",
        "bind::jr:constraintMsg": "Choose one",
        "appearance": "minimal",
        "repeat_count": "3",
        "Choice Filter": "x = 1",
        "qi": "2.1",
    }
    [grouped] = group_headers("survey", SURVEY, header, [row], strip=True)
    assert grouped == {
        "type": "select_one yes_no",
        "name": "q1",
        "label": {"default": 'Is it "safe"?', "Français (fr)": "Est-ce sûr ?"},
        "bind": {"required": "yes", "jr:constraintMsg": "Choose one"},
        "control": {"appearance": "minimal", "jr:count": "3"},
        "choice_filter": "x = 1",
        "qi": "2.1",
    }


def test_single_colon_language_columns_and_jr_columns() -> None:
    header = ["type", "label:English", "label:Swahili", "bind:jr:requiredMsg"]
    row = {
        "type": "text",
        "label:English": "Age",
        "label:Swahili": "Umri",
        "bind:jr:requiredMsg": "Say",
    }
    assert group_headers("survey", SURVEY, header, [row]) == [
        {
            "type": "text",
            "label": {"English": "Age", "Swahili": "Umri"},
            "bind": {"jr:requiredMsg": "Say"},
        }
    ]


def test_choices_and_settings_headings() -> None:
    assert group_headers(
        "choices", CHOICES, ["list_name", "value", "Label"], [{"list_name": "yn", "value": "y"}]
    ) == [{"list name": "yn", "name": "y"}]
    assert group_headers(
        "settings",
        SETTINGS,
        ["form_title", "form_id", "Default Language"],
        [{"form_title": "T", "form_id": "t", "Default Language": "English (en)"}],
    ) == [{"title": "T", "id_string": "t", "default_language": "English (en)"}]


def test_two_headings_for_one_column_and_a_missing_type_are_refused() -> None:
    with pytest.raises(HeaderError) as caught:
        group_headers("survey", SURVEY, ["type", "label", "caption"], [])
    assert caught.value.message == (
        "Invalid headers provided for sheet: 'survey'. Headers that are different names for "
        "the same column were found: 'label', 'caption'. Rename or remove one of these "
        "columns."
    )
    with pytest.raises(HeaderError) as caught:
        group_headers("survey", SURVEY, ["name", "label"], [{"name": "a"}], required={"type"})
    assert "'type'" in caught.value.message


def test_a_survey_sheet_without_a_type_column_says_so_on_row_1() -> None:
    files = {"survey.csv": b"name,label\nage,How old are you?\n"}
    assert messages(lambda: read_xlsform_sheets(files)) == [
        "survey sheet, row 1: The survey sheet has no 'type' column. The first row must hold "
        "the column headings type, name and label."
    ]


@pytest.mark.parametrize(
    ("name", "usable"),
    [
        ("age", True),
        ("_age", True),
        ("age_2.b-c", True),
        ("élève", True),
        ("Émotion", False),  # ODK's pyxform refuses À to Ö, so HowGood says so first
        ("Öl", False),
        ("jr:count", True),
        ("2age", False),
        ("-age", False),
        ("my age", False),
        ("age?", False),
        ("a:b:c", False),
        ("", False),
    ],
)
def test_xml_names(name: str, usable: bool) -> None:
    assert is_xml_tag(name) is usable


# --------------------------------------------------------------------------------------
# One CSV reader for XLSForm sheets and REDCap dictionaries
# --------------------------------------------------------------------------------------

REDCAP_HEADER = (
    "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"
    "Choices Calculations OR Slider Labels,Field Note\n"
)


def test_a_byte_order_mark_is_read_the_same_way_by_both() -> None:
    xlsform = read_xlsform_sheets(
        {"survey.csv": "\ufefftype,name,label\ntext,age,How old?\n".encode()}
    )
    redcap = read_redcap(
        f"\ufeff{REDCAP_HEADER}age,about,,text,How old?,,\n".encode(), "dictionary.csv"
    )
    assert [item.name for item in xlsform.items] == ["age"]
    assert [item.name for item in redcap.items] == ["age"]


def test_a_file_not_in_utf8_is_refused_by_both_with_how_to_save_it() -> None:
    survey = "type,name,label\ntext,age,Âge\n".encode("cp1252")
    dictionary = f"{REDCAP_HEADER}age,about,,text,Âge,,\n".encode("cp1252")
    assert messages(lambda: read_xlsform_sheets({"survey.csv": survey})) == [
        "'survey.csv' is not saved as UTF-8 text, so its letters cannot be read reliably. "
        "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)' and upload it again."
    ]
    assert messages(lambda: read_redcap(dictionary, "dictionary.csv")) == [
        "'dictionary.csv' is not saved as UTF-8 text, so its letters cannot be read "
        "reliably. Download the data dictionary from REDCap again, or in Excel use File > "
        "Save As > 'CSV UTF-8 (Comma delimited)'."
    ]


def test_both_number_lines_the_same_way_past_a_cell_spanning_lines() -> None:
    survey = b'type,name,label\ntext,a,"First\nline"\nbanana,b,Second\n'
    dictionary = (
        REDCAP_HEADER + 'a,about,,text,"First\nline",,\nb,about,,banana,Second,,\n'
    ).encode()
    [xlsform_problem] = messages(lambda: read_xlsform_sheets({"survey.csv": survey}))
    [redcap_problem] = messages(lambda: read_redcap(dictionary, "dictionary.csv"))
    assert xlsform_problem.startswith("survey sheet, row 4: The question type 'banana'")
    assert redcap_problem.startswith("data dictionary, line 4: The field 'b' has the Field Type")


def test_a_cell_too_long_to_read_is_refused_with_its_line_by_both() -> None:
    long_cell = "x" * 140_000
    survey = f"type,name,label\ntext,a,A\ntext,b,{long_cell}\n".encode()
    dictionary = f"{REDCAP_HEADER}a,about,,text,A,,\nb,about,,text,{long_cell},,\n".encode()
    assert messages(lambda: read_xlsform_sheets({"survey.csv": survey})) == [
        "The CSV file cannot be read near line 3: field larger than field limit (131072). "
        "Check that every quotation mark is closed."
    ]
    assert messages(lambda: read_redcap(dictionary, "dictionary.csv")) == [
        "data dictionary, line 3: The CSV file cannot be read here: field larger than field "
        "limit (131072). Check that every quotation mark is closed."
    ]


def test_a_single_csv_xlsform_reads_through_the_same_reader() -> None:
    data = "survey,type,name,label\n,text,age,“Your” age\n".encode()
    form = read_xlsform(data, "form.csv")
    assert [(item.name, item.label) for item in form.items] == [("age", '"Your" age')]


# --------------------------------------------------------------------------------------
# Excel cells as text (as ODK's pyxform makes them text)
# --------------------------------------------------------------------------------------


def test_xlsx_numbers_booleans_and_no_break_spaces_read_as_odk_reads_them() -> None:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "hint"])
    survey.append(["select_one scale", "q", "Rate\u00a0it", True])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["scale", 1.0, "One"])
    choices.append(["scale", 2.5, "Two and a half"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "version"])
    settings.append(["Ratings", 2024.0])
    buffer = io.BytesIO()
    book.save(buffer)
    form = read_xlsform(buffer.getvalue(), "ratings.xlsx")
    item = form.item("q")
    assert (item.label, item.hint, form.version) == ("Rate it", "TRUE", "2024")
    assert [c.name for c in form.choice_lists["scale"]] == ["1", "2.5"]


def test_xls_cells_read_as_odk_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import xlrd

    class Cell:
        def __init__(self, value: object, ctype: int = xlrd.XL_CELL_TEXT) -> None:
            self.value, self.ctype = value, ctype

    class Sheet:
        def __init__(self, name: str, rows: list[list[Cell]]) -> None:
            self.name, self.rows, self.nrows = name, rows, len(rows)

        def get_rows(self):  # type: ignore[no-untyped-def]
            return iter(self.rows)

        def cell(self, row: int, column: int) -> Cell:
            cells = self.rows[row]
            return cells[column] if column < len(cells) else Cell("", xlrd.XL_CELL_EMPTY)

    class Book:
        datemode = 0

        def sheets(self) -> list[Sheet]:
            return [
                Sheet(
                    "survey",
                    [
                        [Cell("type"), Cell("name"), Cell("label"), Cell("hint")],
                        [Cell("integer"), Cell("n"), Cell(" How\u00a0many? "), Cell(1, 4)],
                        [Cell("date"), Cell("d"), Cell("When?"), Cell(45000.0, 3)],
                    ],
                ),
                Sheet(
                    "settings",
                    [[Cell("form_title"), Cell("version")], [Cell("Old"), Cell(7.0, 2)]],
                ),
            ]

        def release_resources(self) -> None:
            pass

    monkeypatch.setattr(xlrd, "open_workbook", lambda file_contents: Book())
    form = read_xlsform(b"\xd0\xcf\x11\xe0 an old workbook", "old.xls")
    assert (form.title, form.version) == ("Old", "7")
    assert (form.item("n").label, form.item("n").hint) == ("How many?", "TRUE")
    assert form.item("d").hint == "2023-03-15 00:00:00"
