"""The compare workbook: plans side by side (objectives, coverage per sector with a chart, modules
added, removed or moved against the first plan, instructor loads per period, cost)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.compare import PlanSummary
from planner.export import styles
from planner.export.cells import add_bar_chart, write_line, write_table
from planner.export.files import write_atomically
from planner.export.labels import period_named, status_name
from planner.export.printing import chart_page, header_on_every_page, print_ready
from planner.i18n import _
from planner.words import review as words


def write_compare_workbook(plans: list[PlanSummary], path: Path, force: bool = False) -> None:
    """Write the comparison; refuses to overwrite unless `force`."""
    workbook = build_compare_workbook(plans)
    write_atomically(Path(path), workbook.save, force)


def build_compare_workbook(plans: list[PlanSummary]) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for write_sheet in (_summary_sheet, _coverage_sheet, _modules_sheet, _loads_sheet):
        ws = workbook.create_sheet()
        write_sheet(ws, plans)
        print_ready(ws)
    return workbook


def _summary_sheet(ws: Worksheet, plans: list[PlanSummary]) -> None:
    ws.title = words.compare_title()
    row = write_line(ws, 1, words.compare_heading(len(plans)), styles.TITLE)
    if len({p.scenario for p in plans}) > 1:
        row = write_line(ws, row, words.different_scenarios(), styles.ALERT)
    if len({p.catalog_fingerprint for p in plans}) > 1:
        row = write_line(ws, row, words.different_catalogs(), styles.ALERT)
    plan_rows = [(p.name, p.scenario, status_name(p.status), p.catalog_fingerprint[:12]) for p in plans]
    row = write_table(ws, row + 1, 1, words.plans_headers(), plan_rows, "Plans")
    row = _tracks_table(ws, row, plans)
    names = sorted({k for p in plans for k in p.objectives}, key=_objective_order)
    rows = [(words.objective_name(k), *(p.objectives.get(k) for p in plans)) for k in names]
    headers = (words.objective_header(), *(p.name for p in plans))
    write_table(ws, row + 1, 1, headers, rows, "Objectives", dict.fromkeys(headers[1:], styles.COUNT))
    if "cost" in names:  # the staffing cost is money
        cost_row = row + 2 + names.index("cost")
        for column in range(2, 2 + len(plans)):
            ws.cell(row=cost_row, column=column).number_format = styles.MONEY


def _tracks_table(ws: Worksheet, row: int, plans: list[PlanSummary]) -> int:
    """Which trayectos técnicos each plan offers, when any plan offers some."""
    if not any(p.tracks for p in plans):
        return row
    rows = [(p.name, ", ".join(p.tracks) or "-") for p in plans]
    return write_table(ws, row + 1, 1, (_("Plan file"), _("Tracks offered")), rows, "Tracks")


def _objective_order(name: str) -> tuple[int, str]:
    order = ("coverage", "hours", "balance", "cost", "changes")
    return (order.index(name) if name in order else len(order), name)


def _coverage_sheet(ws: Worksheet, plans: list[PlanSummary]) -> None:
    ws.title = words.coverage_title()
    sectors = sorted({s for p in plans for s in p.coverage})
    rows = [(s, *(p.coverage.get(s) for p in plans)) for s in sectors]
    headers = (words.sector_header(), *(p.name for p in plans))
    end = write_table(ws, 1, 1, headers, rows, "CoverageBySector", {p.name: styles.PERCENT for p in plans})
    if rows:
        chart_page(ws, end + 1)
        add_bar_chart(
            ws,
            title=words.coverage_title(),
            header_row=1,
            last_row=1 + len(rows),
            category_column=1,
            value_columns=tuple(range(2, 2 + len(plans))),
            anchor=f"A{end + 1}",
            axis_title=words.coverage_axis(),
            percent=True,
        )


def _modules_sheet(ws: Worksheet, plans: list[PlanSummary]) -> None:
    """Each module's term in every plan, and what each plan did with it against the first."""
    ws.title = words.modules_title()
    first = plans[0].modules
    modules = sorted({m for p in plans for m in p.modules})
    names = {k: v for p in plans for k, v in p.names.items()}
    rows = []
    for m in modules:
        terms = [p.modules.get(m) for p in plans]
        kinds = [words.compare_kind(first.get(m), t) for t in terms[1:]]
        rows.append((m, names.get(m), *terms, *kinds))
    headers = (
        words.module_header(),
        words.module_name_header(),
        *(p.name for p in plans),
        *(words.against_first(p.name) for p in plans[1:]),
    )
    centred = {p.name: styles.CENTER for p in plans}
    write_table(ws, 1, 1, headers, rows, "ModulesCompared", none_text=words.no_modules(), align=centred)
    header_on_every_page(ws, 1)


def _loads_sheet(ws: Worksheet, plans: list[PlanSummary]) -> None:
    ws.title = words.loads_title()
    instructors = sorted({k for p in plans for k in p.loads})
    periods = max((len(h) for p in plans for h in p.loads.values()), default=0)
    names = {k: v for p in plans for k, v in p.names.items()}
    rows = [
        (k, names.get(k), _period(plans[0], n), *(_hours(p.loads.get(k), n) for p in plans))
        for k in instructors
        for n in range(periods)
    ]
    headers = (
        words.instructor_header(),
        words.instructor_name_header(),
        words.period_header(),
        *(p.name for p in plans),
    )
    formats = dict.fromkeys((p.name for p in plans), styles.HOURS)
    write_table(ws, 1, 1, headers, rows, "LoadsCompared", formats, words.no_loads())
    header_on_every_page(ws, 1)


def _period(plan: PlanSummary, n: int) -> str:
    """The period's name as the plan workbooks give it, when the plan file records its calendar."""
    if plan.intake and n < len(plan.periods):
        return period_named(plan.intake, n, plan.periods[n])
    return words.period_label(n + 1)


def _hours(loads: tuple[int, ...] | None, n: int) -> int:
    return loads[n] if loads is not None and n < len(loads) else 0
