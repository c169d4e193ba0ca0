"""Word reports a partnership would be proud to send, built from plain data.

:class:`ReportDocument` wraps python-docx with the house style: A4, 2.5 cm margins, Arial
11 pt (Word substitutes a metric-compatible face where Arial is missing), blue headings,
a cover page, the security marking in every page header, "Page X of Y" in the footer
(real Word ``PAGE`` and ``NUMPAGES`` fields, which Word and LibreOffice fill in when they
lay the document out), styled tables whose header row repeats on each page, and charts
at full text width with their data tables beneath.

Nothing here touches the database or the file system: build a document, call
:meth:`ReportDocument.to_bytes`, and store or send the bytes. Building is quick (well
under a second for a 40-page report); drawing the charts is the slow part.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from howgood.toolkit.charts.base import Chart

__all__ = ["ReportDocument"]

FONT = "Arial"
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x00, 0x43, 0x7E)  # dark blue: 10:1 contrast on white, prints dark grey
MUTED = RGBColor(0x4D, 0x4D, 0x4D)
HEADER_FILL = "DCE6F0"  # table header rows
RULE = "A6A6A6"  # table rules
NOTE_FILL = "F2F2F2"

PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN = Cm(2.5)
TEXT_WIDTH = Cm(16.0)  # 21 cm less two margins: charts are drawn at this width


def _format_date(value: dt.date | str) -> str:
    """ "9 March 2026": British style, no leading zero."""
    if isinstance(value, str):
        return value
    return f"{value.day} {value:%B %Y}"


def _cell_text(value: object) -> str:
    """How a table value prints: blank for None, thousands separators, British dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text
    if isinstance(value, dt.datetime):
        return f"{_format_date(value)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return _format_date(value)
    return str(value)


def _set_fonts(rpr: BaseOxmlElement, name: str) -> None:
    """Set every script's font to ``name`` and drop theme fonts, which would win."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), name)


def _shade(element_pr: BaseOxmlElement, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    element_pr.append(shd)


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (``PAGE``, ``NUMPAGES``) with a cached result Word replaces."""

    def fld_char(kind: str) -> None:
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    fld_char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run._r.append(instr)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")


# Characters an XML document cannot hold (python-docx would refuse them too).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _runs_xml(text: str) -> str:
    """The runs of a table cell's text: a line break between lines, tabs as tabs (as
    python-docx's ``add_run`` and ``add_break`` make them)."""
    lines = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    runs = []
    for number, line in enumerate(lines):
        parts = [
            f'<w:t xml:space="preserve">{escape(part)}</w:t>' if part else ""
            for part in line.split("\t")
        ]
        brk = "<w:br/>" if number < len(lines) - 1 else ""
        runs.append(f"<w:r>{'<w:tab/>'.join(parts)}{brk}</w:r>")
    return "".join(runs)


def _cell_xml(text: str, width: str, style_id: str, right: bool, *, header: bool = False) -> str:
    """One table cell: its width, the header's shading, the paragraph's style and
    alignment, and its text."""
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>' if header else ""
    keep = "<w:keepNext/>" if header else ""  # the header row stays with the first row
    align = '<w:jc w:val="right"/>' if right else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{shade}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{keep}{align}</w:pPr>'
        f"{_runs_xml(text)}</w:p></w:tc>"
    )


