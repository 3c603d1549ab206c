"""Reading workbooks safely: every .xlsx a run reads (a catalog, a reviewed plan) comes through here.

An .xlsx is a zip archive of XML parts, so a small file can unpack to gigabytes, declare XML
entities, or hold one cell in column XFD that openpyxl's read-only reader pads to 16,384 cells
per row. Before openpyxl sees a workbook its archive is checked (parts, sizes, compression ratio,
DOCTYPE) and its sheets are counted as that reader will deliver them; then the wanted sheets are
read whole, so any error of a damaged file surfaces here, as an InputError naming the file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

import openpyxl

from planner.errors import PlannerError
from planner.i18n import _
from planner.loaders.clock import check_time
from planner.loaders.files import read_input, refuse
from planner.loaders.text import MAX_CELL_CHARACTERS

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # real workbooks compress about 5-20 times
MAX_ZIP_ENTRIES = 10_000


def check_zip(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse archives that would inflate far beyond any real catalog, or that declare XML entities.

    The sizes in the zip directory are safe to trust: Python's zipfile stops decompressing an entry
    at its declared size. A DOCTYPE never occurs in a genuine workbook; refusing it here keeps entity
    expansion attacks away from every XML parser, whichever one openpyxl picks (defusedxml also
    guards openpyxl's own parsing).
    """
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise refuse(label, _("the workbook holds {count} parts; this is refused as unsafe.", count=len(entries)))
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNZIPPED_BYTES:
        raise refuse(
            label,
            _(
                "the workbook would unpack to {value} MB, more than {value2} MB; this is refused as unsafe.",
                value=total // 2**20,
                value2=MAX_UNZIPPED_BYTES // 2**20,
            ),
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 2**20 and ratio > MAX_COMPRESSION_RATIO:
            raise refuse(
                label,
                _(
                    "the workbook part {filename} is compressed {ratio:.0f} times (a zip bomb?); this is "
                    "refused as unsafe.",
                    filename=entry.filename,
                    ratio=ratio,
                ),
            )
    for entry in entries:
        if _has_doctype(archive, entry):
            raise refuse(
                label,
                _(
                    "the workbook part {filename} declares a DOCTYPE (XML entities); this is refused as unsafe.",
                    filename=entry.filename,
                ),
            )


_DOCTYPE = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _has_doctype(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(entry) as part:
        while chunk := part.read(2**20):
            window = tail + chunk
            if any(marker in window for marker in _DOCTYPE):
                return True
            tail = window[-32:]  # a marker may straddle two chunks
    return False


# Excel's password protection wraps the workbook in an OLE2 compound file, like the old .xls format.
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


def _ole2_kind(data: bytes) -> str:
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _(
            "this workbook is protected with a password, so it cannot be read; open it in Excel, remove the "
            "password (File > Info > Protect Workbook > Encrypt with Password) and save it again."
        )
    return _("this is an Excel 97-2003 (.xls) file with an .xlsx name; save it as an Excel Workbook (.xlsx).")


def check_kind(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse zip archives that are not Excel workbooks, naming what they are when it is known."""
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return
    if "mimetype" in names and archive.read("mimetype").strip() == _ODS:
        raise refuse(
            label,
            _("this is an OpenDocument spreadsheet (.ods) with an .xlsx name; save it as Excel 2007-365 (.xlsx)."),
        )
    raise refuse(label, _("this is a zip archive but not an Excel workbook (it has no xl/workbook.xml)."))


# Cells as openpyxl's read-only reader yields them: each row padded from column A to its last cell,
# and one per row number skipped. The shipped catalog holds about 5,000 cells: this leaves room
# for catalogs hundreds of times larger.
MAX_CELLS = 2_000_000
CELLS_BETWEEN_CHECKS = 50_000


@dataclass
class Sheets:
    """What was read of a workbook: its bytes, every sheet name in order, and the rows of values of
    the worksheets asked for (row 1 first)."""

    data: bytes
    names: list[str]
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)


def read_sheets(path: Path, label: str, wanted: Collection[str]) -> Sheets:
    """The workbook at `path` checked as safe, with the values of its worksheets named in `wanted`.

    Raises InputError naming `label` for a file that is not a readable, safe .xlsx workbook.
    """
    data = read_input(path, label)
    if data.startswith(_OLE2):
        raise refuse(label, _ole2_kind(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, label)
            check_kind(archive, label)
            parts = _sheet_parts(archive)
            _refuse_chart_sheets(archive, label, wanted, parts)
            _check_cells(archive, label, [part for name, part in parts if name in wanted])
        return _read_values(data, label, wanted)
    except PlannerError:
        raise
    except zipfile.BadZipFile:
        damaged = (
            _("it is damaged or cut short")
            if data.startswith(b"PK")
            else _("it is not a zip archive, as .xlsx files are")
        )
        raise refuse(label, _("this is not a readable .xlsx workbook: {damaged}.", damaged=damaged)) from None
    except Exception as exc:  # noqa: BLE001 - damaged files raise all kinds of errors in zipfile and openpyxl
        raise refuse(label, _("the workbook cannot be read: {exc}", exc=_first_line(exc))) from None


def _read_values(data: bytes, label: str, wanted: Collection[str]) -> Sheets:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        sheets = Sheets(data, list(workbook.sheetnames))
        worksheets = {sheet.title: sheet for sheet in workbook.worksheets}
        for name in sheets.names:
            if name not in wanted:
                continue  # other sheets (notes, charts) are the user's own business
            sheet = worksheets.get(name)
            if sheet is None:
                continue  # neither a worksheet nor a chart sheet (a dialog or macro sheet): nothing to read
            sheet.reset_dimensions()  # the stored used range may be wrong; read what is really there
            rows = sheets.rows[name] = []
            unchecked = 0  # cells read since the clock was last looked at (rows may be 16,384 wide)
            for values in sheet.iter_rows(values_only=True):
                rows.append(values)
                unchecked += len(values) + 1
                if unchecked > CELLS_BETWEEN_CHECKS:
                    check_time(label)
                    unchecked = 0
        return sheets
    finally:
        workbook.close()


_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Each sheet's name and the archive part that holds it, in the workbook's order."""
    # The parts hold no DOCTYPE (checked before), so the standard parser is safe on them.
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {link.get("Id"): link.get("Target", "") for link in links}
    found = []
    for sheet in book.iterfind(".//{*}sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP), "")
        found.append((sheet.get("name", ""), target.lstrip("/") if target.startswith("/") else f"xl/{target}"))
    return found


def _refuse_chart_sheets(
    archive: zipfile.ZipFile, label: str, wanted: Collection[str], parts: list[tuple[str, str]]
) -> None:
    """A chart sheet named like a wanted sheet is named as such, and so is a chart sheet without a
    chart, on which openpyxl fails with words of its own ("'list' object has no attribute 'find'")."""
    names = set(archive.namelist())
    for name, part in parts:
        if "chartsheets/" not in part:
            continue
        where = _("{file}, sheet {sheet}", file=label, sheet=name)
        if name in wanted:
            raise refuse(where, _("this sheet is a chart sheet, not a worksheet of rows."))
        folder, _slash, file = part.rpartition("/")
        if f"{folder}/_rels/{file}.rels" not in names:
            raise refuse(where, _("this chart sheet holds no chart, so the workbook cannot be read; delete the sheet."))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class _TooMany(Exception):
    """Raised from the XML scanner's handlers to stop it; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_cells(archive: zipfile.ZipFile, label: str, parts: list[str]) -> None:
    """Refuse a workbook whose sheets to be read (`parts`) openpyxl would deliver as more than
    MAX_CELLS cells, or whose cells or shared strings hold more text than an Excel cell can. Sheets
    not read (a reviewed plan's Coverage matrix) cost nothing, so they are not counted."""
    counter = _CellCounter()
    present = set(archive.namelist())
    for part in [*parts, "xl/sharedStrings.xml"]:
        if part not in present:
            continue
        try:
            counter.scan(archive, archive.getinfo(part), label)
        except _TooMany as stop:
            raise refuse(label, stop.message) from None


class _CellCounter:
    """Counts cells across worksheet parts with expat (no tree is built; it stops at the bound)."""

    def __init__(self) -> None:
        self.cells = 0
        self.text: int | None = None  # characters of the text element being read, if one is

    def scan(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, label: str) -> None:
        self.part = entry.filename
        self.row = 0
        self.row_cells = 0  # the cells the reader yields for the current row: its last column
        self.column = 0
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        with archive.open(entry) as part:
            while chunk := part.read(2**20):
                parser.Parse(chunk, False)
                check_time(label)
        parser.Parse(b"", True)
        self.close_row()

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        local = tag.rpartition(":")[2]
        if local == "row":
            self.close_row()
            number = attributes.get("r", "")
            self.cells += max(int(number) - self.row, 1) if number.isascii() and number.isdigit() else 1
            self.row = int(number) if number.isascii() and number.isdigit() else self.row + 1
            self.column = 0
        elif local == "c":
            self.column = _column(attributes.get("r", "")) or self.column + 1
            self.row_cells = max(self.row_cells, self.column)
        elif local in ("v", "t"):
            self.text = 0
        if self.cells + self.row_cells > MAX_CELLS:
            raise _TooMany(
                _(
                    "the workbook holds more than {count:,} cells (counting the empty cells before the last "
                    "one of each row, in {part}); this is refused as unsafe.",
                    count=MAX_CELLS,
                    part=self.part,
                )
            )

    def end(self, tag: str) -> None:
        local = tag.rpartition(":")[2]
        if local == "row":
            self.close_row()
        elif local in ("v", "t"):
            self.text = None

    def characters(self, text: str) -> None:
        if self.text is None:
            return  # the layout between elements
        self.text += len(text)
        if self.text > MAX_CELL_CHARACTERS:
            raise _TooMany(
                _(
                    "a cell in the workbook part {part} holds more than {count:,} characters, more than an Excel "
                    "cell can hold; this is refused as unsafe.",
                    part=self.part,
                    count=MAX_CELL_CHARACTERS,
                )
            )

    def close_row(self) -> None:
        self.cells += self.row_cells
        self.row_cells = 0


def _column(reference: str) -> int:
    """The column number of a cell reference such as "XFD7" (0 when there is none to read)."""
    number = 0
    for character in reference:
        if "A" <= character <= "Z":
            number = number * 26 + ord(character) - ord("A") + 1
        else:
            break
    return number
