"""National rollout outputs: each campus's files (as `planner plan` writes them) and the national workbook.

Workers render a campus's workbook and plan file to bytes (`campus_files`); the client writes them
as each campus finishes (`write_campus_files`), so an interruption loses no finished campus. The
national workbook sums the campuses' summaries, which travel in each plan file (`rollout_summary`)
so that a resumed run can still show the campuses it skipped.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import planner
from planner.export import styles
from planner.export.cells import add_bar_chart, stand_upright, write_line, write_table
from planner.export.files import write_together
from planner.export.labels import status_name
from planner.export.plan_file import plan_document
from planner.export.printing import chart_page, header_on_every_page, print_ready
from planner.export.workbook import build_workbook
from planner.i18n import _
from planner.model import Module
from planner.result import PlanResult

# The national workbook says it is ours in its core properties, so a rerun may replace it.
NATIONAL_MARKER = "planner-national-rollout"
PERCENT_WIDTH = 6  # characters: "100 %"


@dataclass(frozen=True)
class CampusRow:
    """One campus in the national workbook: where it is, what became of it, and its summary."""

    key: str
    campus_id: str
    campus_name: str
    state: str
    status: str  # planned | skipped | failed
    reason: str = ""
    summary: Mapping[str, Any] = field(default_factory=dict, hash=False)


# --- one campus ---------------------------------------------------------------------------------


def campus_files(result: PlanResult, extra: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """The campus's workbook and plan file as bytes; `extra` keys (inputs fingerprint, options,
    summary) are added to the plan file so a rerun can tell whether it is current."""
    buffer = io.BytesIO()
    build_workbook(result).save(buffer)
    document = {**plan_document(result), **extra}
    return buffer.getvalue(), (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_campus_files(workbook: Path, plan_file: Path, data: tuple[bytes, bytes], force: bool) -> None:
    """Both files of one campus, atomically and together (see files.py)."""
    book, plan = data
    write_together([(workbook, lambda h: h.write(book)), (plan_file, lambda h: h.write(plan))], force)


def campus_summary(result: PlanResult) -> dict[str, Any]:
    """What the national workbook needs of one campus, as JSON-able data."""
    problem = result.problem
    catalog = problem.catalog
    proposed = [
        {"module_id": p.module_id, "name": catalog.module_by_id[p.module_id].name}
        for p in sorted(result.placements, key=lambda p: p.module_id)
        if catalog.module_by_id[p.module_id].extra.get("status", "").strip().lower() == "proposed"
    ]
    return {
        "scenario": problem.scenario.name,
        "status": result.status.value,
        "cost": result.objectives["cost"],
        "coverage_score": result.objectives["coverage"],
        "max_coverage": result.max_coverage,
        "sectors": [
            {
                "sector_id": s.sector_id,
                "covered_importance": s.covered_importance,
                "total_importance": s.total_importance,
                "coverage": float(s.ratio),
                "met": s.met,
            }
            for s in result.sector_coverage
        ],
        "proposed_modules": proposed,
        "tracks": list(result.tracks),
        **_staffing_needs(result),
    }


def _staffing_needs(result: PlanResult) -> dict[str, list[dict[str, Any]]]:
    """Uncovered demands that training would open (no instructor of the campus is qualified for
    any module teaching them) and those short of staff (qualified instructors, no free hours)."""
    problem = result.problem
    spare = {  # the least free hours over the periods: the cap less commitments and the plan's hours
        ld.instructor_id: ld.capacity - max((ld.total_in(p) for p in range(len(ld.hours_per_period))), default=0)
        for ld in result.instructor_loads
    }
    training, shortage = [], []
    for row, cov in zip(problem.demand_rows, result.demand_coverage, strict=True):
        if cov.covered or not row.covering or not problem.instructors:
            continue
        demand = row.demand
        need = {"sector_id": demand.sector_id, "skill_id": demand.skill_id, "importance": demand.importance}
        untaught = [i for i in row.covering if not problem.qualified[i]]
        if len(untaught) == len(row.covering):
            module = min(untaught, key=lambda i: (problem.candidates[i].hours, i))
            training.append({**need, **_module(problem.candidates[module])})
            continue
        full = [
            i
            for i in row.covering
            if problem.qualified[i]
            and all(spare.get(problem.instructors[k].instructor_id, 0) < problem.hours[i] for k in problem.qualified[i])
        ]
        if len(full) + len(untaught) == len(row.covering):
            module = min(full, key=lambda i: (problem.candidates[i].hours, i))
            shortage.append({**need, **_module(problem.candidates[module])})
    return {"training_needs": training, "instructor_shortages": shortage}


def _module(module: Module) -> dict[str, str]:
    return {"module_id": module.module_id, "module_name": module.name}


# --- the national workbook ----------------------------------------------------------------------


def write_national(path: Path, title: str, rows: Sequence[CampusRow], force: bool) -> None:
    """The national workbook, atomically; `force` replaces the one a previous run wrote."""
    book = build_national(title, rows)
    write_together([(path, book.save)], force)


def build_national(title: str, rows: Sequence[CampusRow]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for sheet in (_campuses_sheet, _states_sheet, _modules_sheet, _training_sheet, _shortages_sheet):
        ws = book.create_sheet()
        sheet(ws, title, rows)
        print_ready(ws)
    book.properties.creator = f"planner {planner.__version__}"
    book.properties.keywords = NATIONAL_MARKER
    book.properties.title = title
    return book


def _sectors(rows: Sequence[CampusRow]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for s in row.summary.get("sectors", ()):
            seen.setdefault(s["sector_id"], None)
    return list(seen)


def _status_word(status: str) -> str:
    from planner.words.batch import status_word

    return status_word(status)


def _campuses_sheet(ws: Worksheet, title: str, rows: Sequence[CampusRow]) -> None:
    ws.title = _("Campuses")
    sectors = _sectors(rows)
    top = write_line(ws, 1, title, styles.TITLE)
    planned = sum(1 for r in rows if r.status != "failed")
    top = write_line(ws, top, _("{planned} of {total} campuses have a plan.", planned=planned, total=len(rows)))
    headers = [_("Campus"), _("Name"), _("State (of Mexico)"), _("Planning"), _("Plan status"), _("Staffing cost")]
    headers += [_("Coverage {sector}", sector=s) for s in sectors] + [_("Tracks offered"), _("Reason")]
    table = []
    for r in rows:
        by_sector = {s["sector_id"]: s["coverage"] for s in r.summary.get("sectors", ())}
        table.append(
            [r.key, r.campus_name, r.state, _status_word(r.status)]
            + [status_name(r.summary.get("status")), r.summary.get("cost")]
            + [by_sector.get(s) for s in sectors]
            + [", ".join(r.summary.get("tracks", ())) or None, r.reason or None]
        )
    formats = {_("Staffing cost"): styles.MONEY} | {_("Coverage {sector}", sector=s): styles.PERCENT for s in sectors}
    write_table(ws, top + 1, 1, headers, table, "Campuses", formats)
    # Sector columns upright and narrow: the table then prints one page wide for a few sectors
    # (printed across pages, the repeated campus column cut the sheet's title on every other page).
    first = len(headers) - len(sectors) - 1
    stand_upright(ws, top + 1, first, first + len(sectors) - 1)
    for column in range(first, first + len(sectors)):
        ws.column_dimensions[get_column_letter(column)].width = PERCENT_WIDTH
    header_on_every_page(ws, top + 1)


def _states_sheet(ws: Worksheet, title: str, rows: Sequence[CampusRow]) -> None:
    """Sector x state coverage: importance covered over importance demanded, planned campuses only."""
    ws.title = _("Coverage by state")
    sectors = _sectors(rows)
    covered: dict[tuple[str, str], int] = defaultdict(int)
    total: dict[tuple[str, str], int] = defaultdict(int)
    states: dict[str, None] = {}
    for r in rows:
        if r.status == "failed":
            continue
        state = r.state or _("(no state)")
        states.setdefault(state, None)
        for s in r.summary.get("sectors", ()):
            covered[state, s["sector_id"]] += s["covered_importance"]
            total[state, s["sector_id"]] += s["total_importance"]
    top = write_line(ws, 1, _("Coverage by state and sector"), styles.TITLE)
    top = write_line(
        ws,
        top,
        _(
            "Importance of the demands covered over the importance demanded, "
            "summed over the planned campuses of each state."
        ),
    )
    headers = [_("State (of Mexico)")] + sectors + [_("All sectors")]
    table = []
    for state in sorted(states):
        cells = [covered[state, s] / total[state, s] if total[state, s] else None for s in sectors]
        all_total = sum(total[state, s] for s in sectors)
        table.append([state, *cells, sum(covered[state, s] for s in sectors) / all_total if all_total else None])
    header_row = top + 1
    formats = {h: styles.PERCENT for h in headers[1:]}
    end = write_table(
        ws, header_row, 1, headers, table, "StateCoverage", formats, none_text=_("No campus was planned.")
    )
    chart_page(ws, end + 2)
    add_bar_chart(
        ws,
        title=_("Coverage by state"),
        header_row=header_row,
        last_row=header_row + len(table),
        category_column=1,
        value_columns=[len(headers)],
        anchor=f"A{end + 2}",
        axis_title=_("Coverage"),
        percent=True,
        horizontal=True,
    )


def _modules_sheet(ws: Worksheet, title: str, rows: Sequence[CampusRow]) -> None:
    ws.title = _("Modules to develop")
    campuses: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in rows:
        for m in r.summary.get("proposed_modules", ()) if r.status != "failed" else ():
            campuses[m["module_id"]].append(r.key)
            names[m["module_id"]] = m["name"]
    top = write_line(ws, 1, _("Proposed modules to develop"), styles.TITLE)
    note = _("Modules the catalog marks as proposed (not yet at CONALEP), taken by the plan of at least one campus.")
    top = write_line(ws, top, note)
    table = [
        [m, names[m], len(keys), ", ".join(keys)]
        for m, keys in sorted(campuses.items(), key=lambda x: (-len(x[1]), x[0]))
    ]
    headers = [_("Module ID"), _("Module"), _("Campuses"), _("Which campuses")]
    write_table(ws, top + 1, 1, headers, table, "ModulesToDevelop", none_text=_("No plan takes a proposed module."))
    header_on_every_page(ws, top + 1)


def _training_sheet(ws: Worksheet, title: str, rows: Sequence[CampusRow]) -> None:
    ws.title = _("Training needs")
    top = write_line(ws, 1, _("Training needs"), styles.TITLE)
    top = write_line(
        ws,
        top,
        _("Uncovered demands for which no instructor of the campus is qualified to teach any module that covers them."),
    )
    _needs_table(ws, top + 1, rows, "training_needs", "TrainingNeeds", _("No training need."))
    header_on_every_page(ws, top + 1)


def _shortages_sheet(ws: Worksheet, title: str, rows: Sequence[CampusRow]) -> None:
    ws.title = _("Instructor shortages")
    top = write_line(ws, 1, _("Instructor shortages"), styles.TITLE)
    top = write_line(ws, top, _("Uncovered demands whose qualified instructors have no free hours left."))
    _needs_table(ws, top + 1, rows, "instructor_shortages", "Shortages", _("No instructor shortage."))
    header_on_every_page(ws, top + 1)


def _needs_table(ws: Worksheet, top: int, rows: Sequence[CampusRow], key: str, name: str, none_text: str) -> int:
    """Needs summed over campuses, one row per module: campuses, demands and their importance."""
    campuses: dict[str, set[str]] = defaultdict(set)
    demands: dict[str, int] = defaultdict(int)
    importance: dict[str, int] = defaultdict(int)
    skills: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for r in rows:
        for need in r.summary.get(key, ()) if r.status != "failed" else ():
            m = need["module_id"]
            names.setdefault(m, need.get("module_name", ""))  # plan files before 2026-12-08 lack it
            campuses[m].add(r.key)
            demands[m] += 1
            importance[m] += need["importance"]
            skills[m].add(need["skill_id"])
    table = [
        [m, names[m] or None, len(campuses[m]), demands[m], importance[m]]
        + [", ".join(sorted(skills[m])), ", ".join(sorted(campuses[m]))]
        for m in sorted(campuses, key=lambda m: (-importance[m], m))
    ]
    headers = [_("Module ID"), _("Module"), _("Campuses"), _("Uncovered demands"), _("Importance"), _("Skills")]
    headers.append(_("Which campuses"))
    return write_table(ws, top, 1, headers, table, name, none_text=none_text)
