"""Tests for the XLSForm and REDCap readers (pure Python: no Django needed).

Run with::

    .venv/bin/python -m pytest -p no:django -p no:cacheprovider \
        tests/questionnaires/test_readers.py -q

Every XLSForm and REDCap file under ``/work/shared/reference`` has a test here: either it
imports (and we check counts and a few values checked by hand against the file) or it is
refused (and we check the sheet, row and key words of the problems).  Small workbooks built
with openpyxl cover each feature and each error on its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from howgood.questionnaires.definition import (
    ITEM_TYPES,
    ChoiceDef,
    DefinitionError,
    FormDef,
    ItemDef,
    Problem,
    derive_bounds,
)
from howgood.questionnaires.redcap import read_redcap
from howgood.questionnaires.xlsform import read_xlsform, read_xlsform_sheets
from howgood.questionnaires.xlsform.readers import CORRUPT_WORKBOOK_MESSAGE

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
XLSFORM = REFERENCE / "xlsform"
REDCAP = REFERENCE / "redcap"

needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(), reason="the shared reference files are not available"
)

Rows = Sequence[Sequence[Any]]


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def workbook(
    survey: Rows,
    choices: Rows | None = None,
    settings: Rows | None = None,
    extra_sheets: dict[str, Rows] | None = None,
) -> bytes:
    """An .xlsx file with the given sheets (first row of each is the header)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for name, rows in (("choices", choices), ("settings", settings), *(extra_sheets or {}).items()):
        if rows is None:
            continue
        other = book.create_sheet(name)
        for row in rows:
            other.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(survey: Rows, choices: Rows | None = None, settings: Rows | None = None) -> FormDef:
    return read_xlsform(workbook(survey, choices, settings), "test_form.xlsx")


def problems_of(call: Callable[[], object]) -> list[Problem]:
    with pytest.raises(DefinitionError) as caught:
        call()
    return caught.value.problems


def refused(
    survey: Rows, choices: Rows | None = None, settings: Rows | None = None
) -> list[Problem]:
    return problems_of(lambda: read(survey, choices, settings))


def find(problems: list[Problem], sheet: str, row: int | None, *words: str) -> Problem:
    """The problem at ``sheet``/``row`` whose message contains all ``words``."""
    for problem in problems:
        same_place = problem.sheet == sheet and problem.row == row
        if same_place and all(word.lower() in problem.message.lower() for word in words):
            return problem
    listing = "\n".join(str(p) for p in problems)
    raise AssertionError(f"No problem at {sheet} row {row} with {words!r} in:\n{listing}")


def rows_of(problems: list[Problem], sheet: str = "survey") -> list[int | None]:
    return [problem.row for problem in problems if problem.sheet == sheet]


SURVEY_HEADER = ["type", "name", "label"]
YES_NO = [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]]


def reference_xlsx_without_rows(name: str, *rows: int) -> bytes:
    """A reference workbook with some survey rows deleted (bottom first)."""
    book = openpyxl.load_workbook(XLSFORM / name)
    for row in sorted(rows, reverse=True):
        book["survey"].delete_rows(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def redcap_without_lines(name: str, *lines: int) -> str:
    text = (REDCAP / name).read_text(encoding="utf-8-sig")
    kept = [line for number, line in enumerate(text.splitlines(), 1) if number not in lines]
    return "\n".join(kept) + "\n"


# --------------------------------------------------------------------------------------
# Reference XLSForm files
# --------------------------------------------------------------------------------------


@needs_reference
def test_ona_tutorial_refuses_photo_and_geopoint_only() -> None:
    problems = problems_of(
        lambda: read_xlsform((XLSFORM / "ona_tutorial.xlsx").read_bytes(), "ona_tutorial.xlsx")
    )
    assert len(problems) == 2
    find(problems, "survey", 5, "'photo'", "not supported", "select_one")
    find(problems, "survey", 7, "'geopoint'", "not supported", "locations")
    # Metadata rows (start, end, today, imei, phonenumber) are ignored silently.
    assert all(p.row is not None and p.row < 26 for p in problems)


@needs_reference
def test_ona_tutorial_imports_once_photo_and_geopoint_are_removed() -> None:
    data = reference_xlsx_without_rows("ona_tutorial.xlsx", 5, 7)
    form = read_xlsform(data, "ona_tutorial.xlsx")
    assert form.version == "4444"
    assert [s.name for s in form.sections] == ["ona_tutorial", "a_group"]
    assert len(form.sections[0].items) == 17 and len(form.sections[1].items) == 2
    age = form.item("age")
    assert age.type == "integer" and age.required
    assert age.constraint == "${age} > 0 and ${age} < 120"
    assert (age.min_value, age.max_value) == (1, 119)
    assert age.constraint_message == "That's not a valid age!"
    assert form.item("pizza_type").relevant == "${pizza_fan} = 'yes'"
    assert form.item("favorite_toppings").type == "select_multiple"
    assert [c.name for c in form.choice_lists["pizza_toppings"]][:2] == ["cheese", "pepperoni"]
    assert "start_time" not in {i.name for i in form.items}


@needs_reference
def test_mch_legacy_syntax_imports() -> None:
    path = XLSFORM / "ona_MCH_v1_legacy_syntax.xlsx"
    form = read_xlsform(path, path.name)
    assert form.source_format == "xlsform"
    assert form.title == "ona_MCH_v1_legacy_syntax"
    assert [(s.name, len(s.items)) for s in form.sections] == [
        ("ona_mch_v1_legacy_syntax", 2),
        ("mother", 19),
        ("child", 3),
    ]
    assert len(form.items) == 24
    # "select one from beneficiaries" in legacy syntax
    beneficiary = form.item("beneficiary")
    assert (beneficiary.type, beneficiary.choice_list) == ("select_one", "beneficiaries")
    # "bind:relevant" on the top-level group goes to the section
    assert form.sections[1].relevant == "${beneficiary} = '1'"
    # nested group "anc" (bind:relevant ${service}='1') is flattened into "mother"
    hp_level = form.item("HPlevel")
    assert hp_level.relevant == "${service} = '1' and ${lab} = 'yes'"
    assert hp_level.extra["group"] == "anc"
    assert hp_level.row == 12
    # "Select one from source" with a capital S
    assert form.item("source").choice_list == "source"
    assert form.item("referals").relevant == "${service} = '4'"
    # "select all that apply from cimmun"
    immunisation = form.item("child_immunization")
    assert immunisation.type == "select_multiple"
    assert len(form.choices_for(immunisation)) == 22
    assert form.choice_lists["services"][0] == ChoiceDef("1", "ANC Checkup")
    # unused lists (lab, addsevice) are left out
    assert "addsevice" not in form.choice_lists


@needs_reference
def test_correlaid_likert_refuses_the_range_question() -> None:
    path = XLSFORM / "correlaid_youth_workshop_impact_likert_de.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    assert len(problems) == 1
    find(problems, "survey", 22, "'range'", "not supported")


@needs_reference
def test_correlaid_likert_imports_without_the_range_question() -> None:
    form = read_xlsform(
        reference_xlsx_without_rows("correlaid_youth_workshop_impact_likert_de.xlsx", 22),
        "correlaid.xlsx",
    )
    assert (form.form_id, form.version, form.default_language) == (
        "testwerk_wirkung_2025",
        "2.2",
        "Deutsch",
    )
    assert [(s.name, len(s.items)) for s in form.sections] == [
        ("intro", 1),
        ("teilnahme", 6),
        ("wirkung", 8),
        ("erfahrungen", 3),
        ("empfehlung", 1),
        ("demografie", 3),
        ("testwerk_wirkung_2025", 1),  # the closing note, outside any group
    ]
    wohl = form.item("wohlfuehlen")
    assert (wohl.type, wohl.appearance, wohl.required) == ("select_one", "likert", True)
    assert wohl.label == "Ich fühle mich bei TestWerk wohl und akzeptiert."
    assert form.choices_for(wohl)[0].label == "Stimme gar nicht zu"
    assert form.sections[2].hint.startswith("Bitte gib an, wie sehr du zustimmst")
    assert form.item("geschlecht_andere").relevant == "${geschlecht} = 'andere'"
    assert len(form.choice_lists["nps"]) == 11


@needs_reference
def test_odk_template_refuses_image_and_geopoint_and_ignores_entities_and_help_sheets() -> None:
    path = XLSFORM / "odk_xlsform_template_fr_emoji_help_sheets.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    assert [(p.sheet, p.row) for p in problems] == [("survey", 3), ("survey", 4)]
    find(problems, "survey", 3, "'image'", "photos")
    find(problems, "survey", 4, "'geopoint'")


@needs_reference
def test_odk_template_settings_formula_reads_its_cached_value() -> None:
    from howgood.questionnaires.xlsform.convert import Converter
    from howgood.questionnaires.xlsform.readers import load

    path = XLSFORM / "odk_xlsform_template_fr_emoji_help_sheets.xlsx"
    settings = Converter(load(path.read_bytes(), path.name, path.stem))._settings()
    assert settings["version"] == "20240508231115"  # not '=TEXT(NOW(), ...)'
    assert settings["title"] == "Recensement des établissements scolaires 2024"


@needs_reference
def test_odk_template_imports_without_image_and_geopoint() -> None:
    # Saving through openpyxl drops the formula's cached value: the version is then empty,
    # which must not crash.
    form = read_xlsform(
        reference_xlsx_without_rows("odk_xlsform_template_fr_emoji_help_sheets.xlsx", 3, 4),
        "recensement.xlsx",
    )
    assert form.title == "Recensement des établissements scolaires 2024"
    assert form.form_id == "recensement_etablissements_scolaires_24"
    assert form.version == ""
    assert [i.name for i in form.items] == [
        "nom_etablissement",
        "nombre_eleves",
        "niveaux_enseignes",
        "options_proposees",
    ]
    eleves = form.item("nombre_eleves")
    assert eleves.constraint == ". > 0" and eleves.min_value == 1
    assert [c.name for c in form.choice_lists["niveaux"]][1] == "élémentaire"
    assert form.item("niveaux_enseignes").appearance == "columns"


@needs_reference
def test_grains_large_is_refused_with_row_numbers() -> None:
    path = XLSFORM / "ona_grains_large.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    # The row with an empty type but required=yes.
    find(problems, "survey", 10, "row 10 has no type")
    find(problems, "survey", 17, "has no type")
    find(problems, "survey", 14, "choice_filter", "cf=${region}")
    find(problems, "survey", 42, "regex")
    find(problems, "survey", 85, "'calculate'")
    find(problems, "survey", 259, "'dola_price'", "already used on row 91")
    find(problems, "survey", 390, "'image'")
    find(problems, "survey", 392, "'gps'")
    assert len(problems) == 56
    rows = [p.row or 0 for p in problems]
    assert rows == sorted(rows)  # sorted by row


@needs_reference
def test_select_one_choices_large_is_refused_but_note_with_trailing_space_is_fine() -> None:
    path = XLSFORM / "ona_select_one_choices_test_large.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    find(problems, "survey", 8, "choice_filter", "A_suboffice=${suboffice}")
    find(problems, "survey", 30, "'calculate'")
    find(problems, "survey", 67, "or_other")
    find(problems, "survey", 75, "calculation column")
    # Row 11 has type "note " (trailing space): only its read_only cell is a problem.
    row_11 = [p for p in problems if p.row == 11]
    assert len(row_11) == 1 and "read_only" in row_11[0].message
    assert not any("question type 'note" in p.message for p in problems)


@needs_reference
def test_subdistrict_arabic_refuses_external_selects() -> None:
    path = XLSFORM / "ona_subdistrict_profiling_tool_arabic_external_choices.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    assert [(p.sheet, p.row) for p in problems] == [
        ("survey", 6),
        ("survey", 7),
        ("survey", 8),
        ("survey", 10),
    ]
    find(problems, "survey", 6, "select_one_external districts", "choices sheet")
    find(problems, "survey", 10, "choice_filter")


