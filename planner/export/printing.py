"""How every sheet of every workbook prints: one place for page setup, column widths and wrapping.

Sheets print on letter paper, landscape, one page wide and as many pages tall as they need, with
the header rows repeated and the page number in the footer. Body text is 11 pt; fitting a sheet to
the page width scales it down, so the columns are kept narrow enough (long text wraps instead)
that the scale stays at MIN_SCALE or above. A sheet that cannot be that narrow (the Plan's
16 columns, the coverage matrix) prints across pages at ACROSS_SCALE instead, its key columns
repeated on every page. A section's heading never ends a page without its table: where pages
end is estimated, and such a heading starts the next one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

# Letter landscape: 11 in less two 0.5 in margins, in Excel's pixels (96 per inch) at 100 %.
PRINTABLE_PX = 10 * 96
MIN_SCALE = 0.8  # 11-point text prints at 8.8 pt or more
# LibreOffice draws a column about 15 % wider than Excel's 7 pixels a character (measured with
# Carlito, Calibri's metric twin), so the budget leaves room for it.
SPREADSHEET_SLACK = 1.15
BUDGET_PX = int(PRINTABLE_PX / MIN_SCALE / SPREADSHEET_SLACK)
ACROSS_SCALE = 90
ACROSS_WIDTH = 30  # characters: the widest a text column gets on a sheet printed across pages
DEFAULT_WIDTH = 8.43  # Excel's width of a column never sized
NARROWEST_WRAPPED = 12  # characters: a wrapped text column is never squeezed below this
POINTS_PER_LINE = 15  # one line of 11-point text, and a row's height unless set
PAGE_POINTS = (8.5 - 2 * 0.6) * 72  # letter landscape less the top and bottom margins (set_up_page)
KEPT_ROWS = 2  # a heading keeps the two rows below it (a table's header and first row) on its page
# Column widths count digits; letters, accents and capitals run wider in print, so a line holds
# fewer of them than the width says (LibreOffice wrapped "Resolución de problemas", 23 letters,
# in a column 21 digits wide at 9 pt, where 25 were counted).
GLYPH_FACTOR = 0.85
LARGEST_POINTS = 14  # the largest text of any workbook (styles.TITLE); tests/test_export.py checks it


def set_up_page(ws: Worksheet, title_rows: str | None = None, pages_wide: int = 1) -> None:
    """Letter landscape, `pages_wide` pages wide and as tall as needed, margins, repeated header rows."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.right.text = "&P / &N"
    ws.oddHeader.left.text = "&A"  # the sheet's name, so a loose page says where it belongs


def width_of(ws: Worksheet, column: int) -> float:
    letter = get_column_letter(column)
    width = ws.column_dimensions[letter].width if letter in ws.column_dimensions else None
    return width or DEFAULT_WIDTH


def pixels(width: float) -> int:
    """A column width in characters as Excel draws it (7 pixels a character plus padding)."""
    return int(width * 7 + 5)


def fit_columns(ws: Worksheet, budget: int = BUDGET_PX) -> bool:
    """Cap the widest columns at one width (their text wraps) so the sheet fits `budget` pixels,
    never below NARROWEST_WRAPPED characters; False when even that is too wide (then the widest
    are capped at ACROSS_WIDTH, for printing across pages)."""
    widths = {c: width_of(ws, c) for c in range(1, ws.max_column + 1)}

    def total(cap: float) -> int:
        return sum(pixels(min(w, cap)) for w in widths.values())

    cap = max(widths.values(), default=0)
    while cap > NARROWEST_WRAPPED and total(cap) > budget:
        cap -= 1
    fits = total(cap) <= budget
    if not fits:
        cap = ACROSS_WIDTH
    narrowed = {column for column, width in widths.items() if width > cap}
    for column in narrowed:
        ws.column_dimensions[get_column_letter(column)].width = cap
    for cells in cells_by_row(ws).values():
        for cell in cells:
            if cell.column in narrowed and isinstance(cell.value, str):
                cell.alignment = _wrapped(cell.alignment)
    return fits


