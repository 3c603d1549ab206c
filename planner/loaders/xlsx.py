"""Reading a catalog workbook (.xlsx) into tables, after checking that it is a safe, genuine workbook."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.loaders.files import read_bytes, refuse
from planner.loaders.schema import COLUMNS, REQUIRED_TABLES
from planner.loaders.tables import Table, make_table
from planner.loaders.text import near

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


def read_workbook(path: Path, issues: list[Issue]) -> tuple[dict[str, Table], str]:
    data = read_bytes(path, path.name)
    if data.startswith(_OLE2):
        raise refuse(path.name, _ole2_kind(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, path.name)
            check_kind(archive, path.name)
        tables, sheet_names = _read_sheets(data, path.name, issues)
    except InputError:
        raise
    except zipfile.BadZipFile:
        damaged = (
            _("it is damaged or cut short")
            if data.startswith(b"PK")
            else _("it is not a zip archive, as .xlsx files are")
        )
        raise refuse(path.name, _("this is not a readable .xlsx workbook: {damaged}.", damaged=damaged)) from None
    except Exception as exc:  # damaged files raise all kinds of errors in zipfile and openpyxl
        raise refuse(path.name, _("the workbook cannot be read: {exc}", exc=_first_line(exc))) from None
    for name in REQUIRED_TABLES:
        if name not in sheet_names:
            issues.append(
                Issue(
                    path.name,
                    _("the required sheet '{name}' is missing{value}.", name=name, value=near(name, sheet_names)),
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
            table = make_table(name, _("{file}, sheet {sheet}", file=file_name, sheet=name), lines, issues)
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
