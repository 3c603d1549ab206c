"""Reading a reviewed workbook back (`planner plan --review`): a loader, like catalog.py.

The workbook must be a planner export (its very hidden marker sheet) of the same catalog (the
catalog fingerprint it records). Its Plan sheet is read by the pinned headers, in Spanish or
English, as edited: every row is part of the reviewed plan; the Decision column holds the
decisions. Every problem is reported with sheet, row and column, all at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.loaders.clock import ROWS_BETWEEN_CHECKS, check_time
from planner.loaders.text import clip
from planner.loaders.workbooks import Sheets, read_sheets
from planner.model import Catalog, Scenario
from planner.review_plan import (
    DECISION_WORDS,
    DROP,
    LOCK,
    MARKER,
    MARKER_SHEET,
    PLAN_HEADERS,
    Review,
    ReviewRow,
    TrackDecision,
)

PLAN_SHEET = "Plan"


def load_review(path: Path, catalog: Catalog, scenario: Scenario) -> Review:
    """The reviewed plan and its decisions, checked against the catalog and the scenario.

    Raises InputError naming sheet, row and column for each problem found.
    """
    path = Path(path)
    sheets = read_sheets(path, path.name, wanted=(MARKER_SHEET, PLAN_SHEET))
    issues = _marker_issues(path.name, sheets, catalog)
    if issues:
        raise InputError(issues)  # another file or catalog: its rows mean nothing here
    if PLAN_SHEET not in sheets.rows:
        raise InputError([Issue(path.name, _("the sheet {sheet} is missing.", sheet=PLAN_SHEET))])
    where = f"{path.name}, sheet {PLAN_SHEET}"
    lines = sheets.rows[PLAN_SHEET]
    columns = _columns(lines[0] if lines else (), where, issues)
    if issues:
        raise InputError(issues)
    tracks: list[TrackDecision] = []
    rows = _rows(lines, columns, where, (catalog, scenario, tracks), issues)
    issues.extend(_contradictions(rows, columns, where))
    issues.extend(_track_contradictions(tracks, columns, where))
    if issues:
        raise InputError(issues)
    return Review(tuple(rows), file=path.name, sheet=PLAN_SHEET, tracks=tuple(tracks))


def _marker_issues(file: str, sheets: Sheets, catalog: Catalog) -> list[Issue]:
    where = f"{file}, sheet {MARKER_SHEET}"
    marker = sheets.rows.get(MARKER_SHEET, [])
    if _value(marker, 1, 2) != MARKER:
        return [
            Issue(
                where,
                _(
                    "this workbook was not written by planner (its marker is missing); "
                    "review the workbook that planner plan wrote."
                ),
                row=1,
                column="B",
            )
        ]
    written_for = str(_value(marker, 2, 2) or "")
    if written_for != catalog.fingerprint:
        return [
            Issue(
                where,
                _(
                    "this workbook was made for another catalog (fingerprint {theirs}, this catalog's is {ours}); "
                    "review a workbook planned with this catalog.",
                    theirs=written_for[:12] or "-",
                    ours=catalog.fingerprint[:12] or "-",
                ),
                row=2,
                column="B",
            )
        ]
    return []


def _value(lines: list[tuple[Any, ...]], row: int, column: int) -> Any:
    """The value at a spreadsheet row and column (both from 1), None where the sheet has none."""
    if row > len(lines) or column > len(lines[row - 1]):
        return None
    return lines[row - 1][column - 1]


def _columns(header: tuple[Any, ...], where: str, issues: list[Issue]) -> dict[str, tuple[int, str]]:
    """Pinned key -> (column number, header as written), from the header row in either language."""
    found: dict[str, tuple[int, str]] = {}
    for number, value in enumerate(header, start=1):
        text = str(value).strip() if value is not None else ""
        for key, names in PLAN_HEADERS.items():
            if text in names and key not in found:
                found[key] = (number, text)
    for key, names in PLAN_HEADERS.items():
        if key not in found:
            issues.append(Issue(where, _("the column {names} is missing.", names=" / ".join(names)), row=1))
    return found


def _rows(
    lines: list[tuple[Any, ...]],
    columns: dict[str, tuple[int, str]],
    where: str,
    inputs: tuple[Catalog, Scenario, list[TrackDecision]],
    issues: list[Issue],
) -> list[ReviewRow]:
    """The module rows; rows naming a track go to `inputs`' list of track decisions."""
    catalog, scenario, tracks = inputs
    track_ids = {t.track_id for t in catalog.tracks} - set(catalog.module_by_id)
    rows = []
    for r in range(2, len(lines) + 1):
        if r % ROWS_BETWEEN_CHECKS == 0:
            check_time(where)
        cells = {key: _value(lines, r, column) for key, (column, _h) in columns.items()}
        text = {key: "" if v is None else str(v).strip() for key, v in cells.items()}
        if not any(text.values()):
            continue  # a blank row, or room left for added rows
        if text["module_id"] in track_ids:
            _track_row(r, text["module_id"], text["decision"], tracks, columns, where, issues)
            continue
        row = _row(r, cells, text, columns, where, catalog, scenario, issues)
        if row is not None:
            rows.append(row)
    return rows


