"""The campus's own identity (name and state) from `campuses.csv` beside its folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from planner.errors import InputError
from planner.loaders.files import read_input


def campus_place(folder: Path | None) -> dict[str, str]:
    """The campus's id, name and state from campuses.csv beside its folder ("" when not listed)."""
    if folder is None:
        return {"campus_id": "", "campus_name": "", "state": ""}
    place = {"campus_id": folder.name, "campus_name": "", "state": ""}
    try:
        text = read_input(folder.parent / "campuses.csv", "campuses.csv").decode("utf-8-sig")
        with io.StringIO(text, newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("campus_id") == folder.name:
                    place.update(campus_name=row.get("name") or "", state=row.get("state") or "")
    except (InputError, UnicodeDecodeError, csv.Error):
        pass  # the state is a label of the national workbook, not an input of the plan
    return place
