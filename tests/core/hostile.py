"""Hostile files built in code, small enough for the tests and, with bigger sizes, used by
``bench/hostile_files.py``. Each builder returns the file's bytes."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def tiny_xlsx(rows: list[list[str]], *, dimension: str | None = None, sheet_xml: str = "") -> bytes:
    """The smallest workbook Excel opens: one sheet of inline strings. ``dimension`` is
    written into the sheet's ``<dimension ref=...>`` as given (it may lie); ``sheet_xml``
    replaces the rows with raw XML."""
    cells = sheet_xml or "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(row, start=1)
            if v != ""
        )
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    ref = dimension or f"A1:{_column(max((len(r) for r in rows), default=1))}{max(len(rows), 1)}"
    files = {
        "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        f'<dimension ref="{ref}"/><sheetData>{cells}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, text in files.items():
            package.writestr(name, text)
    return buffer.getvalue()


def far_cell_xlsx(
    header: list[str], *, row: int, column: int, dimension: str | None = None
) -> bytes:
    """A header row and one value at (row, column), however far away: a few hundred bytes."""
    first = "".join(
        f'<c r="{_column(c)}1" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for c, v in enumerate(header, start=1)
    )
    where = f"{_column(column)}{row}"
    far = f'<row r="{row}"><c r="{where}" t="inlineStr"><is><t>2025-01</t></is></c></row>'
    rows_xml = f'<row r="1">{first}</row>' + (far if row > 1 else "")
    return tiny_xlsx([header], dimension=dimension or f"A1:{where}", sheet_xml=rows_xml)


def xlsx_bomb(*, unpacked_mb: int) -> bytes:
    """A workbook whose shared-strings part is ``unpacked_mb`` MB of spaces, packed about
    1,000 times: what a reader that unpacks it pays for."""
    good = tiny_xlsx([["period", "value"], ["2025-01", "5"]])
    return _with_part(good, "xl/sharedStrings.xml", _blank_stream(unpacked_mb))


def _blank_stream(megabytes: int) -> bytes:
    return b"<sst>" + b" " * (megabytes * 1024 * 1024) + b"</sst>"


def _with_part(package: bytes, name: str, data: bytes, *, replace: bool = True) -> bytes:
    """The package with one part added (or replaced), everything else copied as it was."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename == name and replace:
                continue
            out.writestr(info, source.read(info.filename))
        out.writestr(name, data)
    return buffer.getvalue()
