"""Checks across rows and tables: missing columns, duplicates, unknown ids, prerequisite cycles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.errors import Issue
from planner.i18n import _
from planner.loaders.clock import ROWS_BETWEEN_CHECKS, check_time
from planner.loaders.rows import READERS, RowReader
from planner.loaders.schema import COLUMNS, KEYS, REFERENCES
from planner.loaders.tables import Table
from planner.loaders.text import clip, near, visible
from planner.model import Origin, Prerequisite, Track, TrackModule


def missing_columns(table: Table, issues: list[Issue]) -> None:
    for column in COLUMNS[table.name]:
        if column not in table.columns:
            hint = near(column, table.columns)
            issues.append(
                Issue(
                    table.label,
                    _("the header row has no column '{column}'{hint}.", column=column, hint=hint),
                    row=1,
                    column=column,
                )
            )


def duplicates(table: Table, issues: list[Issue]) -> None:
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


def unknown_references(table: Table, tables: dict[str, Table], issues: list[Issue]) -> None:
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
            if value.strip() and value == value.strip() and visible(value) == value and value not in known:
                issues.append(
                    Issue(
                        table.label,
                        _(
                            "there is no {target_column} '{value}' in {target_label}.",
                            target_column=target_column,
                            value=clip(value),
                            target_label=target_label,
                        ),
                        row=row.number,
                        column=column,
                    )
                )


def prerequisite_cycles(prerequisites: Iterable[Prerequisite], issues: list[Issue]) -> None:
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


def table_entities(table: Table, referenced: dict[str, Table], issues: list[Issue]) -> list[Any]:
    """The rows of a table as entities, with every problem of its rows and references recorded."""
    missing_columns(table, issues)
    entities = []
    for count, row in enumerate(table.rows, start=1):
        entity = READERS[table.name](RowReader(table, row, issues))
        if entity is not None:
            entities.append(entity)
        if count % ROWS_BETWEEN_CHECKS == 0:
            check_time(table.label)
    duplicates(table, issues)
    unknown_references(table, referenced, issues)
    return entities


def listed_without(tables: dict[str, Table], table: str, needed: str, issues: list[Issue]) -> None:
    """A table that refers to another table the catalog does not have (qualifications, no instructors)."""
    if table in tables and needed not in tables and tables[table].rows:
        issues.append(
            Issue(
                tables[table].label,
                _("{table} are listed, but the catalog has no {needed}.", table=table, needed=needed),
            )
        )


def track_problems(
    tracks: list[Track], members: list[TrackModule], needs: list[Prerequisite], issues: list[Issue]
) -> None:
    """A module in two tracks, a track with no modules, a track module whose prerequisite is
    another track's (a student takes one track, so the prerequisite would never be there)."""
    track_of: dict[str, TrackModule] = {}
    for tm in members:
        first = track_of.setdefault(tm.module_id, tm)
        if first.track_id != tm.track_id:
            issues.append(
                _issue_at(
                    tm.origin,
                    "track_modules",
                    _(
                        "module {module_id} is already in track {first} (row {row}); a module belongs to at most one "
                        "track.",
                        module_id=tm.module_id,
                        first=first.track_id,
                        row=first.origin.row if first.origin else "?",
                    ),
                    "module_id",
                )
            )
    filled = {tm.track_id for tm in members}
    for track in tracks:
        if track.track_id not in filled:
            text = _("track {track_id} has no module in track_modules.", track_id=track.track_id)
            issues.append(_issue_at(track.origin, "tracks", text, "track_id"))
    for p in needs:
        mine, theirs = track_of.get(p.module_id), track_of.get(p.prerequisite_id)
        if mine is not None and theirs is not None and mine.track_id != theirs.track_id:
            text = _(
                "module {module_id} of track {track} needs {prerequisite_id} of track {other}, which its students "
                "do not take; move one of them to the other track or to the common core.",
                module_id=p.module_id,
                track=mine.track_id,
                prerequisite_id=p.prerequisite_id,
                other=theirs.track_id,
            )
            issues.append(_issue_at(p.origin, "prerequisites", text, "prerequisite_id"))


def _issue_at(origin: Origin | None, table: str, message: str, column: str) -> Issue:
    return Issue(origin.file if origin else table, message, row=origin.row if origin else None, column=column)
