"""Build HowGood's shipped questionnaire workbooks from their XLSForm text.

Run from the repository root::

    .venv/bin/python data/questionnaires/build.py

Each instrument lives in a folder next to this script, named after its workbook:

* ``record-reading-template/``: the default record-reading template;
* ``staff-survey/``, ``children-survey/``, ``carers-survey/``: the default surveys.

A folder holds the XLSForm sheets as text, one CSV file per sheet (``survey.csv``,
``choices.csv``, ``settings.csv``; UTF-8, the first line the column headings), and
``readme.txt``, the workbook's README sheet (one line per row, blank lines included).
Edit the text, then run this script: it writes ``<folder>.xlsx`` for every folder (or only
for the folders named on the command line).  Never edit a workbook by hand.

The workbooks are the same on every run: their cells come from the text alone, the
styling (bold, frozen headings, column widths, a wrapped README) is fixed here, and the
zip and document timestamps are set to :data:`FIXED_TIMESTAMP`, so a rebuild of unchanged
text gives the same bytes on a given set of installed packages.

The test ``tests/questionnaires/test_default_instruments.py`` checks that building from the
text gives the committed workbooks, cell for cell.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
SHEETS = ("survey", "choices", "settings")
README = "readme.txt"
FIXED_TIMESTAMP = (2026, 1, 1, 0, 0, 0)

# Column widths (in Excel's character units) that make each sheet readable when opened.
WIDTHS: dict[str, dict[str, float]] = {
    "README": {"A": 110},
    "survey": {"A": 28, "B": 30, "C": 60, "D": 50, "G": 40, "H": 40, "I": 40},
    "choices": {"A": 20, "B": 30, "C": 60},
    "settings": {"A": 45, "B": 25},
}


def instrument_folders(root: Path = HERE) -> list[Path]:
    """Every instrument folder: a folder with a ``survey.csv`` in it."""
    return sorted(path.parent for path in root.glob("*/survey.csv"))


def read_sheet(path: Path) -> list[list[str]]:
    """One sheet's rows (a leading byte-order mark, as Excel writes it, is ignored)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.reader(handle) if row]


def read_readme(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return text.removesuffix("\n").split("\n") if text else []


def build_workbook(folder: Path) -> Workbook:
    """A README sheet, then the XLSForm survey, choices and settings sheets."""
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    for line in read_readme(folder / README):
        readme.append([line])
    for (cell,) in readme.iter_rows(min_row=1, max_row=readme.max_row, max_col=1):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    readme["A1"].font = Font(bold=True)

    sheets = {"README": readme}
    for name in SHEETS:
        sheet = wb.create_sheet(name)
        for row in read_sheet(folder / f"{name}.csv"):
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheets[name] = sheet
    for name, widths in WIDTHS.items():
        for column, width in widths.items():
            sheets[name].column_dimensions[column].width = width

    settings = read_sheet(folder / "settings.csv")
    fixed = datetime.datetime(*FIXED_TIMESTAMP)
    wb.properties.creator = "HowGood"
    wb.properties.title = dict(zip(settings[0], settings[1], strict=False)).get("form_title", "")
    wb.properties.created = fixed
    wb.properties.modified = fixed
    return wb


_MODIFIED_RE = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def workbook_bytes(folder: Path) -> bytes:
    """The workbook built from ``folder``, saved with every timestamp fixed."""
    buffer = io.BytesIO()
    build_workbook(folder).save(buffer)
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIMESTAMP).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED_RE.sub(
                    rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", data
                )
            fixed_info = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP)
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            fixed_info.external_attr = info.external_attr
            target.writestr(fixed_info, data)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    folders = [HERE / name.rstrip("/") for name in names] if names else instrument_folders()
    for folder in folders:
        if not (folder / "survey.csv").is_file():
            print(f"{folder} has no survey.csv.", file=sys.stderr)
            return 1
        output = folder.with_suffix(".xlsx")
        output.write_bytes(workbook_bytes(folder))
        rows = read_sheet(folder / "survey.csv")[1:]
        groups = sum(1 for row in rows if row[0] == "begin_group")
        questions = sum(1 for row in rows if row[0] not in ("begin_group", "end_group", "note"))
        print(f"Wrote {output.name} ({groups} sections, {questions} questions).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
