"""Trayectos técnicos in the workbook: coverage per student path and sector on the Summary.

Only plans of a scenario with `[tracks]` have paths; without, nothing is written.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from planner.export import styles
from planner.export.cells import flag_no, write_line, write_table
from planner.i18n import _
from planner.result import PlanResult


def track_names(result: PlanResult) -> dict[str, str]:
    """Track id -> its name, for the tracks of the catalog."""
    return {t.track_id: t.name for t in result.problem.catalog.tracks}


def paths_table(ws: Worksheet, row: int, result: PlanResult, yes_no: tuple[str, str]) -> int:
    """Per offered path (the common core and one track) and sector: covered share against the
    floor, which holds on every path; then the path's hours. Returns the next free row."""
    if not result.problem.has_tracks:
        return row
    problem = result.problem
    names = track_names(result)
    totals = {s.sector_id: s.total_importance for s in result.sector_coverage}
    row = write_line(ws, row + 1, _("Coverage per student path (common core + one track)"), styles.HEADING)
    top = row
    rows = [
        (
            path.track_id,
            names.get(path.track_id or "", ""),
            sector_id,
            covered,
            totals[sector_id],
            covered / totals[sector_id] if totals[sector_id] else 1.0,
            float(problem.min_coverage[k]),
            yes_no[0] if not totals[sector_id] or covered / totals[sector_id] >= problem.min_coverage[k] else yes_no[1],
            path.total_hours,
            max(path.term_hours, default=0),
        )
        for path in result.paths
        for k, (sector_id, covered) in enumerate(zip(problem.sector_ids, path.covered, strict=True))
    ]
    headers = (
        _("Track"),
        _("Track name"),
        _("Sector ID"),
        _("Covered importance"),
        _("Total importance"),
        _("Coverage %"),
        _("Required %"),
        _("Met"),
        _("Path hours"),
        _("Heaviest term (h)"),
    )
    formats = {_("Coverage %"): styles.PERCENT, _("Required %"): styles.PERCENT}
    formats |= {_("Path hours"): styles.HOURS, _("Heaviest term (h)"): styles.HOURS}
    row = write_table(ws, row, 1, headers, rows, "PathCoverage", formats)
    flag_no(ws, top + 1, top + len(rows), 8, yes_no[1])
    return row