@needs_reference
def test_subdistrict_arabic_labels_survive_when_chosen() -> None:
    book = openpyxl.load_workbook(
        XLSFORM / "ona_subdistrict_profiling_tool_arabic_external_choices.xlsx"
    )
    survey = book["survey"]
    for row in (10, 8, 7, 6):
        survey.delete_rows(row)
    header = [cell.value for cell in survey[1]]
    # Make the settings language name match the Arabic column.
    settings = book["settings"]
    for cell in settings[1]:
        if cell.value == "default_language":
            settings.cell(row=2, column=cell.column, value="العربية")
    buffer = io.BytesIO()
    book.save(buffer)
    form = read_xlsform(buffer.getvalue(), "subdistrict.xlsx")
    assert form.default_language == "العربية"
    assert "label::العربية" in header
    first_label = form.items[0].label
    assert any("\u0600" <= char <= "\u06ff" for char in first_label)
    assert all(item.label for item in form.items)


@needs_reference
def test_ucl_biomass_is_refused_and_choices_header_with_trailing_space_is_read() -> None:
    path = XLSFORM / "pyxform_UCL_Biomass_Plot_Form.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    find(problems, "survey", 10, "regex")
    find(problems, "survey", 16, "select_one_from_file")
    find(problems, "survey", 22, "'geopoint'")
    find(problems, "survey", 32, "repeat")
    find(problems, "survey", 49, "required column", "yes or no")
    # "name " (trailing space) on the choices sheet is understood: no choices problems.
    assert not [p for p in problems if p.sheet == "choices"]
    # Smart quotes in relevant (‘other’) are straightened, so row 9 parses.
    assert 9 not in rows_of(problems)


@needs_reference
def test_widgets_single_csv_legacy_aliases_is_refused_by_csv_line() -> None:
    path = XLSFORM / "pyxform_widgets_single_csv_legacy_aliases.csv"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    assert rows_of(problems) == [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19]
    find(problems, "survey", 5, "default column", "18.31")
    find(problems, "survey", 7, "'time'")
    find(problems, "survey", 10, "'trigger'")
    find(problems, "survey", 11, "read_only", "true()")
    find(problems, "survey", 19, "'dateTime'")
    # string / int / bind:constraint / "select all that apply from" rows are fine.
    assert not {3, 4, 20, 21} & set(rows_of(problems))


@needs_reference
def test_widgets_single_csv_imports_its_supported_rows() -> None:
    path = XLSFORM / "pyxform_widgets_single_csv_legacy_aliases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    keep = [ln for number, ln in enumerate(lines, 1) if number not in range(5, 20)]
    form = read_xlsform("\n".join(keep).encode("utf-8"), "widgets.csv")
    my_int = form.item("my_int")
    assert (my_int.type, my_int.constraint, my_int.max_value) == ("integer", ". < 10", 9)
    assert my_int.constraint_message == "number must be less than 10"
    assert form.item("my_string").type == "text"
    assert form.item("spinner").appearance == "minimal"
    assert form.item("spinner_all").type == "select_multiple"
    assert form.item("spinner").row == 5  # CSV line numbers after the edit
    assert [c.name for c in form.choice_lists["list"]] == ["a", "b", "c", "d"]