def fit_rows(ws: Worksheet) -> None:
    """Text longer than its column wraps, rather than being cut by the next cell in print; rows
    whose wrapped text needs more than one line get the height for it (spreadsheet programs do not
    all grow rows on opening a file), their cells starting at the top, level with the wrapped text.
    One pass over the cells: a campus workbook has thousands, each style read costs a lookup."""
    merged = {r.min_row for r in ws.merged_cells.ranges}
    widths = {c: width_of(ws, c) for c in range(1, ws.max_column + 1)}
    # Text this short takes one line in any font of the workbooks, wrapped or not: no style to read.
    short = {c: chars_per_line(w - 2, LARGEST_POINTS, bold=True) for c, w in widths.items()}
    for number, row in cells_by_row(ws).items():
        if number in merged:
            continue
        lines = 1.0
        for cell in row:
            text = cell.value
            if isinstance(text, str) and (len(text) > short[cell.column] or "\n" in text):
                lines = max(lines, _lines_of(cell, widths[cell.column]))
        height = ws.row_dimensions[number].height
        if lines > 1 and (height is None or height < lines * POINTS_PER_LINE):
            ws.row_dimensions[number].height = math.ceil(lines * POINTS_PER_LINE) + 1
            for cell in row:
                alignment = cell.alignment
                if cell.value is not None and not alignment.text_rotation and alignment.vertical != "top":
                    cell.alignment = replace_alignment(alignment, vertical="top")


def _lines_of(cell: Cell, width: float) -> float:
    """The lines a text cell takes in 11-point lines, wrapping it first if it overflows its column."""
    alignment, font = cell.alignment, cell.font
    if alignment.text_rotation:
        return 1.0
    size = font.sz or 11
    text = str(cell.value)
    if not alignment.wrap_text:
        if len(text) * (1.1 if font.b else 1.0) * size / 11 <= width - 1:  # bold letters are wider
            return 1.0
        cell.alignment = _wrapped(alignment)
    return line_count(text, chars_per_line(width - 2, size, bool(font.b))) * size / 11


def chars_per_line(width: float, size: float, bold: bool = False) -> int:
    """How many letters of `size`-point text a line `width` characters wide holds, counted
    generously (GLYPH_FACTOR; bold letters are wider still)."""
    return max(1, int(width * GLYPH_FACTOR * 11 / size / (1.15 if bold else 1.0)))


def line_count(text: str, per_line: int) -> int:
    """Lines a text wraps to, breaking between words as spreadsheet programs do."""
    count = 0
    for paragraph in text.splitlines() or [""]:
        count += 1
        used = 0
        for word in paragraph.split():
            length = len(word)
            if used and used + 1 + length > per_line:
                count += 1
                used = 0
            used = used + (1 if used else 0) + length
            while used > per_line:  # a word longer than the line breaks inside it
                count += 1
                used -= per_line
    return count


def wrap_lines(ws: Worksheet, last_column: int | None = None) -> None:
    """Titles, notes and sentences written alone in column A span the printed width and wrap,
    so no sentence runs past the last column and is cut off in print."""
    last_column = max(last_column or ws.max_column, 1)
    merged = {r.min_row for r in ws.merged_cells.ranges}
    span = sum(width_of(ws, c) for c in range(1, last_column + 1))
    for row, cells in cells_by_row(ws).items():
        cell = cells[0]
        if cell.column != 1 or not isinstance(cell.value, str) or row in merged or _has_neighbours(cells):
            continue
        size = cell.font.sz or 11
        lines = line_count(cell.value, max(1, chars_per_line(span, size, bool(cell.font.b)) - 2))
        if last_column > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        cell.alignment = _wrapped(cell.alignment)
        if lines > 1:
            ws.row_dimensions[row].height = lines * POINTS_PER_LINE * size / 11 + 2


def header_on_every_page(ws: Worksheet, row: int) -> None:
    """A sheet holding one long table (a rollout's campuses, a comparison's modules) prints its
    header row atop every page and keeps it in view on screen. Not on a sheet with a chart or a
    second table below: the header would print over them too."""
    ws.print_title_rows = f"{row}:{row}"
    ws.freeze_panes = f"A{row + 1}"


def chart_page(ws: Worksheet, row: int) -> None:
    """Charts start a new printed page, so none is cut across two."""
    if row > 1:
        ws.row_breaks.append(Break(id=row - 1))


def print_ready(ws: Worksheet, key_columns: str | None = None) -> None:
    """Page setup, columns narrowed to print at 8 pt or more, and free-standing lines wrapped.

    A sheet still too wide prints across pages at ACROSS_SCALE, left to right then down,
    repeating its `key_columns` ("A:C": the ids a reader follows a row by; by default the first
    column, which names each row of every table here) on each page, so no page is anonymous rows.
    """
    set_up_page(ws)
    fits = fit_columns(ws)
    wrap_lines(ws, None if fits else _note_columns(key_columns))
    fit_rows(ws)
    if not fits:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = ACROSS_SCALE
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = key_columns or "A:A"
    keep_headings_with_what_follows(ws)


