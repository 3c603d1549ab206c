"""Every look of the workbook in one place: fonts, fills, number formats, table style, widths."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

# Every font is named: a style without a name is drawn in the program's own default (a wide serif
# in LibreOffice), not the workbook's body font, and wraps where the widths were not made for it.
FONT_NAME = "Calibri"
TITLE = Font(name=FONT_NAME, bold=True, size=14)
HEADING = Font(name=FONT_NAME, bold=True, size=12)
HEADER = Font(name=FONT_NAME, bold=True)
NOTE = Font(name=FONT_NAME, italic=True, color="595959")
ALERT = Font(name=FONT_NAME, bold=True, color="C00000")
TOTAL = Font(name=FONT_NAME, bold=True)
SENTENCE = Font(name=FONT_NAME, size=11)  # the Summary's plain sentences: body text, not a grey note
# Columns that mix numbers and words read better aligned one way; small numbers sit centred.
LEFT = Alignment(horizontal="left")
CENTER = Alignment(horizontal="center")
INDENTED = Alignment(indent=2)
# Multi-line cells (the curriculum map, the summary's sentences) wrap and start at the top.
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
# Module columns of the coverage matrix: names turned upright keep 50 columns printable.
UPRIGHT = Alignment(text_rotation=90, wrap_text=False, vertical="bottom", horizontal="center")
UPRIGHT_WIDTH = 4  # a level, 1 to 3
UPRIGHT_HEIGHT = 95  # points: the least room for a module code and its term read sideways
UPRIGHT_POINTS_PER_CHAR = 6.5  # a bold 11-point letter read sideways, counted generously

# The curriculum map: a grid of boxed modules under shaded semester headings.
HEADER_LIGHT = Font(name=FONT_NAME, bold=True, size=12)
MAP_HEADER_FILL = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
_THIN = Side(style="thin", color="808080")
MAP_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# Light red behind "no" in Met / Covered columns, so unmet goals stand out when scrolling.
NO_FILL = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")
NO_FONT = Font(name=FONT_NAME, color="9C0006")

# Taught-level colour scale on the coverage matrix: 1 awareness (pale) .. 3 proficient (green).
LEVEL_COLOURS = ("FFF2CC", "A9D08E", "548235")

TABLE_STYLE = "TableStyleMedium2"

HOURS = "#,##0"  # whole hours, thousands separated: 1,260
COUNT = "#,##0"  # large whole numbers (a coverage score of 1,127)
# One percentage style in every sheet: whole percents, as the Summary's sentences say them
# (cells_percent() gives the language's spacing: "86 %" in Spanish, "86%" in English).
PERCENT = "0%"
SECONDS = "0.00"
PER_WEEK = "0.0"  # a fraction of an hour per week; whole values are written as integers (cells.put)
MONEY = '"$"#,##0'  # pesos with thousands separators: $706,860

# Column widths in characters: fitted to the content, within these bounds.
MIN_WIDTH = 6
MAX_WIDTH = 50
# Room for the filter drop-down button next to a table header.
FILTER_BUTTON = 1  # headers wrap, and the button is not printed: a little room is enough

# Right-aligned headers over numbers, so each number prints under its own header.
RIGHT = Alignment(horizontal="right", vertical="bottom", wrap_text=True)
# Text right after a column of numbers starts one step in, so a number never runs into it
# ("35QUA-ISO"); LibreOffice ignores the indent of right-aligned numbers, so the text moves.
AFTER_NUMBER = Alignment(horizontal="left", indent=1)
HEADER_AFTER_NUMBER = Alignment(horizontal="left", indent=1, wrap_text=True, vertical="bottom")
HEADER_WRAP = Alignment(wrap_text=True, vertical="bottom")
CENTER_WRAP = Alignment(horizontal="center", vertical="bottom", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="top")

CHART_WIDTH_CM = 16
CHART_TEXT_SIZE = 12  # points, before the page's scale
CHART_HEIGHT_CM = 8
CHART_CM_PER_CATEGORY = 1.5
CHART_MAX_CM = 22  # a chart fits the printable width (and height) of a letter page
CM_PER_ROW = 0.53  # a default row (15 points), to place what follows below a chart