@needs_reference
def test_pyxform_spec_test_is_refused() -> None:
    path = XLSFORM / "pyxform_xlsform_spec_test.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    find(problems, "survey", 7, "relevant", "regex")
    find(problems, "survey", 10, "display_image_test", "no label")
    find(problems, "survey", 15, "repeat")
    find(problems, "survey", 30, "'acknowledge'")
    find(problems, "survey", 33, "'datetime'")
    find(problems, "survey", 40, "'calculate'")
    find(problems, "choices", 4, "'a'", "no label")
    find(problems, "choices", 5, "'b'", "no label")
    assert len(problems) == 14
    # survey problems come before choices problems
    assert [p.sheet for p in problems][-2:] == ["choices", "choices"]


@needs_reference
def test_unhcr_multilingual_is_refused_with_choice_duplicates() -> None:
    path = XLSFORM / "unhcr_demo_multilingual_repeat.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    find(problems, "survey", 10, "'calculate'")
    find(problems, "survey", 36, "repeat")
    find(problems, "survey", 69, "sum")
    find(problems, "survey", 77, "'geopoint'")
    find(problems, "choices", 7, "'never'", "used twice", "school_list", "row 2")
    find(problems, "choices", 24, "no label")
    # settings with both id_string and form_id do not cause a problem
    assert not [p for p in problems if p.sheet == "settings"]


@needs_reference
def test_corrupt_zip_is_one_plain_problem() -> None:
    path = XLSFORM / "wellbeing_biweekly_survey_CORRUPT_zip.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    assert problems == [Problem("file", None, CORRUPT_WORKBOOK_MESSAGE)]
    assert str(problems[0]) == CORRUPT_WORKBOOK_MESSAGE
    assert "not a readable Excel workbook" in CORRUPT_WORKBOOK_MESSAGE


@needs_reference
def test_wellbeing_initial_survey_duplicate_names_and_shifted_columns() -> None:
    path = XLSFORM / "wellbeing_initial_survey_broken_duplicate_names.xlsx"
    problems = problems_of(lambda: read_xlsform(path.read_bytes(), path.name))
    assert rows_of(problems) == [5, 8, 12, 15, 18, 21]
    shifted = find(problems, "survey", 5, "choice_filter", "between(., 13, 120)")
    assert "constraint" in shifted.message and "between" in shifted.message
    find(problems, "survey", 8, "'ethnicity'", "already used on row 7")
    find(problems, "survey", 12, "'birth_place'", "row 11")
    find(problems, "survey", 15, "'building_type'", "row 14")
    find(problems, "survey", 18, "'education'", "row 17")
    find(problems, "survey", 21, "'calculate'")


@needs_reference
def test_wellbeing_biweekly_csv_sheets_are_refused_for_misaligned_columns() -> None:
    folder = XLSFORM / "wellbeing_biweekly_survey_csv"
    files = {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}
    problems = problems_of(lambda: read_xlsform_sheets(files))
    assert rows_of(problems) == [5, 6, 26, 28, 31]
    first = find(problems, "survey", 5, "choice_filter", "between(., 0, 24)", "wrong column")
    assert "Unknown function 'between'" in first.message
    find(problems, "survey", 6, "between(., 0, 24)")
    find(problems, "survey", 26, "'image'")
    find(problems, "survey", 28, "'geopoint'")
    find(problems, "survey", 31, "calculation column", "${location_data_sharing}")


@needs_reference
def test_wellbeing_biweekly_csv_sheets_import_once_fixed() -> None:
    folder = XLSFORM / "wellbeing_biweekly_survey_csv"
    survey = (folder / "survey.csv").read_text(encoding="utf-8").splitlines()
    fixed = []
    for number, line in enumerate(survey, 1):
        if number in (26, 28):
            continue  # image and geopoint
        if number in (5, 6):
            line = line.replace(',,,,,"between(., 0, 24)"', ',,,". >= 0 and . <= 24",,')
        if number == 31:
            line = line.replace(
                ",,,\"${location_data_sharing} != ''\"", ",\"${location_data_sharing} != ''\",,"
            )
        fixed.append(line)
    files = {
        "bw_survey.csv": "\n".join(fixed).encode("utf-8"),
        "bw_choices.csv": (folder / "choices.csv").read_bytes(),
        "bw_settings.csv": (folder / "settings.csv").read_bytes(),
    }
    form = read_xlsform_sheets(files)
    assert (form.title, form.form_id, form.version) == (
        "Biweekly Wellbeing Survey",
        "biweekly_wellbeing_survey",
        "1.0",
    )
    assert [(s.name, len(s.items)) for s in form.sections] == [
        ("biweekly_wellbeing_survey", 20),
        ("digital_diary_group", 1),
        ("biweekly_wellbeing_survey_2", 4),
    ]
    sleep = form.item("sleep_hours_weeknight")
    assert (sleep.min_value, sleep.max_value, sleep.row) == (0, 24, 5)
    assert [c.name for c in form.choice_lists["agreement"]] == [
        "strongly_agree",
        "agree",
        "neutral",
        "disagree",
        "strongly_disagree",
    ]
    assert form.item("upload_preference").relevant == "${location_data_sharing} != ''"


# --------------------------------------------------------------------------------------
# Reference REDCap files
# --------------------------------------------------------------------------------------


@needs_reference
def test_redcap_longitudinal_refuses_file_slider_and_calc() -> None:
    path = REDCAP / "redcapr_longitudinal_dictionary.csv"
    problems = problems_of(lambda: read_redcap(path.read_bytes(), path.name))
    assert [(p.sheet, p.row) for p in problems] == [
        ("data dictionary", 4),
        ("data dictionary", 20),
        ("data dictionary", 24),
        ("data dictionary", 34),
    ]
    find(problems, "data dictionary", 4, "patient_document", "'file'")
    find(problems, "data dictionary", 20, "'slider'")
    find(problems, "data dictionary", 24, "'bmi'", "'calc'")
    assert str(problems[0]).startswith("data dictionary, line 4: ")


@needs_reference
def test_redcap_longitudinal_imports_without_unsupported_fields() -> None:
    text = redcap_without_lines("redcapr_longitudinal_dictionary.csv", 4, 20, 24, 34)
    form = read_redcap(text, "longitudinal.csv")
    assert form.source_format == "redcap"
    assert [s.name for s in form.sections] == [
        "demographics",
        "contact_info",
        "baseline_data",
        "visit_lab_data",
        "patient_morale_questionnaire",
        "visit_blood_workup",
        "visit_observed_behavior",
        "completion_data",
        "completion_project_questionnaire",
    ]
    assert form.sections[0].title == "Demographics"
    given_birth = form.item("given_birth")
    assert (given_birth.type, given_birth.choice_list) == ("select_one", "_yesno")
    assert given_birth.relevant == "${sex} = '0'"
    children = form.item("num_children")
    assert children.type == "integer" and children.min_value == 0
    assert children.relevant == "${sex} = '0' and ${given_birth} = '1'"
    assert form.item("gym").type == "select_multiple"
    assert form.item("gym").extra["matrix_group"] == "weekly_schedule"
    assert form.item("first_name").extra["identifier"] == "y"
    height = form.item("height")
    assert (height.type, height.min_value, height.max_value) == (
        "decimal",
        Decimal("130"),
        Decimal("215"),
    )
    assert height.constraint == ". >= 130 and . <= 215"
    assert form.item("comments").appearance == "multiline"
    header = form.item("date_enrolled__section_header")
    assert (header.type, header.label) == ("note", "Consent Information")
    # 91 fields plus 6 section headers (the 7th was on the slider, removed)
    assert len(form.items) == 91 + 6


