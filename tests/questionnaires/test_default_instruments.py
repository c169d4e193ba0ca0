"""The shipped questionnaire workbooks are built from their XLSForm text.

Each instrument lives as text in ``data/questionnaires/<workbook name>/`` (one CSV file per
sheet and ``readme.txt``), and ``data/questionnaires/build.py`` writes the workbooks from
it.  These tests check that building from the text gives the committed workbooks, cell
for cell and sheet for sheet, and that the installed questionnaires keep their items.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from django.core.management import call_command

from howgood.questionnaires.models import QuestionnaireVersion

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "questionnaires"
WORKBOOKS = [
    "carers-survey",
    "children-survey",
    "record-reading-template",
    "staff-survey",
]


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("howgood_build_questionnaires", DATA / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def cells(book: openpyxl.Workbook) -> dict[str, list[list[object]]]:
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def test_every_shipped_workbook_has_its_text_and_nothing_else(build: ModuleType) -> None:
    assert sorted(path.stem for path in DATA.glob("*.xlsx")) == WORKBOOKS
    assert [folder.name for folder in build.instrument_folders()] == WORKBOOKS
    for name in WORKBOOKS:
        assert sorted(p.name for p in (DATA / name).iterdir()) == [
            "choices.csv",
            "readme.txt",
            "settings.csv",
            "survey.csv",
        ]
    assert not list(DATA.glob("build_*.py"))


@pytest.mark.parametrize("name", WORKBOOKS)
def test_building_from_the_text_gives_the_shipped_workbook(build: ModuleType, name: str) -> None:
    built = openpyxl.load_workbook(io.BytesIO(build.workbook_bytes(DATA / name)))
    shipped = openpyxl.load_workbook(DATA / f"{name}.xlsx")
    assert built.sheetnames == ["README", "survey", "choices", "settings"]
    assert cells(built) == cells(shipped)
    assert built.properties.title == shipped.properties.title
    assert shipped.properties.title == shipped["settings"]["A2"].value


@pytest.mark.parametrize("name", WORKBOOKS)
def test_the_workbook_keeps_its_readable_layout(build: ModuleType, name: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build.workbook_bytes(DATA / name)))
    readme = book["README"]
    assert readme["A1"].font.bold
    assert readme["A3"].alignment.wrap_text
    assert readme.column_dimensions["A"].width == 110
    for sheet_name in ("survey", "choices", "settings"):
        sheet = book[sheet_name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
    assert book["survey"].column_dimensions["C"].width == 60
    assert book["choices"].column_dimensions["C"].width == 60


@pytest.mark.parametrize("name", WORKBOOKS)
def test_building_twice_gives_the_same_bytes(build: ModuleType, name: str) -> None:
    assert build.workbook_bytes(DATA / name) == build.workbook_bytes(DATA / name)


@pytest.mark.parametrize("name", WORKBOOKS)
def test_the_readme_sheet_says_what_the_instrument_is_and_how_to_rebuild_it(name: str) -> None:
    book = openpyxl.load_workbook(DATA / f"{name}.xlsx", read_only=True)
    readme = " ".join(str(row[0]) for row in book["README"].iter_rows(values_only=True) if row[0])
    assert "NOT the Care Inspectorate's" in readme
    assert "Check it locally" in readme
    assert f"data/questionnaires/{name}/" in readme
    assert "data/questionnaires/build.py" in readme
    if name == "record-reading-template":
        assert "(document 013)" in readme
    else:
        assert "HowGood's proposed instruments" in readme


def test_a_changed_cell_in_the_text_changes_the_built_workbook(
    build: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "children-survey"
    folder.mkdir()
    for source in (DATA / "children-survey").iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    choices = folder / "choices.csv"
    choices.write_text(
        choices.read_text(encoding="utf-8").replace("😊 Yes, mostly", "😊 Mostly"),
        encoding="utf-8",
    )
    book = openpyxl.load_workbook(io.BytesIO(build.workbook_bytes(folder)))
    labels = [row[2] for row in book["choices"].iter_rows(min_row=2, values_only=True)]
    assert "😊 Mostly" in labels
    assert "😊 Yes, mostly" not in labels


def test_load_default_questionnaires_installs_the_same_items(framework) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("load_default_questionnaires", stdout=out)
    counts = {
        version.form_id: version.items.count()
        for version in QuestionnaireVersion.objects.filter(questionnaire__partnership=None)
    }
    assert counts == {
        "howgood_carers_survey": 19,
        "howgood_children_survey": 16,
        "howgood_record_reading": 99,
        "howgood_staff_survey": 51,
    }
    assert "carers-survey.xlsx: installed Parents and carers survey (HowGood default) " in (
        out.getvalue()
    )
    assert (
        "record-reading-template.xlsx: installed Record reading template (HowGood default) "
        "version 2026.1 (99 items)."
    ) in out.getvalue()
