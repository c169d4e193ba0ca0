"""Word reports re-open in python-docx with their cover, content, picture and fields."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from howgood.toolkit.charts.bars import bar_chart
from howgood.toolkit.word import ReportDocument

W_DRAWING_DESCR = "descr"


@pytest.fixture(scope="module")
def chart():
    return bar_chart(
        title="Records read by agency",
        categories=["Social work", "Health", "Education"],
        series={"Records": [31, 18, None]},
        value_label="Number of records",
    )


def build(chart, marking: str = "OFFICIAL-SENSITIVE") -> docx.document.Document:
    report = ReportDocument(
        title="Record reading findings",
        subtitle="Autumn 2026",
        partnership="Anytown Partnership",
        date=dt.date(2026, 10, 9),
        marking=marking,
    )
    report.heading("Summary", 1)
    report.paragraph("The majority of records (18 of 31) had a SMART plan.")
    report.bullets(["First finding", "Second finding"])
    report.note("Figures below 5 are suppressed.")
    report.heading("Plans", 2)
    report.heading("Detail", 3)
    report.table(
        ["Reading ID", "Agency", "Date read", "Score"],
        [
            ["R-001", "Social work", dt.date(2026, 9, 1), 1.5],
            ["R-002", None, dt.date(2026, 9, 2), 12000],
        ],
        caption="Records read",
        numeric_columns=(3,),
    )
    report.chart(chart, "Records read by agency")
    return docx.Document(io.BytesIO(report.to_bytes()))


def all_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_reopens_with_cover_headings_and_text(chart) -> None:
    document = build(chart)
    text = all_text(document)
    for expected in [
        "Anytown Partnership",
        "Record reading findings",
        "Autumn 2026",
        "9 October 2026",
        "OFFICIAL-SENSITIVE",
        "Figure 1: Records read by agency",
        "Table 1: Records read",
        "Data for figure 1",
        "Figures below 5 are suppressed.",
    ]:
        assert expected in text
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [("Heading 1", "Summary"), ("Heading 2", "Plans"), ("Heading 3", "Detail")]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["First finding", "Second finding"]
    assert document.core_properties.title == "Record reading findings"
    assert document.core_properties.author == "Anytown Partnership"


def test_tables_hold_the_cells_and_repeat_their_header_row(chart) -> None:
    document = build(chart)
    records, data = document.tables
    assert [c.text for c in records.rows[0].cells] == ["Reading ID", "Agency", "Date read", "Score"]
    assert [c.text for c in records.rows[1].cells] == [
        "R-001",
        "Social work",
        "1 September 2026",
        "1.5",
    ]
    assert [c.text for c in records.rows[2].cells] == ["R-002", "", "2 September 2026", "12,000"]
    assert [c.text for c in data.rows[3].cells] == ["Education", "suppressed"]
    for table in (records, data):
        header_props = table.rows[0]._tr.trPr
        assert header_props is not None and header_props.find(qn("w:tblHeader")) is not None
    score = records.rows[1].cells[3].paragraphs[0]
    assert score.alignment is not None and score.alignment.name == "RIGHT"


def test_chart_is_an_inline_picture_at_text_width_with_alt_text(chart) -> None:
    document = build(chart)
    assert len(document.inline_shapes) == 1
    picture = document.inline_shapes[0]
    assert abs(picture.width - Cm(16)) < Cm(0.05)
    doc_pr = picture._inline.docPr
    assert doc_pr.get(W_DRAWING_DESCR) == chart.alt
    image_parts = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert image_parts and image_parts[0].target_part.blob == chart.png


def test_page_numbers_are_word_fields_and_the_marking_heads_every_page(chart) -> None:
    document = build(chart)
    cover, body = document.sections
    assert abs(body.page_width - Cm(21)) < Cm(0.05)
    assert abs(body.page_height - Cm(29.7)) < Cm(0.05)
    instructions = [node.text.strip() for node in body.footer._element.iter(qn("w:instrText"))]
    assert [i.split()[0] for i in instructions] == ["PAGE", "NUMPAGES"]
    footer_xml = body.footer._element.xml
    assert footer_xml.count('w:fldCharType="begin"') == 2
    assert "Page " in body.footer.paragraphs[0].text and " of " in body.footer.paragraphs[0].text
    assert cover.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert body.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert not body.header.is_linked_to_previous
    # The cover has no page number.
    assert not list(cover.footer._element.iter(qn("w:instrText")))


def test_no_marking_means_empty_headers(chart) -> None:
    document = build(chart, marking="")
    assert all(s.header.paragraphs[0].text == "" for s in document.sections)
    assert "Security marking" not in all_text(document)


def test_fonts_and_language_are_set() -> None:
    report = ReportDocument(title="T", subtitle="", partnership="P", date="Autumn 2026")
    document = docx.Document(io.BytesIO(report.to_bytes()))
    normal = document.styles["Normal"]
    assert normal.font.name == "Arial"
    assert normal.font.size.pt == 11
    heading_fonts = document.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading_fonts.get(qn("w:asciiTheme")) is None
    assert heading_fonts.get(qn("w:ascii")) == "Arial"
    assert 'w:val="en-GB"' in normal.element.xml
    assert "Autumn 2026" in all_text(document)


def test_rejects_bad_heading_levels_and_ragged_rows() -> None:
    report = ReportDocument(title="T", subtitle="S", partnership="P", date=dt.date(2026, 1, 1))
    with pytest.raises(ValueError):
        report.heading("Too deep", 4)
    with pytest.raises(ValueError):
        report.table(["A", "B"], [["only one"]])


def test_a_long_table_holds_every_cell_in_its_style_row_by_row() -> None:
    """Tables are built row by row as XML (issue 13): every cell's words and numbers, its
    paragraph style, lines and tabs, the header's shading and rows that do not split."""
    report = ReportDocument(
        title="Plan", subtitle="", partnership="Anytown Partnership", date="today"
    )
    rows = [
        [f"Action {i} & <more>", i * 1000, 0.5 + i, None, True, "first\nsecond", "a\tb"]
        for i in range(120)
    ]
    report.table(["Action", "Count", "Rate", "Blank", "Done", "Lines", "Tab"], rows, None, (1, 2))
    (table,) = docx.Document(io.BytesIO(report.to_bytes())).tables
    assert len(table.rows) == 121
    assert [c.text for c in table.rows[0].cells] == [
        "Action",
        "Count",
        "Rate",
        "Blank",
        "Done",
        "Lines",
        "Tab",
    ]
    assert [c.text for c in table.rows[120].cells] == [
        "Action 119 & <more>",
        "119,000",
        "119.5",
        "",
        "Yes",
        "first\nsecond",
        "a\tb",
    ]
    assert table.rows[1].cells[1].text == "0"
    header = table.rows[0].cells[0].paragraphs[0]
    assert header.style.name == "Table Heading"
    assert header.paragraph_format.keep_with_next is True
    shading = table.rows[0].cells[0]._tc.tcPr.find(qn("w:shd"))
    assert shading is not None and shading.get(qn("w:fill")) == "DCE6F0"
    body = table.rows[120].cells
    assert {c.paragraphs[0].style.name for c in body} == {"Table Text"}
    assert [c.paragraphs[0].alignment is not None for c in body] == [False, True, True] + [
        False
    ] * 4
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert [r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table.rows[:2]] == [
        True,
        False,
    ]
