"""Reading and checking a catalog: a folder of CSV files or one .xlsx workbook.

This is the only module that reads catalog files. Whatever the format, the files become `Table`s
(a header and rows of text cells, each row numbered as a spreadsheet user counts it), so every
check below runs the same way on CSV and Excel and nothing downstream knows which it was.

Every problem is collected before anything is refused: one `InputError` lists them all, each
naming the file (or sheet), row and column, so a curriculum designer can fix a catalog in one pass.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.model import (
    Catalog,
    Commitment,
    Demand,
    Instructor,
    Lab,
    LabCommitment,
    Module,
    ModuleLab,
    ModuleSkill,
    Origin,
    Prerequisite,
    Qualification,
    Sector,
    Skill,
    Training,
)

# Limits for files from untrusted hands: a catalog is a few hundred rows, so anything near these
# sizes is a mistake or an attack (an .xlsx is a zip archive, and a tiny zip can inflate to gigabytes).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # real workbooks compress about 5-20 times
MAX_ZIP_ENTRIES = 10_000
# Whole numbers above this cannot be meant (hours, weights, ...) and would overflow the solver's sums.
LARGEST_NUMBER = 1_000_000

REQUIRED_TABLES = ("sectors", "skills", "demands", "modules", "module_skills")
OPTIONAL_TABLES = (
    "prerequisites",
    "instructors",
    "qualifications",
    "labs",
    "module_labs",
    "training",
    "commitments",
    "lab_commitments",
)
# A campus folder's own roster, labs and commitments replace the catalog's tables of the same name.
CAMPUS_TABLES = ("instructors", "qualifications", "labs", "training", "commitments", "lab_commitments")

# Required columns per table; modules also have the optional term window below.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sectors": ("sector_id", "name", "weight"),
    "skills": ("skill_id", "name", "cluster"),
    "demands": ("sector_id", "skill_id", "level", "importance"),
    "modules": ("module_id", "name", "career", "hours"),
    "module_skills": ("module_id", "skill_id", "level"),
    "prerequisites": ("module_id", "prerequisite_id"),
    "instructors": ("instructor_id", "name", "max_hours_per_term"),
    "qualifications": ("instructor_id", "module_id"),
    "labs": ("lab_id", "name", "max_hours_per_term"),
    "module_labs": ("module_id", "lab_id"),
    "training": ("instructor_id", "module_id", "cost"),
    "commitments": ("instructor_id", "period", "hours"),
    "lab_commitments": ("lab_id", "period", "hours"),
}
MODULE_WINDOW = ("earliest_term", "latest_term", "dual_hours")  # the modules' optional columns

# The columns that identify a row: a second row with the same values is a duplicate.
KEYS: dict[str, tuple[str, ...]] = {
    "sectors": ("sector_id",),
    "skills": ("skill_id",),
    "demands": ("sector_id", "skill_id"),
    "modules": ("module_id",),
    "module_skills": ("module_id", "skill_id"),
    "prerequisites": ("module_id", "prerequisite_id"),
    "instructors": ("instructor_id",),
    "qualifications": ("instructor_id", "module_id"),
    "labs": ("lab_id",),
    "module_labs": ("module_id", "lab_id"),
    "training": ("instructor_id", "module_id"),
    "commitments": (),  # several rows for one instructor and period add up
    "lab_commitments": (),
}

# (table, column) -> (table, column) whose ids it must name.
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("demands", "sector_id"): ("sectors", "sector_id"),
    ("demands", "skill_id"): ("skills", "skill_id"),
    ("module_skills", "module_id"): ("modules", "module_id"),
    ("module_skills", "skill_id"): ("skills", "skill_id"),
    ("prerequisites", "module_id"): ("modules", "module_id"),
    ("prerequisites", "prerequisite_id"): ("modules", "module_id"),
    ("qualifications", "instructor_id"): ("instructors", "instructor_id"),
    ("qualifications", "module_id"): ("modules", "module_id"),
    ("module_labs", "module_id"): ("modules", "module_id"),
    ("module_labs", "lab_id"): ("labs", "lab_id"),
    ("training", "instructor_id"): ("instructors", "instructor_id"),
    ("training", "module_id"): ("modules", "module_id"),
    ("commitments", "instructor_id"): ("instructors", "instructor_id"),
    ("lab_commitments", "lab_id"): ("labs", "lab_id"),
}


# --- tables: what both formats are turned into -----------------------------------------------


@dataclass
class Row:
    """One data row: its spreadsheet number and its cells by column name (missing columns absent)."""

    number: int
    cells: dict[str, str]


@dataclass
class Table:
    name: str  # the file stem / sheet name, e.g. "modules"
    label: str  # how messages name it: "modules.csv" or "catalog.xlsx, sheet modules"
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def _make_table(name: str, label: str, lines: list[list[str]], issues: list[Issue]) -> Table | None:
    """Build a table from rows of text cells; the first row is the header (spreadsheet row 1)."""
    if not lines or all(cell.strip() == "" for cell in lines[0]):
        issues.append(Issue(label, _("the first row must be the header row with the column names, but it is empty.")))
        return None
    header = lines[0]
    position: dict[str, int] = {}
    for index, column in enumerate(header):
        if column == "":
            continue  # spreadsheets often carry empty trailing columns; they hold nothing to read
        if column in position:
            issues.append(
                Issue(
                    label,
                    _("the column '{column}' appears more than once.", column=_clip(column)),
                    row=1,
                    column=column,
                )
            )
            continue
        position[column] = index
    table = Table(name, label, list(position))
    for number, cells in enumerate(lines[1:], start=2):
        if all(cell.strip() == "" for cell in cells):
            continue  # a blank row holds no entity; later rows keep their spreadsheet numbers
        padded = cells + [""] * (len(header) - len(cells))
        table.rows.append(Row(number, {column: padded[index] for column, index in position.items()}))
    return table


def _csv_lines(text: str, label: str, issues: list[Issue]) -> list[list[str]] | None:
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


def _decode(data: bytes, label: str, issues: list[Issue]) -> str | None:
    """The file as text; UTF-8 only, and a file in another encoding is named with the row and column at fault."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        issues.append(Issue(label, _("the file is UTF-16 text (Excel's 'Unicode Text'); save it as 'CSV UTF-8'.")))
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
                    value2=_escaped(byte.decode("cp1252", errors="replace")),
                ),
                row=row,
                column=column,
            )
        )
        return None


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


