"""Every look of the workbook in one place: fonts, fills, number formats, table style, widths."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill

TITLE = Font(bold=True, size=14)
HEADING = Font(bold=True, size=12)
HEADER = Font(bold=True)
NOTE = Font(italic=True, color="595959")
ALERT = Font(bold=True, color="C00000")
TOTAL = Font(bold=True)
# Columns that mix numbers and words read better aligned one way; small numbers sit centred.
LEFT = Alignment(horizontal="left")
CENTER = Alignment(horizontal="center")

# Light red behind "no" in Met / Covered columns, so unmet goals stand out when scrolling.
NO_FILL = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")
NO_FONT = Font(color="9C0006")

# Taught-level colour scale on the coverage matrix: 1 awareness (pale) .. 3 proficient (green).
LEVEL_COLOURS = ("FFF2CC", "A9D08E", "548235")

TABLE_STYLE = "TableStyleMedium2"

HOURS = "0"
PERCENT = "0.0%"
SECONDS = "0.00"
PER_WEEK = "0.0"
MONEY = "#,##0"

# Column widths in characters: fitted to the content, within these bounds.
MIN_WIDTH = 6
MAX_WIDTH = 50
# Room for the filter drop-down button next to a table header.
FILTER_BUTTON = 3

CHART_WIDTH_CM = 16
CHART_HEIGHT_CM = 8
CHART_CM_PER_CATEGORY = 1.5
CHART_MAX_CM = 40