class ReportDocument:
    """A Word report under construction.

    Make one, add content in reading order, then call :meth:`to_bytes`::

        doc = ReportDocument(title="Record reading findings", subtitle="Autumn 2026",
                             partnership="Anytown Partnership", date=date.today())
        doc.heading("Summary", 1)
        doc.paragraph("The majority of records (18 of 31) …")
        doc.chart(chart, "Quality of plans by agency")
        data = doc.to_bytes()

    ``marking`` is the Government Security Classification shown on the cover and in
    every page header; pass ``""`` for none. Tables and figures are numbered in order
    ("Table 1", "Figure 1"). Text is taken literally (no markup).
    """

    def __init__(
        self,
        *,
        title: str,
        subtitle: str,
        partnership: str,
        date: dt.date | str,
        marking: str = "OFFICIAL-SENSITIVE",
    ) -> None:
        self.title = title
        self.subtitle = subtitle
        self.partnership = partnership
        self.date = date
        self.marking = marking
        self._tables = 0
        self._figures = 0
        self.document: DocxDocument = Document()
        self._set_up_page()
        self._set_up_styles()
        self._set_up_properties()
        self._cover()
        self._header_and_footer()

    # --- content ----------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> Paragraph:
        """A heading, level 1 (chapter) to 3; headings stay with what follows them."""
        if level not in (1, 2, 3):
            raise ValueError("Heading level must be 1, 2 or 3.")
        return self.document.add_heading(text, level)

    def paragraph(self, text: str, style: str | None = None) -> Paragraph:
        """A paragraph of body text, or in a named Word style (e.g. ``"Quote"``)."""
        return self.document.add_paragraph(text, style=style)

    def bullets(self, items: Iterable[str]) -> list[Paragraph]:
        """A bulleted list, one paragraph per item."""
        return [self.document.add_paragraph(item, style="List Bullet") for item in items]

    def note(self, text: str) -> Paragraph:
        """A shaded, ruled aside (a caveat, a disclosure-control note)."""
        return self.document.add_paragraph(text, style="Note")

    def page_break(self) -> None:
        """Start the next content on a new page."""
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        caption: str | None = None,
        numeric_columns: Collection[int] = (),
    ) -> Table:
        """A table with a shaded header row that repeats at the top of each page.

        ``caption`` (if given) goes above as "Table N: caption". Columns whose index is
        in ``numeric_columns`` are right-aligned. Values print as described in
        ``_cell_text``: None blank, integers with thousands separators, dates as
        "9 March 2026", floats to at most two decimal places, anything else as ``str``.
        """
        if caption:
            self._tables += 1
            self._caption(f"Table {self._tables}: {caption}", keep_with_next=True)
        return self._table(header, rows, numeric_columns)

    def chart(self, chart: Chart, caption: str) -> Table:
        """The chart at full text width, "Figure N: caption" beneath, then its data.

        The picture carries ``chart.alt`` as its alternative text. The picture and its
        caption are kept on one page; the data table follows under "Data for figure N".
        """
        self._figures += 1
        picture = self.document.add_paragraph(style="Figure")
        run = picture.add_run()
        shape = run.add_picture(io.BytesIO(chart.png), width=TEXT_WIDTH)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", chart.alt)
        doc_pr.set("title", chart.title)
        self._caption(f"Figure {self._figures}: {caption}", keep_with_next=True)
        self._caption(f"Data for figure {self._figures}", keep_with_next=True, minor=True)
        numeric = range(1, len(chart.table_header))
        return self._table(chart.table_header, chart.table_rows, numeric)

    def to_bytes(self) -> bytes:
        """The finished .docx file."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    # --- building blocks --------------------------------------------------------------

    def _caption(self, text: str, *, keep_with_next: bool, minor: bool = False) -> Paragraph:
        paragraph = self.document.add_paragraph(text, style="Caption")
        paragraph.paragraph_format.keep_with_next = keep_with_next
        if minor:
            paragraph.paragraph_format.space_before = Pt(2)
            for run in paragraph.runs:
                run.bold = False
                run.italic = True
        return paragraph

    def _table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        numeric_columns: Collection[int],
    ) -> Table:
        """The table built row by row as XML, parsed once: linear in its cells.

        (python-docx's ``table.cell(i, j)`` walks the whole table for each cell, and
        setting a paragraph's style by name searches the styles each time; filling a
        120 x 7 table that way took a minute.) Each row is ``w:cantSplit``; the header
        row also repeats at the top of each page and stays with the first body row.
        """
        rows = [list(r) for r in rows]
        columns = len(header)
        for number, row in enumerate(rows, start=1):
            if len(row) != columns:
                raise ValueError(f"Row {number} has {len(row)} cells for {columns} columns.")
        table = self.document.add_table(rows=0, cols=columns)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self._table_look(table)
        grid = table._tbl.find(qn("w:tblGrid"))
        width = grid[0].get(qn("w:w")) if grid is not None and len(grid) else "0"
        styles = self.document.styles
        text_style, heading_style = styles["Table Text"].style_id, styles["Table Heading"].style_id
        right = [j in numeric_columns for j in range(columns)]
        header_cells = "".join(
            _cell_xml(str(text), width, heading_style, right[j], header=True)
            for j, text in enumerate(header)
        )
        body = [
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            + "".join(
                _cell_xml(_cell_text(value), width, text_style, right[j])
                for j, value in enumerate(row)
            )
            + "</w:tr>"
            for row in rows
        ]
        parsed = parse_xml(
            f"<w:tbl {nsdecls('w')}>"
            f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header_cells}</w:tr>"
            f"{''.join(body)}</w:tbl>"
        )
        table._tbl.extend(list(parsed))
        # A little space after the table, so that following text does not touch it.
        spacer = self.document.add_paragraph(style="Table Spacer")
        spacer.paragraph_format.keep_with_next = False
        return table

    @staticmethod
    def _table_look(table: Table) -> None:
        """Full width, horizontal rules only (easier to read than a grid), cell padding."""
        tbl_pr = table._tbl.tblPr
        width = OxmlElement("w:tblW")
        width.set(qn("w:type"), "pct")
        width.set(qn("w:w"), "5000")
        for old in tbl_pr.findall(qn("w:tblW")):
            tbl_pr.remove(old)
        tbl_pr.append(width)
        borders = OxmlElement("w:tblBorders")
        for edge, size in (("top", 8), ("bottom", 8), ("insideH", 4)):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), str(size))
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), RULE)
            borders.append(element)
        for edge in ("left", "right", "insideV"):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), "nil")
            borders.append(element)
        tbl_pr.append(borders)
        margins = OxmlElement("w:tblCellMar")
        for edge, twips in (("top", 40), ("bottom", 40), ("left", 100), ("right", 100)):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:w"), str(twips))
            element.set(qn("w:type"), "dxa")
            margins.append(element)
        tbl_pr.append(margins)

    # --- set-up -----------------------------------------------------------------------

    def _set_up_page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = PAGE_WIDTH
        section.page_height = PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
        section.header_distance = section.footer_distance = Cm(1.2)

    def _set_up_styles(self) -> None:
        styles = self.document.styles
        for style in styles:
            if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
                element = style.element
                rpr = element.get_or_add_rPr()
                if rpr.find(qn("w:rFonts")) is not None or style.name == "Normal":
                    _set_fonts(rpr, FONT)
        normal = styles["Normal"]
        assert isinstance(normal, ParagraphStyle)
        normal.font.name = FONT
        normal.font.size = Pt(11)
        normal.font.color.rgb = TEXT
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-GB")
        lang.set(qn("w:eastAsia"), "en-GB")
        normal.element.get_or_add_rPr().append(lang)

        for name, size, colour, before, after in (
            ("Heading 1", 16, ACCENT, 18, 6),
            ("Heading 2", 13, ACCENT, 14, 4),
            ("Heading 3", 11.5, TEXT, 12, 3),
        ):
            style = styles[name]
            assert isinstance(style, ParagraphStyle)
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = colour
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(after)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.line_spacing = 1.0

        title = styles["Title"]
        assert isinstance(title, ParagraphStyle)
        title_pr = title.element.pPr
        if title_pr is not None:  # the default template draws a rule under the title
            for border in title_pr.findall(qn("w:pBdr")):
                title_pr.remove(border)
        title.font.size = Pt(28)
        title.font.bold = True
        title.font.color.rgb = TEXT
        title.paragraph_format.space_after = Pt(12)
        title.paragraph_format.line_spacing = 1.05
        subtitle = styles["Subtitle"]
        assert isinstance(subtitle, ParagraphStyle)
        subtitle.font.size = Pt(16)
        subtitle.font.italic = False
        subtitle.font.color.rgb = MUTED
        subtitle.paragraph_format.space_after = Pt(6)

        caption = styles["Caption"]
        assert isinstance(caption, ParagraphStyle)
        caption.font.size = Pt(10)
        caption.font.bold = True
        caption.font.italic = False
        caption.font.color.rgb = TEXT
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.space_after = Pt(4)

        bullet = styles["List Bullet"]
        assert isinstance(bullet, ParagraphStyle)
        bullet.paragraph_format.space_after = Pt(3)

        for header_or_footer in ("Header", "Footer"):
            style = styles[header_or_footer]
            assert isinstance(style, ParagraphStyle)
            style.font.size = Pt(9)
            style.font.color.rgb = MUTED
            style.paragraph_format.space_after = Pt(0)
            # The template's tab stops suit US Letter; one right tab at the text's edge.
            style.paragraph_format.tab_stops.clear_all()
            style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

        self._new_style("Figure", space_before=6, space_after=0, keep_with_next=True)
        figure = styles["Figure"]
        assert isinstance(figure, ParagraphStyle)
        figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        figure.paragraph_format.line_spacing = 1.0
        self._new_style("Table Text", size=10, space_before=0, space_after=0)
        self._new_style("Table Heading", size=10, bold=True, space_before=0, space_after=0)
        self._new_style("Table Spacer", size=6, space_before=0, space_after=6)
        note = self._new_style("Note", size=10, space_before=6, space_after=10)
        note.paragraph_format.left_indent = Cm(0.3)
        note_pr = note.element.get_or_add_pPr()
        border = OxmlElement("w:pBdr")
        left = OxmlElement("w:left")
        left.set(qn("w:val"), "single")
        left.set(qn("w:sz"), "24")
        left.set(qn("w:space"), "8")
        left.set(qn("w:color"), "00437E")
        border.append(left)
        note_pr.append(border)
        _shade(note_pr, NOTE_FILL)

    def _new_style(
        self,
        name: str,
        *,
        size: float = 11,
        bold: bool = False,
        space_before: float = 0,
        space_after: float = 6,
        keep_with_next: bool = False,
    ) -> ParagraphStyle:
        style = self.document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = self.document.styles["Normal"]
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        style.paragraph_format.space_before = Pt(space_before)
        style.paragraph_format.space_after = Pt(space_after)
        style.paragraph_format.keep_with_next = keep_with_next
        if size < 11:
            style.paragraph_format.line_spacing = 1.0
        return style

    def _set_up_properties(self) -> None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        props = self.document.core_properties
        props.title = self.title
        props.subject = self.subtitle
        props.author = self.partnership
        props.last_modified_by = self.partnership
        props.comments = ""
        props.keywords = self.marking
        props.category = "Report"
        props.language = "en-GB"
        props.created = now
        props.modified = now
        props.revision = 1

    def _header_and_footer(self) -> None:
        """The marking in every header; "title … Page X of Y" in every footer but the cover's.

        The cover is the first section and the body the second (see ``_cover``), so the
        cover's footer can stay empty while page numbers still count the cover.
        """
        cover, body = self.document.sections[0], self.document.sections[1]
        body.header.is_linked_to_previous = False
        body.footer.is_linked_to_previous = False
        for header in (cover.header, body.header):
            paragraph = header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if self.marking:
                run = paragraph.add_run(self.marking)
                run.bold = True
                run.font.color.rgb = TEXT
        footer = body.footer.paragraphs[0]
        footer.add_run(self.title)
        footer.add_run("\tPage ")
        _add_field(footer, "PAGE", "2")
        footer.add_run(" of ")
        _add_field(footer, "NUMPAGES", "2")

    def _cover(self) -> None:
        document = self.document
        top = document.add_paragraph()
        top.paragraph_format.space_before = Cm(3)
        top.paragraph_format.space_after = Pt(30)
        run = top.add_run(self.partnership)
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = ACCENT
        document.add_paragraph(self.title, style="Title")
        if self.subtitle:
            document.add_paragraph(self.subtitle, style="Subtitle")
        when = document.add_paragraph()
        when.paragraph_format.space_before = Pt(24)
        date_run = when.add_run(_format_date(self.date))
        date_run.font.size = Pt(13)
        if self.marking:
            mark = document.add_paragraph()
            mark.paragraph_format.space_before = Cm(8)
            label = mark.add_run("Security marking: ")
            label.font.color.rgb = MUTED
            value = mark.add_run(self.marking)
            value.bold = True
        # A section break rather than a page break: the body starts cleanly at the top of
        # page 2, and the cover (section 1) can have a footer without a page number.
        document.add_section(WD_SECTION.NEW_PAGE)