@needs_reference
def test_redcap_potentially_problematic_imports_with_bom_quotes_and_unicode() -> None:
    path = REDCAP / "redcapr_potentially_problematic_dictionary.csv"
    form = read_redcap(path.read_bytes(), path.name)
    assert form.items[0].name == "record_id"  # BOM removed
    assert len(form.sections) == 1 and len(form.items) == 6
    assert "\ufffd" in form.item("v1").label
    assert form.item("curly_quote_double_left").label == 'Maybe I don\'t "look the part"'
    assert "\u2212or even" in form.item("long_dash").label
    assert form.choices_for(form.item("v1"))[2] == ChoiceDef("3", "I should find out")
    assert form.item("v1").appearance == "minimal"  # dropdown


@needs_reference
def test_redcap_survey_dictionary_imports() -> None:
    path = REDCAP / "redcapr_survey_dictionary.csv"
    form = read_redcap(path.read_bytes(), path.name)
    assert form.title == "redcapr_survey_dictionary"
    assert [(s.name, len(s.items)) for s in form.sections] == [
        ("prescreening_survey", 6),
        ("participant_info_survey", 10),
        ("participant_morale_questionnaire", 5),
        ("completion_data", 8),
    ]
    assert form.item("dob").type == "date"
    email = form.item("email")
    assert (email.type, email.extra) == ("text", {"validation": "email", "identifier": "y"})
    assert form.item("has_diabetes").choice_list == "_truefalse"
    assert form.choice_lists["_truefalse"] == [ChoiceDef("1", "True"), ChoiceDef("0", "False")]
    assert form.choice_lists["_yesno"] == [ChoiceDef("1", "Yes"), ChoiceDef("0", "No")]
    assert form.item("consent").type == "select_multiple"
    weight = form.item("weight")
    assert (weight.type, weight.min_value, weight.max_value) == ("integer", 35, 200)
    assert form.item("telephone_1").hint == "Include Area Code"
    assert form.item("address").appearance == "multiline"
    assert form.item("race").row == 12


@needs_reference
def test_redcap_validation_types_refuses_calc_file_signature_slider_sql() -> None:
    path = REDCAP / "redcapr_validation_types_dictionary.csv"
    problems = problems_of(lambda: read_redcap(path.read_bytes(), path.name))
    assert [p.row for p in problems] == [3, 7, 10, 11, 12]
    find(problems, "data dictionary", 10, "signatures")
    find(problems, "data dictionary", 12, "'sql'")


@needs_reference
def test_redcap_validation_types_map_once_unsupported_fields_are_removed() -> None:
    text = redcap_without_lines("redcapr_validation_types_dictionary.csv", 3, 7, 10, 11, 12)
    form = read_redcap(text, "validation.csv")
    types = {item.name: item.type for item in form.items}
    assert types["f_descriptive"] == "note"
    assert types["f_notes"] == "text"
    assert types["f_checkbox"] == "select_multiple"
    assert types["f_yes_no"] == types["f_true_false"] == "select_one"
    for name in ("v_date_dmy", "v_date_mdy", "v_date_ymd"):
        assert types[name] == "date"
    assert types["v_integer"] == "integer"
    for name in ("v_number", "v_number_2dp", "v_number_4dp_comma_decimal"):
        assert types[name] == "decimal"
    for name in ("v_email", "v_datetime_ymd", "v_time_hh_mm", "v_postalcode_french", "v_ssn"):
        assert types[name] == "text"
    assert form.item("v_postalcode_french").extra["validation"] == "postalcode_french"


# --------------------------------------------------------------------------------------
# XLSForm features, on small hand-built workbooks
# --------------------------------------------------------------------------------------


def test_minimal_form_and_item_defaults() -> None:
    form = read([SURVEY_HEADER, ["text", "q1", "Your team?"]])
    assert (form.title, form.form_id, form.version) == ("test_form", "test_form", "")
    assert len(form.sections) == 1 and form.sections[0].name == "test_form"
    item = form.items[0]
    assert item == ItemDef(name="q1", type="text", label="Your team?", row=2)
    assert item.collects_answer and not item.is_select


def test_qi_and_statement_columns() -> None:
    form = read(
        [
            ["type", "name", "label", "qi", "statement"],
            ["begin_group", "g", "Group", "1.1", "1"],
            ["integer", "a", "A", "2.1, 5.3", "2, 3"],
            ["text", "b", "B", "", ""],
            ["end_group", "", "", "", ""],
            ["text", "c", "C", "5.3;2.1 2.1", 4],
        ]
    )
    assert form.item("a").qi == ["1.1", "2.1", "5.3"]
    assert form.item("a").statements == [1, 2, 3]
    assert (form.item("b").qi, form.item("b").statements) == (["1.1"], [1])
    assert (form.item("c").qi, form.item("c").statements) == (["5.3", "2.1"], [4])


def test_qi_and_statement_values_are_validated() -> None:
    problems = refused(
        [
            ["type", "name", "label", "QI", "statements"],
            ["integer", "a", "A", "2.x", "5"],
            ["integer", "b", "B", "QI 2.1", "one"],
        ]
    )
    find(problems, "survey", 2, "'2.x'", "quality indicator")
    find(problems, "survey", 2, "'5'", "1 to 4")
    find(problems, "survey", 3, "'QI'")
    find(problems, "survey", 3, "'one'")
    assert len(problems) == 4


def test_nested_groups_are_flattened_with_relevant_anded() -> None:
    form = read(
        [
            ["type", "name", "label", "relevant", "hint"],
            ["select_one yes_no", "consent", "Consent?", "", ""],
            ["begin_group", "outer", "Outer", "${consent} = 'yes'", "Outer hint"],
            ["integer", "n", "N", "", ""],
            ["begin_group", "inner", "Inner", "${n} > 2", ""],
            ["begin_group", "deepest", "Deepest", "${n} < 10", ""],
            ["text", "t", "T", "${n} != 5", ""],
            ["end_group", "", "", "", ""],
            ["text", "u", "U", "", ""],
            ["end_group", "", "", "", ""],
            ["text", "v", "V", "", ""],
            ["end_group", "", "", "", ""],
            ["note", "bye", "Bye", "", ""],
        ],
        YES_NO,
    )
    assert [(s.name, [i.name for i in s.items]) for s in form.sections] == [
        ("test_form", ["consent"]),
        ("outer", ["n", "t", "u", "v"]),
        ("test_form_2", ["bye"]),
    ]
    outer = form.sections[1]
    assert (outer.title, outer.hint, outer.relevant, outer.row) == (
        "Outer",
        "Outer hint",
        "${consent} = 'yes'",
        3,
    )
    assert form.item("n").relevant == ""
    assert form.item("t").relevant == "${n} > 2 and ${n} < 10 and ${n} != 5"
    assert form.item("t").extra["group"] == "inner/deepest"
    assert form.item("u").relevant == "${n} > 2"
    assert form.item("v").relevant == ""


def test_nested_or_relevant_keeps_its_brackets() -> None:
    form = read(
        [
            ["type", "name", "label", "relevant"],
            ["integer", "n", "N", ""],
            ["begin_group", "g", "G", ""],
            ["begin_group", "h", "H", "${n} = 1 or ${n} = 2"],
            ["text", "t", "T", "${n} != 3 or ${n} = 4"],
            ["end_group", "", "", ""],
            ["end_group", "", "", ""],
        ]
    )
    assert form.item("t").relevant == "(${n} = 1 or ${n} = 2) and (${n} != 3 or ${n} = 4)"


