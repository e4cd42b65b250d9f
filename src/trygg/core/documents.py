"""Files people print and share: Excel and CSV tables, and PDFs typeset with Typst.

Shared by every app's exports, so a defence such as formula neutralising lives in one place.
"""

import datetime as dt
import functools
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import typst
from fontTools.ttLib import TTFont
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMATS = ("xlsx", "csv")
# Where a spreadsheet could start a cell: the start of the value or after any separator it might split on (a reader
# may choose comma, semicolon, tab or a line break), then blanks it might trim, then a character starting a formula.
CELL_STARTS = re.compile(r"(?:^|(?<=[,;\t\r\n]))[^\S\t\r\n]*(?=[=+\-@\t\r])")


PACKAGE_DIR = Path(__file__).resolve().parent.parent
FONT_DIR = Path(__file__).resolve().parent / "fonts"  # see SOURCE.md there
REPLACEMENT = "\ufffd"  # what a PDF shows for a character that no font has


def neutralise(value):
    """Quote text that Excel or LibreOffice would run as a formula (OWASP's advice against CSV injection).

    A quote goes before every formula character that could start a cell, also after blanks and inside the text
    where a reader could split it into cells of its own, so no way of opening the file runs a formula.
    """
    if isinstance(value, str):
        return CELL_STARTS.sub(lambda start: start.group() + "'", value)
    return value


@dataclass
class Sheet:
    """One table of an export: a worksheet in Excel; in CSV, each app lays its sheets out as its readers expect."""

    title: str
    header: list[str]
    rows: list[list]
    preamble: list[list] = field(default_factory=list)  # lines above the table saying what it is about
    total: list | None = None


def _append(worksheet, values: list, bold: bool = False) -> None:
    worksheet.append([neutralise(value) for value in values])
    if bold:
        for cell in worksheet[worksheet.max_row]:
            cell.font = Font(bold=True)


def _xlsx_sheet(workbook: Workbook, sheet: Sheet) -> None:
    worksheet = workbook.create_sheet(sheet.title[:31])
    for line in sheet.preamble:
        _append(worksheet, line)
        worksheet.cell(worksheet.max_row, 1).font = Font(bold=True)
    if sheet.preamble:
        worksheet.append([])
    _append(worksheet, sheet.header, bold=True)
    header_row = worksheet.max_row
    for row in sheet.rows:
        _append(worksheet, row)
    last_column = get_column_letter(len(sheet.header))
    worksheet.auto_filter.ref = f"A{header_row}:{last_column}{worksheet.max_row}"
    if sheet.total:
        _append(worksheet, sheet.total, bold=True)
    worksheet.freeze_panes = worksheet.cell(header_row + 1, 1)
    _format_cells(worksheet, header_row)


def _format_cells(worksheet, header_row: int) -> None:
    """Amounts with two decimals, ISO dates, wrapped long text, and columns as wide as their contents."""
    widths = {}
    for row in worksheet.iter_rows(min_row=header_row):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[cell.column_letter] = max(widths.get(cell.column_letter, 0), len(str(cell.value or "")))
    for letter, width in widths.items():
        worksheet.column_dimensions[letter].width = min(max(width, 8) + 2, 60)


def to_xlsx(title: str, sheets: list[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "Trygg"
    for sheet in sheets:
        _xlsx_sheet(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_value(value) -> str:
    """A cell as Norwegian Excel reads it: decimal commas, ISO dates, formulas neutralised."""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(neutralise(value))


def _csv_field(value) -> str:
    """Text in quotes, so no separator or line break inside it starts a cell of its own; numbers and dates bare."""
    if value is None or isinstance(value, int | float | Decimal | dt.date):
        return csv_value(value)
    return '"' + csv_value(value).replace('"', '""') + '"'


def csv_line(line: list) -> str:
    """One line of a CSV file as ``write_csv`` writes it, for files too large to hold at once."""
    return ";".join(_csv_field(value) for value in line) + "\r\n"


def write_csv(lines: list[list]) -> bytes:
    """UTF-8 with a BOM and semicolons, as Norwegian Excel opens a CSV file."""
    return ("\ufeff" + "".join(map(csv_line, lines))).encode("utf-8")


@functools.cache
def _covered() -> frozenset[int]:
    """Every character that one of the shipped fonts draws (Typst's own Libertinus draws a subset of these)."""
    characters = set()
    for path in FONT_DIR.glob("*.ttf"):
        characters.update(TTFont(path, lazy=True).getBestCmap())
    return frozenset(characters)


# Characters Typst lays out without a glyph: spaces, and the invisible controls of direction, joining, tagging and
# variation (Unicode's default ignorables it knows).
INVISIBLE_BIDI = {"BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
VARIATION_SELECTORS = (range(0x180B, 0x1810), range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


def _printable(character: str) -> str:
    category = unicodedata.category(character)
    if character == "\n":
        return character
    if character == "\t":
        return " "
    if character == "\ufeff":  # as a byte order mark, PDF/A refuses it in text; the word joiner does its job
        return "\u2060"
    if category in ("Cc", "Co", "Cs", "Cn"):  # control, private, surrogate, unassigned: nothing to draw
        return REPLACEMENT
    code = ord(character)
    if (
        code in _covered()
        or category.startswith("Z")
        or unicodedata.bidirectional(character) in INVISIBLE_BIDI
        or character == "\u061c"  # the Arabic letter mark
        or any(code in selectors for selectors in VARIATION_SELECTORS)
    ):
        return character
    return REPLACEMENT


def printable(value):
    """``value`` with every character that no shipped font draws replaced by U+FFFD, in strings nested anywhere.

    PDF/A refuses a document with a glyph missing, so one emoji or control character in one name would otherwise
    stop the whole PDF; the replacement shows the reader that something is there. Line ends become "\\n".
    """
    if isinstance(value, str):
        return "".join(map(_printable, value.replace("\r\n", "\n").replace("\r", "\n")))
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable(item) for item in value]
    return value


class TypesetError(Exception):
    """Typst refused a document; the message is Typst's reason."""


def typeset(template_dir: Path, template: str, data: dict) -> bytes:
    """Typeset a template as PDF/A-2a and PDF/UA-1: fit for the public archive and tagged for screen readers.

    Data goes in as JSON (never as markup, so nothing a user typed can inject Typst code), with what no font draws
    replaced (``printable``). Only Typst's bundled fonts and those shipped in ``fonts/`` are used, never the
    server's, so the PDF is the same on every server. ``root`` confines file access to Trygg's package, so
    templates share the house style with ``#import "/core/typst/common.typ"``.
    """
    try:
        return typst.compile(
            str(template_dir / template),
            root=str(PACKAGE_DIR),
            font_paths=[str(FONT_DIR)],
            sys_inputs={"data": json.dumps(printable(data))},
            ignore_system_fonts=True,
            pdf_standards=["a-2a", "ua-1"],
        )
    except typst.TypstError as error:
        raise TypesetError(str(error)) from error
