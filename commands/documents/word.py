"""python-docx building blocks both documents share: the page, fonts, text, blanks and tables.

python-docx has no API for East Asian fonts, repeated header rows, shading or page-number fields,
so those few elements are written as WordprocessingML here, each inserted in the position the
schema requires (Word refuses a file whose property elements are out of order).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from io import BytesIO

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from commands.documents.text import BLANK, clean
from commands.replies import Lang

# Fills a paragraph itself, for content richer than one text (a row of tick boxes).
Filler = Callable[[Paragraph], None]
Content = str | None | Filler

TEXT_WIDTH_MM = 160  # A4 (210 mm) less two 25 mm margins
BODY_PT, TABLE_PT = 12, 10.5  # 小四 and 五号, the usual sizes of a Chinese report
BLANK_FILL = "FFE699"  # the shade that marks a field to complete by hand
HEADER_FILL = "D9D9D9"
TABLE_STYLE, TABLE_STYLE_ID = "Table Text", "TableText"  # the paragraph style of table cells
_EMU_PER_TWIP = 635
# A narrow character at 10.5 pt is about half an em (1.85 mm in Times New Roman; bold DejaVu,
# LibreOffice's stand-in where Times is missing, needs 2.4), a CJK one a full em; the grid's
# cell margins add 2 x 108 twips (3.8 mm). A line wider than the cap wraps anyway.
_MM_PER_UNIT, _CELL_PADDING_MM, _CAP_UNITS = 2.4, 4.0, 48

_LATIN_FONT, _BODY_FONT, _HEADING_FONT = "Times New Roman", "宋体", "黑体"
_LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}
# Successors of w:shd in w:rPr and w:tcPr, and of w:tblHeader in w:trPr (ECMA-376 order).
_RPR_AFTER_SHD = (
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
_TCPR_AFTER_SHD = (
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
    "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip
_TRPR_AFTER_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def new_document(lang: Lang, *, title: str, author: str, created: datetime) -> Document:
    """An A4 document with Chinese-capable fonts, page numbers and honest core properties."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    _set_fonts(document, lang)
    _page_numbers(section.footer.paragraphs[0], lang)
    # The template's own properties say "python-docx" and 2013: replace every one a reader sees.
    props = document.core_properties
    props.title, props.author, props.last_modified_by = clean(title), clean(author), ""
    # python-docx writes the wall-clock time with a "Z", whatever the zone: hand it UTC.
    props.created = props.modified = created.astimezone(UTC)
    props.language, props.comments, props.keywords = _LANG_TAGS[lang], "", ""
    return document