def test_multilingual_labels_follow_settings_default_language() -> None:
    survey = [
        [
            "type",
            "name",
            "label::English (en)",
            "label::Arabic (ar)",
            "label::Tigrinya (ti)",
            "hint::English (en)",
            "hint::Arabic (ar)",
        ],
        [
            "select_one yn",
            "q",
            "Are you safe?",
            "هل أنت بأمان؟",
            "ድሕንነትካ ተሓልዩ ድዩ?",
            "Tick one",
            "اختر واحدا",
        ],
        ["text", "r", "Comments", "", "ርእይቶ", "", ""],
    ]
    choices = [
        ["list_name", "name", "label::English (en)", "label::Arabic (ar)"],
        ["yn", "1", "Yes", "نعم"],
        ["yn", "0", "No", "لا"],
    ]
    arabic = read(survey, choices, [["default_language"], ["Arabic (ar)"]])
    assert arabic.default_language == "Arabic (ar)"
    assert arabic.item("q").label == "هل أنت بأمان؟"
    assert arabic.item("q").hint == "اختر واحدا"
    assert [c.label for c in arabic.choice_lists["yn"]] == ["نعم", "لا"]
    # No Arabic label for r: fall back to another language rather than lose the question.
    assert arabic.item("r").label == "Comments"

    english = read(survey, choices)
    assert english.default_language == "English (en)"
    assert english.item("q").label == "Are you safe?"
    assert english.item("q").hint == "Tick one"

    tigrinya = read(survey, choices, [["default_language"], ["Tigrinya"]])
    assert tigrinya.item("q").label == "ድሕንነትካ ተሓልዩ ድዩ?"
    assert tigrinya.item("r").label == "ርእይቶ"
    assert tigrinya.choice_lists["yn"][0].label == "Yes"  # choices have no Tigrinya: English


def test_first_language_is_used_when_there_is_no_english() -> None:
    form = read(
        [
            ["type", "name", "label::Deutsch", "label::Français"],
            ["text", "a", "Wie heißt du?", "Comment t'appelles-tu ?"],
        ]
    )
    assert form.default_language == "Deutsch"
    assert form.items[0].label == "Wie heißt du?"


def test_constraints_give_min_and_max() -> None:
    form = read(
        [
            ["type", "name", "label", "constraint", "constraint_message"],
            ["integer", "age", "Age", ". >= 0 and . <= 120", "0 to 120"],
            ["integer", "kids", "Children", "${kids} > 0 and ${kids} < 20", ""],
            ["decimal", "score", "Score", ".>=1.5 and .<=9.75", ""],
            ["decimal", "open", "Open", ". > 0", ""],
            ["text", "why", "Why?", "string-length(.) <= 200", ""],
            ["integer", "either", "Either", ". < 0 or . > 10", ""],
            ["date", "when", "When", ". <= today()", ""],
        ]
    )
    age = form.item("age")
    assert (age.min_value, age.max_value, age.constraint) == (0, 120, ". >= 0 and . <= 120")
    assert age.constraint_message == "0 to 120"
    assert (form.item("kids").min_value, form.item("kids").max_value) == (1, 19)
    score = form.item("score")
    assert (score.min_value, score.max_value) == (Decimal("1.5"), Decimal("9.75"))
    assert score.constraint == ". >= 1.5 and . <= 9.75"
    assert (form.item("open").min_value, form.item("open").max_value) == (None, None)
    why = form.item("why")
    assert (why.max_length, why.min_length, why.min_value) == (200, None, None)
    assert form.item("either").min_value is None and form.item("either").max_value is None
    assert form.item("when").constraint == ". <= today()"


def test_derive_bounds_directly() -> None:
    assert derive_bounds("10 <= . and . < 20", "integer").min_value == 10
    assert derive_bounds("10 <= . and . < 20", "integer").max_value == 19
    assert derive_bounds("string-length(.) >= 3", "text").min_length == 3
    assert derive_bounds("string-length(.) > 3", "text").min_length == 4
    assert derive_bounds(". >= 0", "text").min_value is None
    assert derive_bounds("(. >= 1) and (. <= 5)", "integer").max_value == 5
    assert derive_bounds(". >= 0 and . <= 5 or . = 99", "integer").min_value is None
    assert derive_bounds("", "integer").min_value is None


def test_required_hint_messages_and_appearance() -> None:
    form = read(
        [
            ["type", "name", "label", "hint", "required", "required_message", "appearance"],
            ["text", "a", "A", "Say more", "yes", "Please answer", "multiline"],
            ["text", "b", "B", "", "TRUE", "", ""],
            ["text", "c", "C", "", "true()", "", ""],
            ["text", "d", "D", "", "no", "", ""],
            ["text", "e", "E", "", "", "", ""],
        ]
    )
    a = form.item("a")
    assert (a.hint, a.required, a.required_message, a.appearance) == (
        "Say more",
        True,
        "Please answer",
        "multiline",
    )
    assert [form.item(n).required for n in "bcde"] == [True, True, False, False]


def test_required_with_an_expression_is_refused() -> None:
    problems = refused(
        [
            ["type", "name", "label", "required"],
            ["integer", "n", "N", ""],
            ["text", "t", "T", "${n} > 1"],
        ]
    )
    find(problems, "survey", 3, "required", "yes or no")


