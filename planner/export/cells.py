"""Low-level writing helpers: every cell, table and chart of the workbook goes through here.

`put` is the one door for values, so catalog text can never become a formula.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from planner.export import styles
from planner.i18n import _


def put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None) -> None:
    """Write one value; strings are always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        # Control characters make the file unreadable; openpyxl would refuse them anyway.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # A catalog name such as "=SUM(A1)" or "@x" must read as typed, not run as a formula.
        cell.data_type = "s"
    elif number_format == styles.PER_WEEK and isinstance(value, float) and value.is_integer():
        cell.value = int(value)  # whole hours print as 4, not 4.0
        number_format = styles.HOURS
    else:
        cell.value = value
    if number_format == styles.PERCENT:
        # TRANSLATORS: the number format of a whole percentage ("86%"; Spanish writes "86 %").
        number_format = _("0%")
    if number_format is not None:
        cell.number_format = number_format


def write_line(ws: Worksheet, row: int, text: str, font: Font = styles.NOTE, column: int = 1) -> int:
    """A title, heading or note on its own row; returns the next row."""
    write_row(ws, row, column, (text,), font)
    return row + 1


def write_row(ws: Worksheet, row: int, left: int, values: Sequence[Any], font: Font) -> None:
    """A free-standing row of values outside any table, such as a totals line."""
    for offset, value in enumerate(values):
        put(ws, row, left + offset, value)
        ws.cell(row=row, column=left + offset).font = font


def write_table(
    ws: Worksheet,
    top: int,
    left: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    name: str,
    formats: Mapping[str, str] | None = None,
    none_text: str | None = None,
    align: Mapping[str, Alignment] | None = None,
) -> int:
    """Write a header row and data rows as a filterable Excel table; return the next free row.

    With no rows there is no table (Excel rejects empty ones): the header row stays, followed by
    `none_text`. `formats` and `align` map a header to the number format and the alignment of
    its column.
    """
    headers = unique_headers(headers)
    formats = formats or {}
    align = align or {}
    widths = [_header_length(header) + styles.FILTER_BUTTON for header in headers]
    numeric: list[bool] = []
    for offset, header in enumerate(headers):
        put(ws, top, left + offset, header)
        cell = ws.cell(row=top, column=left + offset)
        cell.font = styles.HEADER
        alignment = _header_alignment([row[offset] for row in rows], align.get(header))
        cell.alignment = alignment
        numeric.append(alignment is styles.RIGHT)
    spaced = _after_numbers(headers, numeric, align)
    for offset, header in enumerate(headers):
        if header in spaced:
            ws.cell(row=top, column=left + offset).alignment = styles.HEADER_AFTER_NUMBER
            widths[offset] += 1  # the indent
    for r, values in enumerate(rows, start=top + 1):
        for offset, (header, value) in enumerate(zip(headers, values, strict=True)):
            if value is None and header not in align:
                continue  # an empty cell need not exist: sparse tables (the coverage matrix) stay fast
            put(ws, r, left + offset, value, formats.get(header))
            if header in align:
                ws.cell(row=r, column=left + offset).alignment = align[header]
            elif header in spaced:
                ws.cell(row=r, column=left + offset).alignment = styles.AFTER_NUMBER
            widths[offset] = max(widths[offset], _display_length(value, formats.get(header)))
    for offset, width in enumerate(widths):  # once per column: the widest cell sets its width
        _widen(ws, left + offset, width)
    if not rows:
        return write_line(ws, top + 1, none_text, column=left) if none_text else top + 1
    ref = f"{cell_name(top, left)}:{cell_name(top + len(rows), left + len(headers) - 1)}"
    table = Table(displayName=name, ref=ref, autoFilter=AutoFilter(ref=ref))
    table.tableStyleInfo = TableStyleInfo(name=styles.TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)
    return top + len(rows) + 1


def _after_numbers(headers: Sequence[str], numeric: Sequence[bool], align: Mapping[str, Alignment]) -> set[str]:
    """The text columns that stand right after a column of numbers (and have no alignment of their own)."""
    return {
        header
        for offset, header in enumerate(headers)
        if offset and numeric[offset - 1] and not numeric[offset] and header not in align
    }


def _header_alignment(values: Sequence[Any], own: Alignment | None) -> Alignment:
    """A header sits over its numbers: right over a column of numbers, centred over centred values."""
    if own is not None and own.horizontal == "center":
        return styles.CENTER_WRAP
    if own is not None and own.horizontal == "left":
        return styles.HEADER_WRAP
    numbers = [v for v in values if v is not None]
    if numbers and all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
        return styles.RIGHT
    return styles.HEADER_WRAP


def _header_length(header: str) -> int:
    """Headers wrap between words: a long one needs only its longest word, or a short line."""
    longest = max((len(word) for word in header.split()), default=0)
    return min(len(header), max(longest, 8))


# Excel refuses table column names longer than this (a file with one needs repairing).
LONGEST_HEADER = 255