def keep_headings_with_what_follows(ws: Worksheet) -> None:
    """A heading printed at the foot of a page, its table on the next, reads as a stray line: such a
    heading starts the next page instead. Where pages end is estimated for both programs: the sheet
    scaled to the page width by its columns' pixels (Excel's, and LibreOffice's slightly wider
    ones), rows 15 points unless set, repeated header rows on every page; a heading stranded by
    either estimate moves."""
    rooms = [PAGE_POINTS * 100 / _print_percent(ws, px) - _title_rows_points(ws) for px in (pixels, _office_pixels)]
    breaks = {b.id for b in ws.row_breaks.brk}
    rows = cells_by_row(ws)
    headings = {n for n, cells in rows.items() if _is_heading(cells) and n + 1 in rows}
    used = [0.0, 0.0]
    for row in range(1, ws.max_row + 1):
        height = _points(ws, row)
        if row in headings:
            kept = sum(_points(ws, r) for r in range(row, row + 1 + KEPT_ROWS))
            if any(u > 0 and u + kept > room for u, room in zip(used, rooms, strict=True)):
                ws.row_breaks.append(Break(id=row - 1))
                used = [0.0, 0.0]
        used = [height if u + height > room else u + height for u, room in zip(used, rooms, strict=True)]
        if row in breaks:
            used = [0.0, 0.0]


def _print_percent(ws: Worksheet, px: Callable[[float], float]) -> float:
    if not ws.sheet_properties.pageSetUpPr.fitToPage:
        return float(ws.page_setup.scale or 100)
    total = sum(px(width_of(ws, c)) for c in range(1, ws.max_column + 1))
    return min(100.0, 100 * PRINTABLE_PX / max(total, 1))


def _office_pixels(width: float) -> float:
    """A column as LibreOffice draws it: fitted to the print scales it chose for two Summary and
    Scenario sheets (0.927 and 0.900, from the printed size of 11-point text)."""
    return width * 7.32 + 1.9


def _points(ws: Worksheet, row: int) -> float:
    """A row's height in print. Read with `get`: indexing row_dimensions creates an entry, which
    the file then holds as an empty row."""
    dimension = ws.row_dimensions.get(row)
    return (dimension.height if dimension is not None else None) or POINTS_PER_LINE


def _title_rows_points(ws: Worksheet) -> float:
    """The height of the header rows repeated atop every page ("$1:$1")."""
    if not ws.print_title_rows:
        return 0.0
    first, last = (int(part.strip("$")) for part in ws.print_title_rows.split(":"))
    return sum(_points(ws, r) for r in range(first, last + 1))


def _is_heading(cells: list[Cell]) -> bool:
    """A bold text alone in column A: a title or a section's heading."""
    filled = [c for c in cells if c.value is not None]
    return len(filled) == 1 and filled[0].column == 1 and isinstance(filled[0].value, str) and bool(filled[0].font.b)


def _note_columns(key_columns: str | None) -> int:
    """The columns a line alone in column A spans on a sheet printed across pages: the key columns,
    which every page repeats, so the line prints whole on each; only column A when the key columns
    start further right. A line spanning more printed its start again beside the keys of every
    other page, cut off where the keys end."""
    first, _colon, last = (key_columns or "A:A").partition(":")
    if first != "A":
        return 1
    return column_index_from_string(last or first)


def cells_by_row(ws: Worksheet) -> dict[int, list[Cell]]:
    """The sheet's cells that exist, row by row, left to right. openpyxl's iter_rows would create
    every empty cell of the sheet's rectangle (7,000 on a campus's sparse coverage matrix), each
    then read here and passed over again when the file is saved."""
    rows: dict[int, list[Cell]] = {}
    for (row, _column), cell in sorted(ws._cells.items()):  # openpyxl has no public view of only these
        rows.setdefault(row, []).append(cell)
    return rows


def _has_neighbours(row: list[Cell]) -> bool:
    """Whether a row holds more than its first cell: a table row, not a line alone."""
    return any(cell.value is not None for cell in row[1:])


def _wrapped(alignment: Alignment) -> Alignment:
    return replace_alignment(alignment, wrap_text=True, vertical=alignment.vertical or "top")


def replace_alignment(alignment: Alignment, **changes: object) -> Alignment:
    """`alignment` with `changes`; one shared object per outcome (a workbook holds a few alignments
    over thousands of cells, and openpyxl looks up each one it is given)."""
    values = {
        "horizontal": alignment.horizontal,
        "vertical": alignment.vertical,
        "wrap_text": alignment.wrap_text,
        "text_rotation": alignment.text_rotation,
        "indent": alignment.indent,
        "shrink_to_fit": alignment.shrink_to_fit,
    }
    values.update(changes)
    return _alignment(tuple(values.items()))


@lru_cache(maxsize=256)
def _alignment(values: tuple[tuple[str, object], ...]) -> Alignment:
    return Alignment(**dict(values))  # type: ignore[arg-type]