def test_legacy_aliases_and_stray_spaces() -> None:
    form = read(
        [
            ["type", "name", "label ", "bind:constraint", "bind:relevant", "hint"],
            ["begin group", "g", "Group", "", "", ""],
            ["int", "n", "N", ". < 10", "", ""],
            ["string", "s", "S", "", "${n} > 1", ""],
            ["Select one from yn", "y", "Y", "", "", ""],
            ["select all that apply from yn", "m", "M", "", "", ""],
            ["note ", "nn", "A note", "", "", ""],
            ["end group", "", "", "", "", ""],
        ],
        [["list name", "name ", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
    )
    assert [(i.name, i.type) for i in form.items] == [
        ("n", "integer"),
        ("s", "text"),
        ("y", "select_one"),
        ("m", "select_multiple"),
        ("nn", "note"),
    ]
    assert form.item("n").max_value == 9
    assert form.item("s").relevant == "${n} > 1"
    assert form.item("y").choice_list == "yn"


def test_metadata_rows_are_ignored_silently() -> None:
    form = read(
        [
            SURVEY_HEADER,
            ["start", "start", ""],
            ["end", "end", ""],
            ["today", "today", ""],
            ["deviceid", "deviceid", ""],
            ["username", "username", ""],
            ["simserial", "simserial", ""],
            ["subscriberid", "subscriberid", ""],
            ["phonenumber", "phonenumber", ""],
            ["audit", "audit", ""],
            ["text", "q", "Q"],
        ]
    )
    assert [i.name for i in form.items] == ["q"]


def test_notes_without_name_get_a_generated_name() -> None:
    form = read([SURVEY_HEADER, ["note", "", "Welcome"], ["text", "q", "Q"]])
    assert form.items[0].name == "generated_note_name_2"
    assert form.items[0].type == "note"


def test_settings_title_id_and_version() -> None:
    form = read(
        [SURVEY_HEADER, ["text", "q", "Q"]],
        settings=[["form_title", "form_id", "version"], ["Staff survey 2025", "staff25", 7]],
    )
    assert (form.title, form.form_id, form.version) == ("Staff survey 2025", "staff25", "7")
    assert form.sections[0].name == "staff_survey_2025"
    assert form.sections[0].title == "Staff survey 2025"


def test_settings_formula_without_cached_value_does_not_crash() -> None:
    form = read(
        [SURVEY_HEADER, ["text", "q", "Q"]],
        settings=[["form_title", "version"], ["T", '=TEXT(NOW(), "yyyymmddhhmmss")']],
    )
    assert form.version == ""


def test_extra_sheets_and_entities_are_ignored() -> None:
    data = workbook(
        [["type", "name", "label", "save_to"], ["text", "q", "Q", "school_name"]],
        settings=[["form_title"], ["T"]],
        extra_sheets={
            "entities": [["list_name", "label"], ["schools", "${q}"]],
            "👋 Start here": [["Read me"], ["This sheet explains the template."]],
            "external_choices": [["list_name", "name", "label"], ["x", "1", "One"]],
        },
    )
    form = read_xlsform(data, "with_entities.xlsx")
    assert [i.name for i in form.items] == ["q"]


def test_extra_columns_are_kept_and_unknown_columns_ignored() -> None:
    form = read(
        [
            ["type", "name", "label", "reason_required", "notes", "testing"],
            ["select_one yes_no", "q", "Q", "yes", "internal note", "x"],
        ],
        YES_NO,
    )
    assert form.item("q").extra == {"reason_required": "yes"}


def test_disabled_rows_are_skipped() -> None:
    form = read(
        [["type", "name", "label", "disabled"], ["text", "a", "A", "yes"], ["text", "b", "B", ""]]
    )
    assert [i.name for i in form.items] == ["b"]


def test_path_and_file_object_inputs(tmp_path: Path) -> None:
    data = workbook([SURVEY_HEADER, ["text", "q", "Q"]])
    path = tmp_path / "form.xlsx"
    path.write_bytes(data)
    assert read_xlsform(path, "form.xlsx").items[0].name == "q"
    with path.open("rb") as handle:
        assert read_xlsform(handle, "form.xlsx").items[0].name == "q"


def test_single_csv_layout_with_multiline_cell_counts_lines() -> None:
    text = (
        "survey,,,\n"
        ",type,name,label\n"
        ',note,intro,"Welcome\nto the survey"\n'
        ",integer,n,How many?\n"
        ",geopoint,where,Where?\n"
        "choices,,,\n"
        ",list_name,name,label\n"
    )
    problems = problems_of(lambda: read_xlsform(text.encode(), "form.csv"))
    assert problems == [problems[0]] and problems[0].row == 6
    form = read_xlsform(text.replace(",geopoint,where,Where?\n", "").encode(), "form.csv")
    assert form.item("intro").label == "Welcome\nto the survey"
    assert form.item("n").row == 5


def test_per_sheet_csv_names_and_encoding() -> None:
    survey = "type,name,label\ntext,q,Quelle école ?\n".encode()
    form = read_xlsform_sheets({"survey.csv": survey, "notes.txt": b"ignored"})
    assert form.items[0].label == "Quelle école ?"
    problems = problems_of(
        lambda: read_xlsform_sheets(
            {"survey.csv": "type,name,label\ntext,q,Qué\n".encode("latin-1")}
        )
    )
    assert problems[0].sheet == "file" and "UTF-8" in problems[0].message
    missing = problems_of(lambda: read_xlsform_sheets({"choices.csv": b"list_name,name,label\n"}))
    find(missing, "file", None, "no survey sheet")


# --------------------------------------------------------------------------------------
# XLSForm errors
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "type_text",
    [
        "geopoint",
        "image",
        "photo",
        "audio",
        "video",
        "file",
        "barcode",
        "calculate",
        "range",
        "rank yn",
        "acknowledge",
        "trigger",
        "time",
        "dateTime",
        "select_one_from_file towns.csv",
        "select_one_external towns",
        "hidden",
        "xml-external",
    ],
)
def test_unsupported_types_are_refused_naming_the_type(type_text: str) -> None:
    problems = refused(
        [SURVEY_HEADER, ["text", "ok", "OK"], [type_text, "bad", "Bad"]],
        [["list_name", "name", "label"], ["yn", "y", "Yes"]],
    )
    problem = find(problems, "survey", 3, f"'{type_text}'", "not supported")
    assert "select_multiple" in problem.message  # lists what is supported


def test_repeat_is_refused_and_its_contents_still_checked() -> None:
    problems = refused(
        [
            SURVEY_HEADER,
            ["begin_repeat", "r", "People"],
            ["text", "name", "Name"],
            ["geopoint", "where", "Where"],
            ["end_repeat", "", ""],
        ]
    )
    assert rows_of(problems) == [2, 4]
    find(problems, "survey", 2, "repeat", "begin_group")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("choice_filter", "cf=${a}"),
        ("repeat_count", "3"),
        ("calculation", "1 + 1"),
        ("default", "hello"),
        ("read_only", "yes"),
    ],
)
def test_unsupported_columns_are_refused_when_not_empty(column: str, value: str) -> None:
    problems = refused(
        [["type", "name", "label", column], ["text", "a", "A", ""], ["text", "b", "B", value]]
    )
    assert len(problems) == 1
    find(problems, "survey", 3, f"{column} column is not supported", value)


def test_read_only_no_is_not_a_problem() -> None:
    form = read([["type", "name", "label", "read_only"], ["text", "a", "A", "no"]])
    assert form.items[0].name == "a"


def test_select_without_choices_and_or_other_are_refused() -> None:
    problems = refused(
        [
            SURVEY_HEADER,
            ["select_one missing", "a", "A"],
            ["select_one yes_no or_other", "b", "B"],
            ["select_one", "c", "C"],
        ],
        YES_NO,
    )
    find(problems, "survey", 2, "'missing'", "no choices")
    find(problems, "survey", 3, "or_other")
    find(problems, "survey", 4, "needs the name of a choice list")


def test_choice_sheet_problems() -> None:
    problems = refused(
        [SURVEY_HEADER, ["select_multiple l", "a", "A"]],
        [
            ["list_name", "name", "label"],
            ["l", "x", "X"],
            ["l", "x", "X again"],
            ["l", "", "No name"],
            ["", "orphan", "Orphan"],
            ["l", "two words", "Two"],
            ["l", "nolabel", ""],
        ],
    )
    assert rows_of(problems, "choices") == [3, 4, 5, 6, 7]
    find(problems, "choices", 3, "'x'", "used twice", "row 2")
    find(problems, "choices", 4, "no name")
    find(problems, "choices", 5, "no list_name")
    find(problems, "choices", 6, "space", "select_multiple")
    find(problems, "choices", 7, "'nolabel'", "no label")


def test_duplicate_names_across_groups_are_refused() -> None:
    problems = refused(
        [
            SURVEY_HEADER,
            ["begin_group", "g1", "One"],
            ["text", "q", "Q"],
            ["end_group", "", ""],
            ["begin_group", "g2", "Two"],
            ["text", "q", "Q again"],
            ["end_group", "", ""],
        ]
    )
    assert len(problems) == 1
    find(problems, "survey", 6, "'q'", "already used on row 3")