def unique_headers(headers: Sequence[str]) -> list[str]:
    """Table column names must be unique (ignoring case), on one line and at most 255 characters,
    or Excel repairs the file."""
    seen: set[str] = set()
    out = []
    for header in headers:
        base = " ".join(str(header).split())[: LONGEST_HEADER - 6] or "Column"  # room for " (99)"
        candidate, n = base, 1
        while candidate.casefold() in seen:
            n += 1
            candidate = f"{base} ({n})"
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def cell_name(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


def flag_no(ws: Worksheet, first_row: int, last_row: int, column: int, no: str) -> None:
    """Colour the `no` cells of a yes/no column, so unmet goals and uncovered demands stand out."""
    flag_word(ws, first_row, last_row, column, (no,))


def flag_word(ws: Worksheet, first_row: int, last_row: int, column: int, words: Sequence[str]) -> None:
    """Highlight the cells of a column that hold one of `words`."""
    for word in words:
        _flag(ws, first_row, last_row, column, "equal", f'"{word}"')


def flag_above(ws: Worksheet, first_row: int, last_row: int, column: int, limit: float) -> None:
    """Colour the cells of a column above a limit, such as a load over 100 % of capacity."""
    _flag(ws, first_row, last_row, column, "greaterThan", str(limit))


def _flag(ws: Worksheet, first_row: int, last_row: int, column: int, operator: str, value: str) -> None:
    if last_row < first_row:
        return
    letter = get_column_letter(column)
    ws.conditional_formatting.add(
        f"{letter}{first_row}:{letter}{last_row}",
        CellIsRule(operator=operator, formula=[value], fill=styles.NO_FILL, font=styles.NO_FONT),
    )


def level_colour_scale(ws: Worksheet, cell_range: str) -> None:
    low, mid, high = styles.LEVEL_COLOURS
    ws.conditional_formatting.add(
        cell_range,
        ColorScaleRule(
            start_type="num",
            start_value=1,
            start_color=low,
            mid_type="num",
            mid_value=2,
            mid_color=mid,
            end_type="num",
            end_value=3,
            end_color=high,
        ),
    )


def add_bar_chart(
    ws: Worksheet,
    *,
    title: str,
    header_row: int,
    last_row: int,
    category_column: int,
    value_columns: Sequence[int],
    anchor: str,
    axis_title: str,
    percent: bool = False,
    horizontal: bool = False,
) -> int:
    """A clustered bar chart of table columns (series named by their headers) per category row;
    returns how many rows it covers below its anchor (0 when there is nothing to chart).

    Horizontal bars suit long category names, which vertical columns would tilt and crop.
    """
    if last_row <= header_row:
        return 0
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = "clustered"
    chart.title = title
    chart.y_axis.title = axis_title
    # Many categories need a longer axis, or the bars and their labels crowd together.
    length = min(styles.CHART_MAX_CM, styles.CHART_CM_PER_CATEGORY * (last_row - header_row))
    if horizontal:
        chart.width, chart.height = styles.CHART_WIDTH_CM, max(styles.CHART_HEIGHT_CM, min(length, 17))
    else:
        chart.width, chart.height = max(styles.CHART_WIDTH_CM, length), styles.CHART_HEIGHT_CM
    for column in value_columns:
        data = Reference(ws, min_col=column, min_row=header_row, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
    if len(value_columns) == 1:
        chart.legend = None  # the title already names the only series
    chart.set_categories(Reference(ws, min_col=category_column, min_row=header_row + 1, max_row=last_row))
    chart.y_axis.scaling.min = 0
    if percent:
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.max = 1
    # openpyxl marks axes as deleted by default; recent Excel then hides the labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # Labels large enough to stay readable when the sheet is scaled to the page width.
    chart.x_axis.txPr = _text_of_size(styles.CHART_TEXT_SIZE)
    chart.y_axis.txPr = _text_of_size(styles.CHART_TEXT_SIZE)
    if chart.legend is not None:
        chart.legend.txPr = _text_of_size(styles.CHART_TEXT_SIZE)
    ws.add_chart(chart, anchor)
    return math.ceil(chart.height / styles.CM_PER_ROW) + 1


def _text_of_size(points: int) -> RichText:
    size = CharacterProperties(sz=points * 100)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=size)])


def stand_upright(ws: Worksheet, row: int, first: int, last: int) -> None:
    """Turn the headers of columns first..last upright and keep the columns narrow (long module names)."""
    longest = 0
    for column in range(first, last + 1):
        cell = ws.cell(row=row, column=column)
        cell.alignment = styles.UPRIGHT
        ws.column_dimensions[get_column_letter(column)].width = styles.UPRIGHT_WIDTH
        longest = max(longest, len(str(cell.value or "")))
    # Tall enough for the longest header ("MCPE-00, semestre 3"), or its end is cut in print.
    ws.row_dimensions[row].height = max(styles.UPRIGHT_HEIGHT, math.ceil(longest * styles.UPRIGHT_POINTS_PER_CHAR) + 8)


def break_between(ws: Worksheet, groups: Sequence[Any], first_row: int) -> None:
    """A printed page break wherever the group changes, so each group starts its own page.

    `groups` holds the group of each row from `first_row` down.
    """
    for offset in range(1, len(groups)):
        if groups[offset] != groups[offset - 1]:
            ws.row_breaks.append(Break(id=first_row + offset - 1))  # the break falls below this row


def _widen(ws: Worksheet, column: int, length: int) -> None:
    letter = get_column_letter(column)
    # Reading column_dimensions[letter] creates it with a default width, so test membership first.
    current = ws.column_dimensions[letter].width if letter in ws.column_dimensions else 0
    width = min(max(length + 2, styles.MIN_WIDTH), styles.MAX_WIDTH)
    ws.column_dimensions[letter].width = max(current or 0, width)


def _display_length(value: Any, number_format: str | None = None) -> int:
    if value is None:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool) and number_format and "," in number_format:
        # "$706,860": separators and the sign take room too, and totals print in bold
        return len(f"{value:,.0f}") + ("$" in number_format) + 1
    if isinstance(value, float):
        return 8  # percentages and seconds are shown short
    return max((len(line) for line in str(value).splitlines()), default=0)
