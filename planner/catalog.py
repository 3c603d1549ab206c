"""Reading and checking a catalog: a folder of CSV files or one .xlsx workbook.

The parts live in planner/loaders/ (opening files, decoding text, reading workbooks, rows into
entities, checks across tables). Whatever the format, the files become `Table`s
(a header and rows of text cells, each row numbered as a spreadsheet user counts it), so every
check below runs the same way on CSV and Excel and nothing downstream knows which it was.

Every problem is collected before anything is refused: one `InputError` lists them all, each
naming the file (or sheet), row and column, so a curriculum designer can fix a catalog in one pass.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.loaders.campuses import campus_place
from planner.loaders.checks import listed_without, prerequisite_cycles, table_entities, track_problems
from planner.loaders.folder import read_folder
from planner.loaders.schema import CAMPUS_TABLES, COLUMNS
from planner.loaders.tables import Table
from planner.loaders.xlsx import read_workbook
from planner.model import Catalog, Lab

# --- the public entry point ------------------------------------------------------------------


def load_catalog(path: Path, campus: Path | None = None) -> Catalog:
    """Read and check the catalog at `path` (a folder of CSV files or an .xlsx workbook).

    With `campus`, a folder whose `instructors.csv`, `qualifications.csv`, `labs.csv`, `training.csv`,
    `commitments.csv` and `lab_commitments.csv` (each optional) replace the catalog's tables of that
    name; a lab the campus lacks keeps its catalog name with capacity 0.

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
            entities[name] = table_entities(merged[name], referenced, issues)
    replaced = "labs" in own and "labs" in tables
    catalog_labs = table_entities(tables["labs"], referenced, issues) if replaced else entities["labs"]
    listed_without(merged, "qualifications", "instructors", issues)
    listed_without(referenced, "module_labs", "labs", issues)
    listed_without(merged, "training", "instructors", issues)
    listed_without(merged, "commitments", "instructors", issues)
    listed_without(referenced, "lab_commitments", "labs", issues)
    listed_without(merged, "track_modules", "tracks", issues)
    track_problems(entities["tracks"], entities["track_modules"], entities["prerequisites"], issues)
    known_modules = {m.module_id for m in entities["modules"]}
    prerequisite_cycles(
        (p for p in entities["prerequisites"] if {p.module_id, p.prerequisite_id} <= known_modules), issues
    )
    if issues:
        raise InputError(issues)
    present = {lab.lab_id for lab in entities["labs"]}
    labs = (*entities["labs"], *(Lab(lab.lab_id, lab.name, 0) for lab in catalog_labs if lab.lab_id not in present))
    place = campus_place(Path(campus) if campus is not None else None)
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
        tracks=tuple(entities["tracks"]),
        track_modules=tuple(entities["track_modules"]),
        source=str(path),
        fingerprint=fingerprint,
        campus=str(campus) if campus is not None else None,
        campus_name=place["campus_name"],
        campus_state=place["state"],
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
        return read_folder(folder, issues, names=CAMPUS_TABLES, required=(), prefix=f"{folder.name}/")
    except OSError as exc:
        raise InputError(
            [Issue(str(folder), _("the campus folder cannot be read: {value}.", value=exc.strerror or exc))]
        ) from None


def _read_source(path: Path, issues: list[Issue]) -> tuple[dict[str, Table], str]:
    try:
        if path.is_dir():
            return read_folder(path, issues)
        if not path.exists():
            raise InputError([Issue(str(path), _("the catalog does not exist (no such folder or file)."))])
        if path.suffix.lower() == ".xlsx":
            return read_workbook(path, issues)
    except OSError as exc:
        raise InputError(
            [Issue(str(path), _("the catalog cannot be read: {value}.", value=exc.strerror or exc))]
        ) from None
    if path.suffix.lower() == ".csv":
        message = _("a catalog is the folder that holds the CSV files; give the folder, not one file.")
    else:
        message = _("a catalog must be a folder of CSV files or an .xlsx workbook.")
    raise InputError([Issue(str(path), message)])