def test_bad_expressions_and_references_are_refused() -> None:
    problems = refused(
        [
            ["type", "name", "label", "relevant", "constraint"],
            ["start", "started", "", "", ""],
            ["integer", "n", "N", "", ""],
            ["text", "a", "A", "${n} > ", ""],
            ["text", "b", "B", "${nope} = 1", ""],
            ["text", "c", "C", "${started} != ''", ""],
            ["integer", "d", "D", "", ". > ${n"],
            ["integer", "e", "E", "between(${n}, 1, 2)", ""],
            ["begin_group", "g", "G", "", ""],
            ["text", "f", "F", "${g} = 1", ""],
            ["end_group", "", "", "", ""],
        ]
    )
    find(problems, "survey", 4, "relevant", "cannot be read")
    find(problems, "survey", 5, "${nope}", "no question named 'nope'")
    find(problems, "survey", 6, "${started}", "metadata")
    find(problems, "survey", 7, "constraint", "cannot be read")
    find(problems, "survey", 8, "between")
    find(problems, "survey", 10, "${g}", "group")


def test_forward_references_are_allowed() -> None:
    form = read(
        [
            ["type", "name", "label", "relevant"],
            ["text", "a", "A", "${b} = 'x'"],
            ["text", "b", "B", ""],
        ]
    )
    assert form.item("a").relevant == "${b} = 'x'"


def test_group_structure_errors() -> None:
    problems = refused(
        [
            SURVEY_HEADER,
            ["end_group", "", ""],
            ["begin_group", "open", "Never closed"],
            ["text", "q", "Q"],
        ]
    )
    find(problems, "survey", 2, "no matching begin_group")
    find(problems, "survey", 3, "'open'", "never ends", "end_group")


def test_empty_type_with_content_is_refused() -> None:
    problems = refused(
        [
            ["type", "name", "label", "required"],
            ["text", "a", "A", ""],
            ["", "", "", "yes"],
            ["", "", "", ""],
            ["text", "b", "B", ""],
        ]
    )
    assert len(problems) == 1
    find(problems, "survey", 3, "row 3 has no type")


def test_missing_names_labels_and_bad_names() -> None:
    problems = refused(
        [
            SURVEY_HEADER,
            ["text", "", "No name"],
            ["text", "no_label", ""],
            ["text", "has space", "Bad name"],
            ["begin_group", "", "Nameless group"],
            ["end_group", "", ""],
        ]
    )
    find(problems, "survey", 2, "no name")
    find(problems, "survey", 3, "'no_label'", "no label")
    find(problems, "survey", 4, "'has space'", "cannot be used")
    find(problems, "survey", 5, "group has no name")


def test_no_survey_sheet_and_no_type_column() -> None:
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "questions"
    book.create_sheet("choices").append(["list_name", "name", "label"])
    buffer = io.BytesIO()
    book.save(buffer)
    problems = problems_of(lambda: read_xlsform(buffer.getvalue(), "f.xlsx"))
    find(problems, "file", None, "no sheet named 'survey'", "'questions'")

    problems = refused([["name", "label"], ["q", "Q"]])
    find(problems, "survey", 1, "no 'type' column")


def test_files_that_are_not_workbooks() -> None:
    problems = problems_of(lambda: read_xlsform(b"PK\x03\x04 this is not a zip", "f.xlsx"))
    assert problems == [Problem("file", None, CORRUPT_WORKBOOK_MESSAGE)]
    problems = problems_of(lambda: read_xlsform(b"\xd0\xcf\x11\xe0 nonsense", "f.xls"))
    assert problems == [Problem("file", None, CORRUPT_WORKBOOK_MESSAGE)]
    problems = problems_of(lambda: read_xlsform(b"", "f.xlsx"))
    find(problems, "file", None, "empty")
    problems = problems_of(lambda: read_xlsform(b"hello", "f.ods"))
    find(problems, "file", None, "'f.ods'", ".xlsx")
    problems = problems_of(lambda: read_xlsform(b"just some words", "f.csv"))
    find(problems, "file", None, "does not look like an XLSForm")


def test_only_metadata_means_no_questions() -> None:
    problems = refused([SURVEY_HEADER, ["start", "start", ""]])
    find(problems, "survey", None, "no questions")


def test_pyxform_errors_are_surfaced_with_their_row() -> None:
    problems = refused([SURVEY_HEADER, ["text", "a", "Hello ${a"], ["text", "b", "B"]])
    find(problems, "survey", 2, "ODK's XLSForm checker", "label")


def test_all_problems_are_collected_and_listed() -> None:
    with pytest.raises(DefinitionError) as caught:
        read(
            [
                SURVEY_HEADER,
                ["geopoint", "where", "Where"],
                ["text", "ok", "OK"],
                ["image", "pic", "Picture"],
                ["select_one nothing", "s", "S"],
            ]
        )
    error = caught.value
    assert rows_of(error.problems) == [2, 4, 5]
    text = str(error)
    assert text.startswith("This questionnaire cannot be imported (3 problems):")
    assert "- survey sheet, row 4: The question type 'image'" in text


def test_problem_text() -> None:
    assert str(Problem("survey", 14, "Bad.")) == "survey sheet, row 14: Bad."
    assert str(Problem("choices", None, "Bad.")) == "choices sheet: Bad."
    assert str(Problem("data dictionary", 3, "Bad.")) == "data dictionary, line 3: Bad."
    assert str(Problem("file", None, "Bad.")) == "Bad."
    single = DefinitionError([Problem("survey", 2, "Bad.")])
    assert str(single) == "This questionnaire cannot be imported: survey sheet, row 2: Bad."


def test_item_def_validates_its_type() -> None:
    with pytest.raises(ValueError, match="Unknown item type"):
        ItemDef(name="x", type="geopoint", label="X")
    with pytest.raises(ValueError, match="choice_list"):
        ItemDef(name="x", type="select_one", label="X")
    assert "note" in ITEM_TYPES


def test_five_hundred_item_form_parses() -> None:
    survey: list[list[Any]] = [
        ["type", "name", "label", "required", "relevant", "constraint", "qi"]
    ]
    for group in range(10):
        survey.append(["begin_group", f"g{group}", f"Group {group}", "", "", "", ""])
        for index in range(50):
            number = group * 50 + index
            if index % 3 == 0:
                row = [f"select_one scale{group % 2}", f"q{number}", f"Question {number}"]
            elif index % 3 == 1:
                row = ["integer", f"q{number}", f"Question {number}"]
            else:
                row = ["text", f"q{number}", f"Question {number}"]
            relevant = f"${{q{number - 1}}} != ''" if index else ""
            constraint = ". >= 0 and . <= 100" if row[0] == "integer" else ""
            survey.append([*row, "yes", relevant, constraint, "2.1"])
        survey.append(["end_group", "", "", "", "", "", ""])
    choices = [["list_name", "name", "label"]] + [
        [f"scale{s}", str(v), f"Point {v}"] for s in range(2) for v in range(1, 6)
    ]
    form = read(survey, choices)
    assert len(form.items) == 500 and len(form.sections) == 10
    assert form.item("q499").relevant == "${q498} != ''"
    assert form.item("q1").max_value == 100


# --------------------------------------------------------------------------------------
# REDCap features and errors, on small hand-built dictionaries
# --------------------------------------------------------------------------------------

REDCAP_HEADER = (
    '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
    '"Choices, Calculations, OR Slider Labels","Field Note",'
    '"Text Validation Type OR Show Slider Number","Text Validation Min",'
    '"Text Validation Max",Identifier?,"Branching Logic (Show field only if...)",'
    '"Required Field?","Custom Alignment","Question Number (surveys only)",'
    '"Matrix Group Name","Matrix Ranking?","Field Annotation"\n'
)


def dictionary(*lines: str) -> str:
    return REDCAP_HEADER + "".join(f"{line}\n" for line in lines)