def to_bytes(document: Document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write(
    paragraph: Paragraph,
    content: Content,
    lang: Lang,
    *,
    bold: bool = False,
    empty_is_blank: bool = True,
) -> None:
    """Append content as literal runs: text cleaned, None as a marked blank.

    Text with nothing visible is a blank too where a value is expected (a unit, a time), and
    stays empty where emptiness is an answer (`empty_is_blank=False`: a table cell, a heading).
    """
    if callable(content):
        content(paragraph)
    elif content is None or (empty_is_blank and not clean(content).strip()):
        add_blank(paragraph, lang)
    elif text := clean(content):
        paragraph.add_run(text).bold = bold or None


def add_blank(paragraph: Paragraph, lang: Lang) -> None:
    """The shaded 【待填写】 / [to be completed] marker."""
    run = paragraph.add_run(BLANK[lang])
    run.bold = True
    shd = _shading(BLANK_FILL)
    run._r.get_or_add_rPr().insert_element_before(shd, *_RPR_AFTER_SHD)


def line(document: Document, *parts: Content, lang: Lang, center: bool = False) -> Paragraph:
    """A paragraph of parts, e.g. ("报告单位：", provider) with a blank when provider is None."""
    paragraph = document.add_paragraph()
    for part in parts:
        write(paragraph, part, lang)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def heading(document: Document, text: str, level: int) -> Paragraph:
    return document.add_heading(clean(text), level)


def add_table(
    document: Document,
    columns: Sequence[str],
    rows: Sequence[Sequence[Content]],
    lang: Lang,
    *,
    empty: str,
    widths_mm: Sequence[float] | None = None,
    empty_is_blank: bool = False,
) -> Table:
    """A grid with a shaded header row repeated on every page; `empty` fills a table with no rows.

    A cell of None is a marked blank; an empty text is a blank only with `empty_is_blank`.
    Column widths are `widths_mm` when given, else shared out by content (`_column_widths`).

    The layout is fixed at the text width, so long text and unbroken strings (URLs, SHA-256
    digests) wrap inside their column instead of pushing the table off the page.
    """
    table = document.add_table(rows=0, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    # The grid first: each new row copies its widths, and Word reads them from the cells.
    widths = _twips(widths_mm or _column_widths(columns, rows))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.add_row()
    header._tr.get_or_add_trPr().insert_element_before(
        OxmlElement("w:tblHeader"), *_TRPR_AFTER_HEADER
    )
    for cell, title in zip(_cells(table, header), columns, strict=True):
        _cell_text(cell, title, lang, bold=True, empty_is_blank=False)
        cell._tc.get_or_add_tcPr().insert_element_before(_shading(HEADER_FILL), *_TCPR_AFTER_SHD)
    for values in rows:
        for cell, value in zip(_cells(table, table.add_row()), values, strict=True):
            _cell_text(cell, value, lang, empty_is_blank=empty_is_blank)
    if not rows:  # one cell across the row saying so; merging adds up the widths
        cells = _cells(table, table.add_row())
        merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
        _cell_text(merged, empty, lang, empty_is_blank=False)
    return table


def _cells(table: Table, row: _Row) -> list[_Cell]:
    """The row's cells. python-docx's `row.cells` walks the whole table each time, which made
    a 3,000-row report take seconds; a new row's cells are simply its w:tc children."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _cell_text(
    cell: _Cell, content: Content, lang: Lang, *, bold: bool = False, empty_is_blank: bool
) -> None:
    paragraph = cell.paragraphs[0]
    # By id: python-docx resolves a style given by name with a search of every style, per cell.
    paragraph._p.style = TABLE_STYLE_ID
    write(paragraph, content, lang, bold=bold, empty_is_blank=empty_is_blank)


def _column_widths(columns: Sequence[str], rows: Sequence[Sequence[Content]]) -> list[float]:
    """Widths in mm: each column wide enough not to break its words, the rest of the text width
    shared in proportion to how much more each column's longest line would like."""
    floors, wishes = [], []
    for index, title in enumerate(columns):
        texts = [text for row in rows if isinstance(text := row[index], str)]
        lines = [part for text in [title, *texts] for part in clean(text).split("\n")]
        longest = max(_display_width(part) for part in lines)
        words = [_unbreakable(token, 20) for token in clean(title).split()]
        words += [_unbreakable(token, 12) for text in texts for token in clean(text).split()]
        floors.append(_mm(max(words, default=0)))
        wishes.append(max(_mm(min(longest, _CAP_UNITS)), floors[-1]))
    if sum(floors) >= TEXT_WIDTH_MM:  # too many columns for their words: shrink them alike
        return [TEXT_WIDTH_MM * f / sum(floors) for f in floors]
    if sum(wishes) <= TEXT_WIDTH_MM:  # everything fits: widen in proportion to fill the page
        return [TEXT_WIDTH_MM * w / sum(wishes) for w in wishes]
    spare = TEXT_WIDTH_MM - sum(floors)
    extra = [w - f for w, f in zip(wishes, floors, strict=True)]
    return [f + spare * e / sum(extra) for f, e in zip(floors, extra, strict=True)]


def _unbreakable(token: str, limit: int) -> int:
    """The width a token should keep on one line: a Latin word or date up to `limit` ("Resul-t",
    "2026-11-2-0" read badly), a Chinese run only 4 characters (Chinese breaks anywhere)."""
    width = _display_width(token)
    if width > len(token):  # holds wide characters
        return min(width, 8)
    return width if width <= limit else 0


def _mm(units: int) -> float:
    """The width in mm of text `units` narrow characters wide, at TABLE_PT, with cell margins."""
    return units * _MM_PER_UNIT + _CELL_PADDING_MM


def _display_width(text: str) -> int:
    """Columns the text needs: CJK and other wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _twips(widths_mm: Sequence[float]) -> list[Twips]:
    """Whole twips rounded down, so the columns never add up to more than the text width."""
    return [Twips(int(Mm(width)) // _EMU_PER_TWIP) for width in widths_mm]


def _set_fonts(document: Document, lang: Lang) -> None:
    """Explicit Latin and East Asian fonts (the template's theme fonts have no Chinese face)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, _BODY_FONT)
    rpr.find(qn("w:lang")).set(qn("w:val"), _LANG_TAGS[lang])
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    document.styles["Normal"].font.size = Pt(BODY_PT)
    for name, size in (("Title", 18), ("Heading 1", 15), ("Heading 2", 13)):
        style = document.styles[name]
        _fonts(style.element.get_or_add_rPr(), _HEADING_FONT)
        style.font.size, style.font.color.rgb = Pt(size), RGBColor(0, 0, 0)
        border = style.element.pPr.find(qn("w:pBdr"))
        if border is not None:  # the template's blue rule under the title
            style.element.pPr.remove(border)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell_text = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell_text.style_id = TABLE_STYLE_ID
    cell_text.base_style = document.styles["Normal"]
    cell_text.font.size = Pt(TABLE_PT)
    cell_text.paragraph_format.space_after, cell_text.paragraph_format.line_spacing = Pt(0), 1.0


def _fonts(rpr: CT_RPr, east_asian: str) -> None:
    rfonts = rpr.get_or_add_rFonts()
    for attribute in list(rfonts.attrib):
        del rfonts.attrib[attribute]
    for key, value in (("ascii", _LATIN_FONT), ("hAnsi", _LATIN_FONT), ("cs", _LATIN_FONT)):
        rfonts.set(qn(f"w:{key}"), value)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _page_numbers(paragraph: Paragraph, lang: Lang) -> None:
    """第 X 页 共 Y 页 / Page X of Y, as fields Word and LibreOffice fill in when they lay out."""
    words = ("第 ", " 页，共 ", " 页") if lang == "zh" else ("Page ", " of ", "")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(words[0])
    paragraph._p.append(_field("PAGE"))
    paragraph.add_run(words[1])
    paragraph._p.append(_field("NUMPAGES"))
    if words[2]:
        paragraph.add_run(words[2])


def _field(instruction: str) -> object:
    field = OxmlElement("w:fldSimple", {qn("w:instr"): f" {instruction} "})
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"  # shown until the reader's application updates the field
    run.append(text)
    field.append(run)
    return field


def _shading(fill: str) -> object:
    return OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
