"""Reading a catalog folder (or a campus folder) of CSV files into tables."""

from __future__ import annotations

import hashlib
from pathlib import Path

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.loaders.files import read_input
from planner.loaders.schema import OPTIONAL_TABLES, REQUIRED_TABLES
from planner.loaders.tables import Table, make_table
from planner.loaders.text import csv_lines, decode, near


def read_folder(
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
            data = read_input(present[file_name], label)
        except InputError as error:
            issues.extend(error.issues)
            continue
        digest.update(data)
        text = decode(data, label, issues)
        if text is None:
            continue
        lines = csv_lines(text, label, issues)
        if lines is None:
            continue
        table = make_table(file_name.removesuffix(".csv"), label, lines, issues)
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
                        value=near(f"{name}.csv", present),
                    ),
                )
            )
    return tables, digest.hexdigest()
