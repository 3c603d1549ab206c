"""The Mapa curricular as CONALEP prints its maps: one column per semester, rows in bands.

Bands are named at the left: núcleo de formación básica, núcleo de formación profesional (and the
propedéutico where the catalog has one); then one band per offered trayecto técnico, named.
Each cell holds a module's code, name, hours per week and credits; proposed and assumed modules
are marked and explained in a legend. Per semester, the totals of weekly hours
and credits; then the plan's totals. The band of a module is the catalog's `nucleo` column
(`básica`, `profesional`, `propedéutica`); a blank or missing `nucleo` counts as profesional.
A semester's totals are a student's: the common core and one trayecto (the heaviest that semester),
as CONALEP's maps count a trayecto once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from planner.export import styles
from planner.export.cells import put, write_line
from planner.export.printing import chars_per_line, line_count, set_up_page, wrap_lines
from planner.i18n import _
from planner.model import Module, per_week
from planner.result import PlanResult

COLUMN_WIDTH = 21  # characters (11-point units): six semesters and the band names fit letter width at 100 %
BAND_WIDTH = 6
CELL_FONT = Font(name=styles.FONT_NAME, size=9)
CELL_POINTS = 12  # one line of 9-point text
BAND_NAME = Alignment(text_rotation=90, wrap_text=True, horizontal="center", vertical="center")
PROPOSED_FILL = PatternFill(fill_type="solid", start_color="FFF2CC", end_color="FFF2CC")
BAND_FILL = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
BANDS = ("básica", "profesional", "propedéutica")
TRACK_BAND = "track:"  # a band key: the prefix, then the track id
PROPOSED_MARK = "(P)"
ASSUMED_MARK = "*"


def band_of(module: Module) -> str:
    """The núcleo de formación of a module, one of BANDS (blank or unknown: profesional)."""
    nucleo = (module.extra.get("nucleo") or "").strip().casefold()
    plain = nucleo.replace("á", "a").replace("é", "e")
    for band in BANDS:
        if plain.startswith(band.replace("á", "a").replace("é", "e")[:5]):
            return band
    return "profesional"


def band_name(band: str, result: PlanResult | None = None) -> str:
    if band.startswith(TRACK_BAND) and result is not None:
        track_id = band.removeprefix(TRACK_BAND)
        names_of = {t.track_id: t.name for t in result.problem.catalog.tracks}
        return _("Technical track: {name}", name=names_of.get(track_id, track_id))
    names = {
        "básica": _("Basic training core"),
        "profesional": _("Professional training core"),
        "propedéutica": _("University preparation core"),
    }
    return names[band]


def curriculum_map_sheet(ws: Worksheet, result: PlanResult) -> None:
    ws.title = _("Curriculum map")
    scenario = result.problem.scenario
    row = _heading(ws, result)
    header_row = row
    put(ws, header_row, 1, None)
    for term in range(1, scenario.terms + 1):
        put(ws, header_row, term + 1, _("Term {term}", term=term))
        cell = ws.cell(row=header_row, column=term + 1)
        cell.font, cell.fill, cell.alignment, cell.border = styles.HEADER, BAND_FILL, styles.CENTER, styles.MAP_BORDER
        ws.column_dimensions[cell.column_letter].width = COLUMN_WIDTH
    ws.column_dimensions["A"].width = BAND_WIDTH
    grid = modules_by_band(result)
    row = header_row + 1
    for band, per_term in grid.items():
        row = _band(ws, row, band, per_term, result)
    row = _totals(ws, row, grid, result)
    _legend(ws, row + 1, result)
    wrap_lines(ws, scenario.terms + 1)  # the heading and legend span the map, so nothing prints beside it
    set_up_page(ws, f"{header_row}:{header_row}")
    ws.page_margins.top = ws.page_margins.bottom = 0.4  # a map is one sheet of paper where it can be
    ws.page_margins.header = ws.page_margins.footer = 0.2
    ws.freeze_panes = f"B{header_row + 1}"


def modules_by_band(result: PlanResult) -> dict[str, dict[int, list[Module]]]:
    """Taken modules by band and term, in module-id order; only bands the plan uses."""
    catalog = result.problem.catalog
    terms = result.problem.scenario.terms
    grid: dict[str, dict[int, list[Module]]] = {}
    track_of = catalog.track_of if result.problem.has_tracks else {}
    for p in sorted(result.placements, key=lambda p: (p.term, p.module_id)):
        module = catalog.module_by_id[p.module_id]
        band = TRACK_BAND + track_of[p.module_id] if p.module_id in track_of else band_of(module)
        grid.setdefault(band, {t: [] for t in range(1, terms + 1)})[p.term].append(module)
    order = [*BANDS, *(TRACK_BAND + t for t in result.tracks)]
    return {band: grid[band] for band in order if band in grid}


def _heading(ws: Worksheet, result: PlanResult) -> int:
    scenario = result.problem.scenario
    catalog = result.problem.catalog
    careers = ", ".join(scenario.careers) if scenario.careers else _("all careers")
    # The campus's name as campuses.csv gives it, else its folder's (bc-mexicali), never the
    # designer's path: workbooks travel.
    campus = catalog.campus_name or (Path(catalog.campus).name if catalog.campus else _("not named in the scenario"))
    state = catalog.campus_state or _("not recorded in the catalog")
    review = result.problem.review
    version = (
        _("reviewed (from {file})", file=review.file) if review is not None else _("first proposal of the planner")
    )
    row = write_line(ws, 1, _("Curriculum map: {name}", name=scenario.name), styles.TITLE)
    row = write_line(ws, row, _("Careers: {careers}", careers=careers), styles.SENTENCE)
    row = write_line(
        ws,
        row,
        _("Campus (plantel): {campus}. State: {state}.", campus=campus, state=state),
        styles.SENTENCE,
    )
    row = write_line(
        ws, row, _("Plan version: {version}. Date: {date}.", version=version, date=long_date(date.today()))
    )
    return row + 1


def long_date(day: date) -> str:
    months = _("January February March April May June July August September October November December").split()
    return _("{day} {month} {year}", day=day.day, month=months[day.month - 1], year=day.year)


def _band(ws: Worksheet, top: int, band: str, per_term: dict[int, list[Module]], result: PlanResult) -> int:
    depth = max(len(modules) for modules in per_term.values())
    for term, modules in per_term.items():
        for offset, module in enumerate(modules):
            put(ws, top + offset, term + 1, module_text(module, result))
            cell = ws.cell(row=top + offset, column=term + 1)
            cell.font, cell.alignment, cell.border = CELL_FONT, styles.WRAP_TOP, styles.MAP_BORDER
            if _status(module) == "proposed":
                cell.fill = PROPOSED_FILL
        for offset in range(len(modules), depth):
            ws.cell(row=top + offset, column=term + 1).border = styles.MAP_BORDER
    for offset in range(depth):
        lines = max(_lines(ws.cell(row=top + offset, column=t + 1).value) for t in per_term)
        ws.row_dimensions[top + offset].height = CELL_POINTS * max(lines, 1) + 2
    put(ws, top, 1, band_name(band, result))
    name = ws.cell(row=top, column=1)
    name.font, name.alignment, name.fill = Font(name=styles.FONT_NAME, bold=True, size=9), BAND_NAME, BAND_FILL
    ws.merge_cells(start_row=top, start_column=1, end_row=top + depth - 1, end_column=1)
    return top + depth


def module_text(module: Module, result: PlanResult) -> str:
    weekly = module.extra.get("hours_per_week") or per_week(module.hours, result.problem.scenario.weeks_per_term)
    credits = (module.extra.get("credits") or "").strip()
    mark = {"proposed": f" {PROPOSED_MARK}", "assumed": f" {ASSUMED_MARK}"}.get(_status(module), "")
    figures = (
        _("{weekly} h/week, {credits} credits", weekly=weekly, credits=credits)
        if credits
        else _("{weekly} h/week", weekly=weekly)
    )
    return f"{module.module_id}{mark}\n{module.name}\n{figures}"


def _totals(ws: Worksheet, row: int, grid: dict[str, dict[int, list[Module]]], result: PlanResult) -> int:
    terms = result.problem.scenario.terms
    put(ws, row, 1, None)
    total_weekly, total_credits = 0.0, 0.0
    for term in range(1, terms + 1):
        modules = _one_path(grid, term, result)
        weekly = sum(_weekly(m, result) for m in modules)
        credits = sum(_credits(m) for m in modules)
        total_weekly, total_credits = total_weekly + weekly, total_credits + credits
        put(ws, row, term + 1, _("{weekly} h/week, {credits} credits", weekly=_num(weekly), credits=_num(credits)))
        cell = ws.cell(row=row, column=term + 1)
        cell.font, cell.border, cell.alignment, cell.fill = styles.TOTAL, styles.MAP_BORDER, styles.WRAP_TOP, BAND_FILL
    ws.row_dimensions[row].height = 2 * 15 + 4
    count = len(result.placements)
    hours = result.objectives["hours"]
    text = _(
        "Plan totals: {count} modules, {hours:,} hours ({weekly} h/week over {terms} terms), {credits} credits.",
        count=count,
        hours=hours,
        weekly=_num(total_weekly),
        terms=terms,
        credits=_num(total_credits),
    )
    return write_line(ws, row + 1, text, styles.TOTAL)


def _one_path(grid: dict[str, dict[int, list[Module]]], term: int, result: PlanResult) -> list[Module]:
    """A student's modules of a term: every band's but the trayectos, plus the heaviest trayecto."""
    core = [m for band, per_term in grid.items() if not band.startswith(TRACK_BAND) for m in per_term[term]]
    tracks = [per_term[term] for band, per_term in grid.items() if band.startswith(TRACK_BAND)]
    return core + max(tracks, key=lambda modules: sum(_weekly(m, result) for m in modules), default=[])


def _legend(ws: Worksheet, row: int, result: PlanResult) -> None:
    row = write_line(
        ws,
        row,
        _(
            "{proposed} proposed module (shaded): it does not exist at CONALEP yet and must be developed. "
            "{assumed} assumed module: its code, name or hours are not all confirmed on an official programme.",
            proposed=PROPOSED_MARK,
            assumed=ASSUMED_MARK,
        ),
    )
    weeks = result.problem.scenario.weeks_per_term
    row = write_line(ws, row, _("Hours per week = hours per term / {weeks} weeks.", weeks=weeks))
    if result.tracks:
        write_line(
            ws,
            row,
            _(
                "Each student takes the common core and one trayecto técnico: a semester's totals count one "
                "trayecto (the heaviest); the plan's totals count every module the campus teaches."
            ),
        )


def _status(module: Module) -> str:
    return (module.extra.get("status") or "").strip().lower()


def _weekly(module: Module, result: PlanResult) -> float:
    given = (module.extra.get("hours_per_week") or "").strip()
    try:
        return float(given) if given else module.hours / result.problem.scenario.weeks_per_term
    except ValueError:
        return module.hours / result.problem.scenario.weeks_per_term


def _credits(module: Module) -> float:
    try:
        return float((module.extra.get("credits") or "0").strip() or 0)
    except ValueError:
        return 0.0


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _lines(value: object) -> int:
    return line_count(value, chars_per_line(COLUMN_WIDTH, CELL_FONT.sz)) if isinstance(value, str) else 0