# --- reading a folder of CSV files -----------------------------------------------------------


def _read_bytes(path: Path, label: str) -> bytes:
    """The file's bytes, reading no more than the limit: the size a file reports cannot be trusted
    (a link to /dev/zero reports 0 bytes and never ends), so devices, pipes and sockets are refused."""
    # O_NONBLOCK: opening a pipe must not wait for a writer that never comes; regular files ignore it.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _refuse(
                label, _("this is not a regular file (a folder, a device, a pipe or a socket); it is not read.")
            )
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(
            label,
            _("the file is larger than {value:g} MB; files that large are refused.", value=MAX_FILE_BYTES / 2**20),
        )
    return data


def _read_folder(
    folder: Path,
    issues: list[Issue],
    names: tuple[str, ...] = (*REQUIRED_TABLES, *OPTIONAL_TABLES),
    required: tuple[str, ...] = REQUIRED_TABLES,
    prefix: str = "",
) -> tuple[dict[str, Table], str]:
    """The tables `names` of a folder of CSV files; messages name each file as `prefix` + file name."""
    tables: dict[str, Table] = {}
    digest = hashlib.sha256()
    # Not only regular files: a table name taken by a device or a folder must be reported, not missed.
    present = {p.name: p for p in folder.iterdir()}
    for file_name in sorted(f"{name}.csv" for name in names):
        if file_name not in present:
            continue
        label = prefix + file_name
        try:
            data = _read_bytes(present[file_name], label)
        except InputError as error:
            issues.extend(error.issues)
            continue
        except OSError as exc:
            issues.append(Issue(label, _("the file cannot be read: {value}.", value=exc.strerror or exc)))
            continue
        digest.update(data)
        text = _decode(data, label, issues)
        if text is None:
            continue
        lines = _csv_lines(text, label, issues)
        if lines is None:
            continue
        table = _make_table(file_name.removesuffix(".csv"), label, lines, issues)
        if table is not None:
            tables[table.name] = table
    for name in required:
        if f"{name}.csv" not in present:
            issues.append(
                Issue(
                    f"{name}.csv",
                    _(
                        "this required file is missing from {folder}{value}.",
                        folder=folder,
                        value=_near(f"{name}.csv", present),
                    ),
                )
            )
    return tables, digest.hexdigest()


