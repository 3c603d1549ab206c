"""Bytes into text and text into rows of cells (CSV), and how cell text is shown in messages."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable

from planner.errors import Issue
from planner.i18n import _
from planner.loaders.clock import ROWS_BETWEEN_CHECKS, check_time

MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell
# The csv module refuses cells above 131,072 characters with its own words; files are already
# bounded by their size, and a cell longer than a spreadsheet cell is named with its row and column.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 2**20))


def csv_lines(text: str, label: str, issues: list[Issue]) -> list[list[str]] | None:
    """The rows of cells of a CSV text, each record one spreadsheet row (a quoted cell may span lines).

    Where ',' is the decimal mark, Excel saves "CSV" with ';' between cells: a header row with ';'
    and no ',' is read that way, so such a file needs no conversion.
    """
    header = text.split("\n", 1)[0]
    delimiter = ";" if ";" in header and "," not in header else ","
    lines: list[list[str]] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            lines.append(cells)
            if len(lines) % ROWS_BETWEEN_CHECKS == 0:
                check_time(label)
    except csv.Error as exc:
        # The record being read is the one at fault: for a quote never closed, the row it opens in.
        issues.append(
            Issue(label, _("this is not a well-formed CSV file: {exc}.", exc=_csv_problem(exc)), row=len(lines) + 1)
        )
        return None
    _overlong_rows(lines, label, issues)
    return lines


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return _('a quote (") opens a cell in this row and is never closed')
    if "expected after" in text:
        return _('text follows the closing quote of a cell; a quote inside a quoted cell is written twice ("")')
    if "NUL" in text:
        return _("it holds a NUL byte, so it is not a text file")
    return text


def _overlong_rows(lines: list[list[str]], label: str, issues: list[Issue]) -> None:
    """A row with more cells than the header has columns: a stray separator shifted its cells."""
    width = len(lines[0]) if lines else 0
    for number, cells in enumerate(lines[1:], start=2):
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            issues.append(
                Issue(
                    label,
                    _(
                        "this row has {count} cells, but the header row has {width} columns (an unquoted "
                        "separator inside a cell?).",
                        count=len(cells),
                        width=width,
                    ),
                    row=number,
                )
            )
            lines[number - 1] = cells[:width]


def decode(data: bytes, label: str, issues: list[Issue]) -> str | None:
    """The file as text; UTF-8 only, and a file in another encoding is named with the row and column at fault."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        issues.append(Issue(label, _("the file is UTF-16 text (Excel's 'Unicode Text'); save it as 'CSV UTF-8'.")))
        return None
    if _looks_utf16(data):
        issues.append(Issue(label, _("the file is UTF-16 text without a byte-order mark; save it as 'CSV UTF-8'.")))
        return None
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark that is not part of the header
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row, column = _position(data, exc.start)
        byte = data[exc.start : exc.start + 1]
        issues.append(
            Issue(
                label,
                _(
                    "the file is not UTF-8 text: byte 0x{value} cannot be read (in Windows-1252, what Excel "
                    "calls ANSI, it is '{value2}'); save the file as 'CSV UTF-8'.",
                    value=byte.hex().upper(),
                    value2=escaped(byte.decode("cp1252", errors="replace")),
                ),
                row=row,
                column=column,
            )
        )
        return None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: mostly Latin text, so every other byte is a NUL (which
    UTF-8 would accept as text and garble the column names with)."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return False
    nuls = sorted((sample[0::2].count(0), sample[1::2].count(0)))
    return nuls[1] > half * 0.4 and nuls[0] < half * 0.1


def _position(data: bytes, offset: int) -> tuple[int, str | None]:
    """The spreadsheet row and column (header name) of the cell that holds byte `offset`."""
    before = data[:offset].decode("utf-8-sig", errors="replace")
    header = before.split("\n", 1)[0]
    delimiter = ";" if ";" in header and "," not in header else ","
    try:
        # A sentinel character keeps the partial record (the one holding the byte) in the result.
        records = list(csv.reader(io.StringIO(before + "x", newline=""), delimiter=delimiter))
    except csv.Error:
        return before.count("\n") + 1, None
    index = len(records[-1]) - 1
    names = records[0] if len(records) > 1 else []
    return len(records), (names[index] if index < len(names) and names[index] else None)


def near(name: str, available: Iterable[str]) -> str:
    """A hint when the wanted name exists with other capitals or spaces, the commonest slip."""
    for other in available:
        if other != name and visible(other).strip().casefold() == name.casefold():
            return _(" (there is '{other}'; rename it to '{name}')", other=escaped(other), name=name)
    return ""


def invisible(character: str) -> bool:
    """Characters a reader cannot see or tell from a space: controls, format characters (zero-width
    space, byte-order mark, soft hyphen), line separators and spaces other than the plain one."""
    category = unicodedata.category(character)
    return category in ("Cc", "Cf", "Zl", "Zp") or (category == "Zs" and character != " ")


def visible(value: str) -> str:
    return "".join(c for c in value if not invisible(c))


def escaped(value: str) -> str:
    """The text with each invisible character written as a Python escape (DOC\\u200b-01), so a message shows it."""
    return "".join(f"\\u{ord(c):04x}" if invisible(c) else c for c in value)


def clip(value: str, limit: int = 40) -> str:
    """A cell's text for a message: invisible characters shown escaped, a runaway cell cut short."""
    value = escaped(value)
    return value if len(value) <= limit else value[: limit - 3] + "..."