def test_redcap_branching_logic_is_rewritten() -> None:
    text = dictionary(
        'sex,f,,radio,Sex,"0, Female | 1, Male",,,,,,,,,,,,',
        'meds,f,,checkbox,Meds,"1, A | 2, B | 3, C",,,,,,,,,,,,',
        "age,f,,text,Age,,,integer,0,120,,,y,,,,,",
        "a,f,,text,A,,,,,,,\"[sex] = '0' AND [age] >= 18\",,,,,,",
        'b,f,,text,B,,,,,,,"[meds(2)] = \'1\' or [meds(3)] = ""0""",,,,,,',
        'c,f,,text,C,,,,,,,"[sex] <> """"",,,,,,',  # the empty string "" doubled in CSV
        'd,f,,descriptive,"Read this",,,,,,,"[meds(1)]",,,,,,',
    )
    form = read_redcap(text, "branching.csv")
    assert form.item("a").relevant == "${sex} = '0' and ${age} >= 18"
    assert form.item("b").relevant == "selected(${meds}, '2') or not(selected(${meds}, '3'))"
    assert form.item("c").relevant == "${sex} != ''"
    assert form.item("d").relevant == "selected(${meds}, '1')"
    age = form.item("age")
    assert (age.required, age.min_value, age.max_value) == (True, 0, 120)
    assert age.constraint == ". >= 0 and . <= 120"


def test_redcap_errors_are_collected_with_line_numbers() -> None:
    text = dictionary(
        'intro,f,,descriptive,"Line one\nline two",,,,,,,,,,,,,',
        "x,f,,text,X,,,,,,,,,,,,,",
        "x,f,,text,X again,,,,,,,,,,,,,",
        'bad_logic,f,,text,B,,,,,,,"[x] = ",,,,,,',
        "unknown_ref,f,,text,U,,,,,,,\"[nobody] = '1'\",,,,,,",
        "event_ref,f,,text,E,,,,,,,\"[visit_1_arm_1][x] = '1'\",,,,,,",
        "weird,f,,matrixthing,W,,,,,,,,,,,,,",
        "nochoices,f,,radio,N,,,,,,,,,,,,,",
        'badchoice,f,,radio,N,"Yes | 0, No | 0, Nope",,,,,,,,,,,,',
        "badmin,f,,text,M,,,integer,ten,,,,,,,,,",
        ",f,,text,No name,,,,,,,,,,,,,",
    )
    problems = problems_of(lambda: read_redcap(text.encode("utf-8"), "errors.csv"))
    sheet = "data dictionary"
    # The descriptive field's label spans lines 2-3, so "x" starts on line 4.
    find(problems, sheet, 5, "'x'", "already used on line 4")
    find(problems, sheet, 6, "branching logic", "cannot be read")
    find(problems, sheet, 7, "[nobody]")
    find(problems, sheet, 8, "another event")
    find(problems, sheet, 9, "'matrixthing'", "not supported")
    find(problems, sheet, 10, "no choices")
    find(problems, sheet, 11, "'Yes'", "no code")
    find(problems, sheet, 11, "'0'", "appears twice")
    find(problems, sheet, 12, "Text Validation Min", "'ten'")
    find(problems, sheet, 13, "no Variable / Field Name")
    assert [p.row for p in problems] == sorted(p.row or 0 for p in problems)


def test_redcap_rejects_other_csv_files() -> None:
    problems = problems_of(lambda: read_redcap("name,age\nAnn,4\n", "people.csv"))
    find(problems, "data dictionary", 1, "does not look like a REDCap data dictionary")
    problems = problems_of(lambda: read_redcap(b"", "empty.csv"))
    find(problems, "file", None, "empty")
    problems = problems_of(
        lambda: read_redcap(
            REDCAP_HEADER.encode("cp1252") + b"q,f,,text,\xe9,,,,,,,,,,,,,\n", "x.csv"
        )
    )
    find(problems, "file", None, "UTF-8")


def test_redcap_section_header_name_does_not_clash() -> None:
    text = dictionary(
        "a__section_header,f,,text,Clash,,,,,,,,,,,,,",
        'a,f,"Part two",text,A,,,,,,,,,,,,,',
    )
    form = read_redcap(text, "clash.csv")
    assert [i.name for i in form.items] == ["a__section_header", "a__section_header_2", "a"]


# --------------------------------------------------------------------------------------
# Properties: whatever the spreadsheet says, the readers either return a definition that
# keeps the contracts or raise DefinitionError with at least one problem.
# --------------------------------------------------------------------------------------

_TYPES = st.sampled_from(
    [
        "text",
        "integer",
        "select_one yn",
        "select_multiple yn",
        "select_one nope",
        "begin_group",
        "end_group",
        "begin repeat",
        "note",
        "",
        "start",
        "geopoint",
    ]
)
_EXPRESSIONS = st.sampled_from(["", "${q1} = 1", ". > 3", "${zz}", "((", ". >= 0 and . <= 5"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            _TYPES,
            st.sampled_from(["q1", "q2", "g", "", "1bad"]),
            st.sampled_from(["", "Label", "Étiquette"]),
            _EXPRESSIONS,
            _EXPRESSIONS,
            st.sampled_from(["", "yes", "${q1}"]),
            st.sampled_from(["", "2.1", "x"]),
        ),
        max_size=8,
    ),
    st.lists(
        st.tuples(st.sampled_from(["yn", ""]), st.sampled_from(["a", "b", "", "a b"])), max_size=3
    ),
)
def test_xlsform_reader_keeps_its_contracts(
    rows: list[tuple[str, ...]], choices: list[tuple[str, str]]
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["survey"])
    writer.writerow(["", "type", "name", "label", "relevant", "constraint", "required", "qi"])
    writer.writerows(["", *row] for row in rows)
    writer.writerow(["choices"])
    writer.writerow(["", "list_name", "name", "label"])
    writer.writerows(["", list_name, name, name.upper()] for list_name, name in choices)
    try:
        form = read_xlsform(out.getvalue().encode(), "generated.csv")
    except DefinitionError as error:
        assert error.problems
        return
    names = [item.name for item in form.items]
    assert len(names) == len(set(names))
    for item in form.items:
        assert item.type in ITEM_TYPES and item.label
        if item.is_select:
            assert form.choice_lists[item.choice_list]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "", "a1"]),
            st.sampled_from(["f1", "f2"]),
            st.sampled_from(["text", "radio", "checkbox", "yesno", "calc", "weird", ""]),
            st.sampled_from(["", "1, A | 2, B", "x", "1, A | 1, B"]),
            st.sampled_from(["", "integer", "number", "email"]),
            st.sampled_from(["", "0", "x"]),
            st.sampled_from(["", "[a] = '1'", "[b(1)] = '1'", "[zz] = 1", "[a] =", "[e][a] = 1"]),
        ),
        max_size=6,
    )
)
def test_redcap_reader_keeps_its_contracts(rows: list[tuple[str, ...]]) -> None:
    text = REDCAP_HEADER + "".join(
        f'{n},{form},,{kind},Label,"{choices}",,{validation},{minimum},,,"{logic}",,,,,,\n'
        for n, form, kind, choices, validation, minimum, logic in rows
    )
    try:
        form_def = read_redcap(text, "generated.csv")
    except DefinitionError as error:
        assert error.problems
        return
    names = [item.name for item in form_def.items]
    assert len(names) == len(set(names))
    for item in form_def.items:
        if item.relevant:
            assert "[" not in item.relevant