def _near(name: str, available: Iterable[str]) -> str:
    """A hint when the wanted name exists with other capitals or spaces, the commonest slip."""
    for other in available:
        if other != name and _visible(other).strip().casefold() == name.casefold():
            return _(" (there is '{other}'; rename it to '{name}')", other=_escaped(other), name=name)
    return ""


def _invisible(character: str) -> bool:
    """Characters a reader cannot see or tell from a space: controls, format characters (zero-width
    space, byte-order mark, soft hyphen), line separators and spaces other than the plain one."""
    category = unicodedata.category(character)
    return category in ("Cc", "Cf", "Zl", "Zp") or (category == "Zs" and character != " ")


def _visible(value: str) -> str:
    return "".join(c for c in value if not _invisible(c))


def _escaped(value: str) -> str:
    """The text with each invisible character written as a Python escape (DOC\\u200b-01), so a message shows it."""
    return "".join(f"\\u{ord(c):04x}" if _invisible(c) else c for c in value)


# --- reading one .xlsx workbook --------------------------------------------------------------


def _refuse(label: str, message: str) -> InputError:
    return InputError([Issue(label, message)])


def _check_zip(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse archives that would inflate far beyond any real catalog, or that declare XML entities.

    The sizes in the zip directory are safe to trust: Python's zipfile stops decompressing an entry
    at its declared size. A DOCTYPE never occurs in a genuine workbook; refusing it here keeps entity
    expansion attacks away from every XML parser, whichever one openpyxl picks (defusedxml also
    guards openpyxl's own parsing).
    """
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _refuse(label, _("the workbook holds {count} parts; this is refused as unsafe.", count=len(entries)))
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNZIPPED_BYTES:
        raise _refuse(
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
            raise _refuse(
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
            raise _refuse(
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


def _check_kind(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse zip archives that are not Excel workbooks, naming what they are when it is known."""
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return
    if "mimetype" in names and archive.read("mimetype").strip() == _ODS:
        raise _refuse(
            label,
            _("this is an OpenDocument spreadsheet (.ods) with an .xlsx name; save it as Excel 2007-365 (.xlsx)."),
        )
    raise _refuse(label, _("this is a zip archive but not an Excel workbook (it has no xl/workbook.xml)."))


def _read_workbook(path: Path, issues: list[Issue]) -> tuple[dict[str, Table], str]:
    data = _read_bytes(path, path.name)
    if data.startswith(_OLE2):
        raise _refuse(path.name, _ole2_kind(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip(archive, path.name)
            _check_kind(archive, path.name)
        tables, sheet_names = _read_sheets(data, path.name, issues)
    except InputError:
        raise
    except zipfile.BadZipFile:
        damaged = (
            _("it is damaged or cut short")
            if data.startswith(b"PK")
            else _("it is not a zip archive, as .xlsx files are")
        )
        raise _refuse(path.name, _("this is not a readable .xlsx workbook: {damaged}.", damaged=damaged)) from None
    except Exception as exc:  # damaged files raise all kinds of errors in zipfile and openpyxl
        raise _refuse(path.name, _("the workbook cannot be read: {exc}", exc=_first_line(exc))) from None
    for name in REQUIRED_TABLES:
        if name not in sheet_names:
            issues.append(
                Issue(
                    path.name,
                    _("the required sheet '{name}' is missing{value}.", name=name, value=_near(name, sheet_names)),
                )
            )
    return tables, hashlib.sha256(data).hexdigest()


def _read_sheets(data: bytes, file_name: str, issues: list[Issue]) -> tuple[dict[str, Table], list[str]]:
    tables: dict[str, Table] = {}
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        for name in workbook.sheetnames:
            sheet = workbook[name]
            if name not in COLUMNS or not hasattr(sheet, "iter_rows"):
                continue  # other sheets (notes, charts) are the user's own business
            sheet.reset_dimensions()  # the stored used range may be wrong; read what is really there
            lines = [[_cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
            table = _make_table(name, _("{file}, sheet {sheet}", file=file_name, sheet=name), lines, issues)
            if table is not None:
                tables[name] = table
        return tables, list(workbook.sheetnames)
    finally:
        workbook.close()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _cell_text(value: Any) -> str:
    """A cell as the text a CSV export would hold, so both formats are checked the same way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # The user sees 3 in a number cell; some writers store it as 3.0, which is not their typo.
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# --- rows into entities ----------------------------------------------------------------------

_WHOLE = re.compile(r"-?[0-9]+")


def _clip(value: str, limit: int = 40) -> str:
    """A cell's text for a message: invisible characters shown escaped, a runaway cell cut short."""
    value = _escaped(value)
    return value if len(value) <= limit else value[: limit - 3] + "..."


_WHOLE_WITH_ZEROS = re.compile(r"-?[0-9]+\.0*")


class RowReader:
    """Reads the cells of one row, recording every problem instead of stopping at the first."""

    def __init__(self, table: Table, row: Row, issues: list[Issue]) -> None:
        self.table = table
        self.row = row
        self.issues = issues
        self.ok = True

    def report(self, column: str | None, message: str) -> None:
        self.issues.append(Issue(self.table.label, message, row=self.row.number, column=column))
        self.ok = False

    def text(self, column: str) -> str:
        value = self.row.cells.get(column)
        if value is None:  # the missing column was reported once, at the header
            self.ok = False
            return ""
        if value.strip() == "":
            self.report(column, _("this required cell is empty."))
        return value

    def ident(self, column: str) -> str:
        value = self.text(column)
        if value.strip() and value != value.strip():
            self.report(column, _("'{value}' has leading or trailing spaces; ids must not.", value=_clip(value)))
        elif hidden := [c for c in value if _invisible(c)]:
            what = unicodedata.name(hidden[0], f"U+{ord(hidden[0]):04X}").lower()
            self.report(
                column,
                _("'{value}' holds an invisible character ({what}); ids must not.", value=_clip(value), what=what),
            )
        return value

    def whole(self, column: str, minimum: int, maximum: int | None = None, optional: bool = False) -> int | None:
        value = self.row.cells.get(column)
        if value is None:  # the column is absent: fine when optional, else reported at the header
            self.ok = self.ok and optional
            return None
        if value.strip() == "":
            if not optional:
                self.report(column, _("this required cell is empty."))
            return None
        if not _WHOLE.fullmatch(value):
            hint = _("; write {whole}", whole=value.split(".")[0]) if _WHOLE_WITH_ZEROS.fullmatch(value) else ""
            self.report(column, _("'{value}' is not a whole number{hint}.", value=_clip(value), hint=hint))
            return None
        # Python refuses to convert thousands of digits, and anything past 15 is too large anyway.
        number = int(value) if len(value) <= 15 else LARGEST_NUMBER + 1
        if maximum is not None and not minimum <= number <= maximum:
            self.report(
                column,
                _(
                    "{column} must be between {minimum} and {maximum}, not {value}.",
                    column=column,
                    minimum=minimum,
                    maximum=maximum,
                    value=value,
                ),
            )
        elif number < minimum:
            self.report(
                column,
                _("{column} must be at least {minimum}, not {value}.", column=column, minimum=minimum, value=value),
            )
        elif number > LARGEST_NUMBER:
            self.report(
                column,
                _(
                    "{column} {value} is too large; the most accepted is {LARGEST_NUMBER}.",
                    column=column,
                    value=_clip(value),
                    LARGEST_NUMBER=LARGEST_NUMBER,
                ),
            )
        else:
            return number
        return None

    def build(self, make: Callable[..., Any], blame: str, **fields: Any) -> Any:
        """Create the entity if every cell was readable; its own checks become issues on this row."""
        if not self.ok:
            return None
        try:
            return make(**fields, origin=Origin(self.table.label, self.row.number))
        except ValueError as exc:
            # The entities' messages start with the field they are about ("earliest_term 3 is ...").
            first = str(exc).split(" ", 1)[0]
            self.report(first if first in fields else blame, str(exc))
            return None


def _sector(r: RowReader) -> Sector | None:
    return r.build(
        Sector, "sector_id", sector_id=r.ident("sector_id"), name=r.text("name"), weight=r.whole("weight", 1)
    )


def _skill(r: RowReader) -> Skill | None:
    return r.build(Skill, "skill_id", skill_id=r.ident("skill_id"), name=r.text("name"), cluster=r.text("cluster"))


def _demand(r: RowReader) -> Demand | None:
    return r.build(
        Demand,
        "skill_id",
        sector_id=r.ident("sector_id"),
        skill_id=r.ident("skill_id"),
        level=r.whole("level", 1, 3),
        importance=r.whole("importance", 1),
    )


def _module(r: RowReader) -> Module | None:
    known = set(COLUMNS["modules"]) | set(MODULE_WINDOW)
    return r.build(
        Module,
        "module_id",
        module_id=r.ident("module_id"),
        name=r.text("name"),
        career=r.text("career"),
        hours=r.whole("hours", 1),
        earliest_term=r.whole("earliest_term", 1, optional=True),
        latest_term=r.whole("latest_term", 1, optional=True),
        dual_hours=r.whole("dual_hours", 0, optional=True) or 0,
        # Extra columns (status, code, ...) travel with the module so the export can show them.
        extra={column: value for column, value in r.row.cells.items() if column not in known},
    )


def _module_skill(r: RowReader) -> ModuleSkill | None:
    return r.build(
        ModuleSkill,
        "skill_id",
        module_id=r.ident("module_id"),
        skill_id=r.ident("skill_id"),
        level=r.whole("level", 1, 3),
    )


def _prerequisite(r: RowReader) -> Prerequisite | None:
    return r.build(
        Prerequisite,
        "prerequisite_id",
        module_id=r.ident("module_id"),
        prerequisite_id=r.ident("prerequisite_id"),
    )


def _instructor(r: RowReader) -> Instructor | None:
    return r.build(
        Instructor,
        "instructor_id",
        instructor_id=r.ident("instructor_id"),
        name=r.text("name"),
        max_hours_per_term=r.whole("max_hours_per_term", 0),
        min_hours_per_term=r.whole("min_hours_per_term", 0, optional=True) or 0,
        cost_per_hour=r.whole("cost_per_hour", 0, optional=True) or 0,
    )


def _lab(r: RowReader) -> Lab | None:
    return r.build(
        Lab,
        "lab_id",
        lab_id=r.ident("lab_id"),
        name=r.text("name"),
        max_hours_per_term=r.whole("max_hours_per_term", 0),
    )


def _module_lab(r: RowReader) -> ModuleLab | None:
    return r.build(ModuleLab, "lab_id", module_id=r.ident("module_id"), lab_id=r.ident("lab_id"))


def _qualification(r: RowReader) -> Qualification | None:
    return r.build(Qualification, "module_id", instructor_id=r.ident("instructor_id"), module_id=r.ident("module_id"))


def _training(r: RowReader) -> Training | None:
    return r.build(
        Training,
        "cost",
        instructor_id=r.ident("instructor_id"),
        module_id=r.ident("module_id"),
        cost=r.whole("cost", 0),
    )


def _commitment(r: RowReader) -> Commitment | None:
    return r.build(
        Commitment,
        "hours",
        instructor_id=r.ident("instructor_id"),
        period=r.whole("period", 1),
        hours=r.whole("hours", 0),
    )


def _lab_commitment(r: RowReader) -> LabCommitment | None:
    return r.build(
        LabCommitment, "hours", lab_id=r.ident("lab_id"), period=r.whole("period", 1), hours=r.whole("hours", 0)
    )


READERS: dict[str, Callable[[RowReader], Any]] = {
    "sectors": _sector,
    "skills": _skill,
    "demands": _demand,
    "modules": _module,
    "module_skills": _module_skill,
    "prerequisites": _prerequisite,
    "instructors": _instructor,
    "qualifications": _qualification,
    "labs": _lab,
    "module_labs": _module_lab,
    "training": _training,
    "commitments": _commitment,
    "lab_commitments": _lab_commitment,
}


# --- checks across rows and tables -----------------------------------------------------------


def _missing_columns(table: Table, issues: list[Issue]) -> None:
    for column in COLUMNS[table.name]:
        if column not in table.columns:
            hint = _near(column, table.columns)
            issues.append(
                Issue(
                    table.label,
                    _("the header row has no column '{column}'{hint}.", column=column, hint=hint),
                    row=1,
                    column=column,
                )
            )


def _duplicates(table: Table, issues: list[Issue]) -> None:
    key = KEYS[table.name]
    if not key or any(column not in table.columns for column in key):
        return
    first_row: dict[tuple[str, ...], int] = {}
    for row in table.rows:
        values = tuple(row.cells[column] for column in key)
        if any(value.strip() == "" for value in values):
            continue
        if values not in first_row:
            first_row[values] = row.number
            continue
        named = _(" with ").join(
            _("{column} '{value}'", column=column, value=value) for column, value in zip(key, values, strict=True)
        )
        issues.append(
            Issue(
                table.label,
                _("{named} is already listed at row {first_row}.", named=named, first_row=first_row[values]),
                row=row.number,
                column=key[-1],
            )
        )


def _ids(table: Table | None, column: str) -> set[str] | None:
    """The ids a table defines, or None when they cannot be known (so references are not checked)."""
    if table is None or column not in table.columns:
        return None
    return {row.cells[column] for row in table.rows}


def _unknown_references(table: Table, tables: dict[str, Table], issues: list[Issue]) -> None:
    for (name, column), (target, target_column) in REFERENCES.items():
        if name != table.name or column not in table.columns:
            continue
        known = _ids(tables.get(target), target_column)
        if known is None:
            continue
        target_label = tables[target].label
        for row in table.rows:
            value = row.cells[column]
            # An id with spaces around it or invisible characters in it was reported where it was read.
            if value.strip() and value == value.strip() and _visible(value) == value and value not in known:
                issues.append(
                    Issue(
                        table.label,
                        _(
                            "there is no {target_column} '{value}' in {target_label}.",
                            target_column=target_column,
                            value=_clip(value),
                            target_label=target_label,
                        ),
                        row=row.number,
                        column=column,
                    )
                )


def _prerequisite_cycles(prerequisites: Iterable[Prerequisite], issues: list[Issue]) -> None:
    """Report each cycle found, in order (module -> its prerequisite -> ...), at its first link's row."""
    needs: dict[str, set[str]] = {}  # a set: a duplicated row must not report its cycle twice
    row_of: dict[tuple[str, str], Origin] = {}
    for p in prerequisites:
        needs.setdefault(p.module_id, set()).add(p.prerequisite_id)
        if p.origin is not None:
            row_of.setdefault((p.module_id, p.prerequisite_id), p.origin)
    for cycle in _cycles(needs):
        origin = row_of.get((cycle[0], cycle[1]))
        issues.append(
            Issue(
                origin.file if origin else "prerequisites",
                _("prerequisite cycle: {items} (each module requires the next one first).", items=" -> ".join(cycle)),
                row=origin.row if origin else None,
                column="prerequisite_id",
            )
        )


def _cycles(needs: dict[str, set[str]]) -> list[list[str]]:
    """Cycles closed by the back edges of a depth-first search (iterative: chains can be long)."""
    on_path: set[str] = set()
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in sorted(needs):
        if start in done:
            continue
        path = [start]
        pending = [iter(sorted(needs.get(start, ())))]
        on_path.add(start)
        while pending:
            following = next(pending[-1], None)
            if following is None:
                done.add(path[-1])
                on_path.discard(path.pop())
                pending.pop()
            elif following in on_path:
                cycles.append(path[path.index(following) :] + [following])
            elif following not in done:
                path.append(following)
                on_path.add(following)
                pending.append(iter(sorted(needs.get(following, ()))))
    return cycles


# --- the public entry point ------------------------------------------------------------------


def load_catalog(path: Path, campus: Path | None = None) -> Catalog:
    """Read and check the catalog at `path` (a folder of CSV files or an .xlsx workbook).

    With `campus`, a folder whose `instructors.csv`, `qualifications.csv`, `labs.csv` and `training.csv` (each
    optional) replace the catalog's tables of that name; a lab the campus lacks keeps its catalog
    name with capacity 0.

    Raises InputError listing every problem found, each with its file (or sheet), row and column.
    `Catalog.fingerprint` is the sha256 of the catalog's bytes: the workbook file, or the table
    CSV files concatenated in sorted name order (`cat *.csv | sha256sum` over those files); with a
    campus, the sha256 of that fingerprint followed by the campus's files' sha256.
    """
    path = Path(path)
    issues: list[Issue] = []
    tables, fingerprint = _read_source(path, issues)
    own: dict[str, Table] = {}
    if campus is not None:
        own, campus_print = _read_campus(Path(campus), issues)
        fingerprint = hashlib.sha256(f"{fingerprint}\n{campus_print}".encode()).hexdigest()
    merged = tables | own
    # module_labs names the catalog's labs, which a campus may lack (capacity 0 there).
    referenced = merged | ({"labs": tables["labs"]} if "labs" in tables else {})
    entities: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for name in COLUMNS:  # a fixed order, so issues come grouped by table
        if name in merged:
            entities[name] = _entities(merged[name], referenced, issues)
    replaced = "labs" in own and "labs" in tables
    catalog_labs = _entities(tables["labs"], referenced, issues) if replaced else entities["labs"]
    _listed_without(merged, "qualifications", "instructors", issues)
    _listed_without(referenced, "module_labs", "labs", issues)
    _listed_without(merged, "training", "instructors", issues)
    _listed_without(merged, "commitments", "instructors", issues)
    _listed_without(referenced, "lab_commitments", "labs", issues)
    known_modules = {m.module_id for m in entities["modules"]}
    _prerequisite_cycles(
        (p for p in entities["prerequisites"] if {p.module_id, p.prerequisite_id} <= known_modules), issues
    )
    if issues:
        raise InputError(issues)
    present = {lab.lab_id for lab in entities["labs"]}
    labs = (*entities["labs"], *(Lab(lab.lab_id, lab.name, 0) for lab in catalog_labs if lab.lab_id not in present))
    return Catalog(
        sectors=tuple(entities["sectors"]),
        skills=tuple(entities["skills"]),
        demands=tuple(entities["demands"]),
        modules=tuple(entities["modules"]),
        module_skills=tuple(entities["module_skills"]),
        prerequisites=tuple(entities["prerequisites"]),
        instructors=tuple(entities["instructors"]),
        qualifications=tuple(entities["qualifications"]),
        labs=labs,
        module_labs=tuple(entities["module_labs"]),
        training=tuple(entities["training"]),
        commitments=tuple(entities["commitments"]),
        lab_commitments=tuple(entities["lab_commitments"]),
        source=str(path),
        fingerprint=fingerprint,
        campus=str(campus) if campus is not None else None,
    )


def _entities(table: Table, referenced: dict[str, Table], issues: list[Issue]) -> list[Any]:
    """The rows of a table as entities, with every problem of its rows and references recorded."""
    _missing_columns(table, issues)
    entities = []
    for row in table.rows:
        entity = READERS[table.name](RowReader(table, row, issues))
        if entity is not None:
            entities.append(entity)
    _duplicates(table, issues)
    _unknown_references(table, referenced, issues)
    return entities


def _listed_without(tables: dict[str, Table], table: str, needed: str, issues: list[Issue]) -> None:
    """A table that refers to another table the catalog does not have (qualifications, no instructors)."""
    if table in tables and needed not in tables and tables[table].rows:
        issues.append(
            Issue(
                tables[table].label,
                _("{table} are listed, but the catalog has no {needed}.", table=table, needed=needed),
            )
        )


def _read_campus(folder: Path, issues: list[Issue]) -> tuple[dict[str, Table], str]:
    """A campus folder's roster and labs; the folder must exist, its files are each optional."""
    if not folder.is_dir():
        if folder.exists():
            message = _("the campus folder (scenario key campus) is a file, not a folder.")
        else:
            message = _("the campus folder (scenario key campus) does not exist.")
        raise InputError([Issue(str(folder), message)])
    try:
        return _read_folder(folder, issues, names=CAMPUS_TABLES, required=(), prefix=f"{folder.name}/")
    except OSError as exc:
        raise InputError(
            [Issue(str(folder), _("the campus folder cannot be read: {value}.", value=exc.strerror or exc))]
        ) from None


def _read_source(path: Path, issues: list[Issue]) -> tuple[dict[str, Table], str]:
    try:
        if path.is_dir():
            return _read_folder(path, issues)
        if not path.exists():
            raise InputError([Issue(str(path), _("the catalog does not exist (no such folder or file)."))])
        if path.suffix.lower() == ".xlsx":
            return _read_workbook(path, issues)
    except OSError as exc:
        raise InputError(
            [Issue(str(path), _("the catalog cannot be read: {value}.", value=exc.strerror or exc))]
        ) from None
    if path.suffix.lower() == ".csv":
        message = _("a catalog is the folder that holds the CSV files; give the folder, not one file.")
    else:
        message = _("a catalog must be a folder of CSV files or an .xlsx workbook.")
    raise InputError([Issue(str(path), message)])