def _row(
    r: int,
    cells: dict[str, Any],
    text: dict[str, str],
    columns: dict[str, tuple[int, str]],
    where: str,
    catalog: Catalog,
    scenario: Scenario,
    issues: list[Issue],
) -> ReviewRow | None:
    """One row of the Plan sheet, or None with its problems added to `issues`."""

    def issue(key: str, message: str) -> None:
        issues.append(Issue(where, message, row=r, column=columns[key][1]))

    before = len(issues)
    module_id, instructor_id = text["module_id"], text["instructor_id"] or None
    if not module_id:
        issue("module_id", _("the module id is empty."))
    elif module_id not in catalog.module_by_id:
        issue("module_id", _("module '{module}' is not in the catalog.", module=clip(module_id)))
    term = _whole(cells["term"])
    if term is None:
        issue("term", _("'{value}' is not a term number.", value=clip(text["term"])))
    elif not 1 <= term <= scenario.terms:
        issue("term", _("term {term} is outside 1..{terms}.", term=term, terms=scenario.terms))
    if instructor_id is not None and instructor_id not in catalog.instructor_by_id:
        issue("instructor_id", _("instructor '{instructor}' is not in the catalog.", instructor=clip(instructor_id)))
    decision = DECISION_WORDS.get(text["decision"].casefold()) if text["decision"] else None
    if text["decision"] and decision is None:
        issue(
            "decision",
            _("'{value}' is not a decision: write fijar or quitar (lock or drop).", value=clip(text["decision"])),
        )
    if len(issues) > before or term is None:
        return None
    return ReviewRow(r, module_id, term, instructor_id, decision)


_TERM = re.compile(r"[0-9]{1,6}")  # ASCII digits only: '³' is a digit to str.isdigit, not to int


def _track_row(
    row: int,
    track_id: str,
    written: str,
    tracks: list[TrackDecision],
    columns: dict[str, tuple[int, str]],
    where: str,
    issues: list[Issue],
) -> None:
    """A row naming a track: its decision (fijar or quitar) is all it says; term and teacher are ignored."""
    decision = DECISION_WORDS.get(written.casefold()) if written else None
    if decision is None:
        text = _(
            "'{value}' is not a decision for track {track}: write fijar or quitar (lock or drop).",
            value=clip(written),
            track=track_id,
        )
        issues.append(Issue(where, text, row=row, column=columns["decision"][1]))
        return
    tracks.append(TrackDecision(row, track_id, decision))


def _track_contradictions(tracks: list[TrackDecision], columns: dict[str, tuple[int, str]], where: str) -> list[Issue]:
    first: dict[str, TrackDecision] = {}
    issues = []
    for d in tracks:
        earlier = first.setdefault(d.track_id, d)
        if earlier.decision != d.decision:
            text = _(
                "track {track} is both locked and dropped (rows {first} and {second}).",
                track=d.track_id,
                first=earlier.row,
                second=d.row,
            )
            issues.append(Issue(where, text, row=d.row, column=columns["decision"][1]))
    return issues


def _whole(value: Any) -> int | None:
    """A term as typed: 3, 3.0 or "3"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _TERM.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _contradictions(rows: list[ReviewRow], columns: dict[str, tuple[int, str]], where: str) -> list[Issue]:
    """Both decisions on one module, or a module locked in two terms: the later row is named."""
    issues = []
    first_lock: dict[str, ReviewRow] = {}
    first_drop: dict[str, ReviewRow] = {}
    for r in rows:
        if r.decision == LOCK:
            other = first_drop.get(r.module_id)
            earlier = first_lock.setdefault(r.module_id, r)
            if earlier.term != r.term:
                issues.append(
                    Issue(
                        where,
                        _(
                            "{module} is locked in term {term} here and in term {other} on row {row}.",
                            module=r.module_id,
                            term=r.term,
                            other=earlier.term,
                            row=earlier.row,
                        ),
                        row=r.row,
                        column=columns["term"][1],
                    )
                )
        else:
            if r.decision == DROP:
                first_drop.setdefault(r.module_id, r)
            other = first_lock.get(r.module_id) if r.decision == DROP else None
        if other is not None:
            issues.append(
                Issue(
                    where,
                    _(
                        "{module} is both locked and dropped (rows {first} and {second}).",
                        module=r.module_id,
                        first=other.row,
                        second=r.row,
                    ),
                    row=r.row,
                    column=columns["decision"][1],
                )
            )
    return issues
