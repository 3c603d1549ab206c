"""The workbook and the plan file, written to tmp_path and read back (never compared as bytes)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.errors import OutputError
from planner.export import write_plan_file, write_workbook
from planner.export.printing import LARGEST_POINTS
from planner.model import (
    Demand,
    Problem,
)
from planner.result import PlanResult
from planner.words.reasons import say
from tests.helpers import run_in_english
from tests.tiny_plan import FORMULA_NAME, tiny_result, with_catalog_columns

SHEETS = [
    "Curriculum map",
    "Summary",
    "Plan",
    "Coverage",
    "Gaps",
    "Instructors",
    "Teaching load",
    "Labs",
    "Scenario",
    "Training",
]
PINNED_PLAN_COLUMNS = {"Term", "Module ID", "Module", "Hours", "Section", "Instructor ID"}


@pytest.fixture
def result() -> PlanResult:
    made = tiny_result()
    assert made.violations() == []  # the fixture itself must be a valid plan
    return made


@pytest.fixture
def workbook(result: PlanResult, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "plan.xlsx"
    write_workbook(result, path)
    return openpyxl.load_workbook(path)


def header_row(ws) -> list:
    return [cell.value for cell in ws[1]]


def plan_rows(ws) -> list[dict]:
    headers = header_row(ws)
    return [dict(zip(headers, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_sheets_come_in_the_documented_order(workbook):
    assert [n for n in workbook.sheetnames if workbook[n].sheet_state == "visible"] == SHEETS  # + hidden marker


def test_plan_has_the_pinned_columns_and_one_row_per_section(workbook):
    ws = workbook["Plan"]
    assert set(header_row(ws)) >= PINNED_PLAN_COLUMNS
    rows = plan_rows(ws)
    # 4 taken modules x 2 sections, sorted by term then module.
    assert [(r["Term"], r["Module ID"], r["Section"]) for r in rows] == [
        (1, "M1", 1),
        (1, "M1", 2),
        (1, "M2", 1),
        (1, "M2", 2),
        (2, "M3", 1),
        (2, "M3", 2),
        (3, "M4", 1),
        (3, "M4", 2),
    ]
    assert {r["Instructor ID"] for r in rows if r["Module ID"] == "M4"} == {"I2"}
    assert next(r["Module status"] for r in rows if r["Module ID"] == "M2") == "new"


def test_plan_reads_back_with_pandas(result, tmp_path):
    path = tmp_path / "plan.xlsx"
    write_workbook(result, path)
    frame = pd.read_excel(path, sheet_name="Plan")
    assert set(frame.columns) >= PINNED_PLAN_COLUMNS
    # The sheet holds only the plan table, so it reads back as exactly one row per section.
    assert len(frame) == 8
    assert frame["Module ID"].notna().all()


def test_term_totals_come_from_the_result(workbook, result):
    ws = workbook["Summary"]
    top_left, bottom_right = ws.tables["TermTotals"].ref.split(":")
    rows = list(ws[top_left:bottom_right])
    totals = [tuple(cell.value for cell in row) for row in rows[1:]]
    # Term hours: M1 60 + M2 80 = 140; M3 40; M4 60 (counted once per module, not per section);
    # group-hours count each of the two groups.
    assert totals == [(1, 2, 140, 280), (2, 1, 40, 80), (3, 1, 60, 120)]
    assert result.term_hours == (140, 40, 60)
    plan = {(r["Module ID"], r["Term hours"]) for r in plan_rows(workbook["Plan"])}
    assert plan == {("M1", 140), ("M2", 140), ("M3", 40), ("M4", 60)}


def test_catalog_text_is_never_a_formula(workbook):
    texts = set()
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} holds a formula: {cell.value}"
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    assert {FORMULA_NAME, "@x injected", "+Beto Ruiz", "-Soldadura"} <= texts


def test_coverage_matrix_shows_taught_levels_and_uncovered_demands(workbook):
    ws = workbook["Coverage"]
    headers = header_row(ws)
    rows = {
        row[1]: dict(zip(headers, row, strict=True))
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[1] in {"S1", "S2", "S3", "S4", "S5", "S6"}
    }
    m1, m2 = "M1, term 1", "M2, term 1"
    assert rows["S2"][m2] == 3 and rows["S2"][m1] is None
    table = ws.tables["CoverageModules"].ref  # the key under the matrix names each module column
    key = [tuple(cell.value for cell in row) for row in ws[table]][1:]
    assert key[:2] == [("M1", "Cleanroom basics", 1), ("M2", FORMULA_NAME, 1)]
    assert rows["S2"]["Covered"] == "yes"
    assert rows["S6"]["Covered"] == "no"  # only M5 teaches metrology, and it is not taken
    assert rows["S4"]["Skill"] == "@x injected"
    assert ws.conditional_formatting, "the level cells carry a colour scale"


def test_gaps_list_each_uncovered_demand_with_a_reason(workbook, result):
    ws = workbook["Gaps"]
    rows = [dict(zip(header_row(ws), row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]
    assert [(r["Sector ID"], r["Skill ID"]) for r in rows] == [("med", "S6")]
    assert rows[0]["Why it is not covered"] == say(result.gaps[0].reason)


def test_instructor_loads_against_capacity(workbook):
    ws = workbook["Instructors"]
    rows = {
        row[0]: dict(zip(header_row(ws), row, strict=True))
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[0] in {"I1", "I2"}
    }
    # Three terms, yearly intake: terms 1 and 3 run in autumn, term 2 in spring. I1 teaches both
    # groups of M1 (60 h) in term 1 and of M3 (40 h) in term 2; I2 both groups of M2 (80 h, term 1)
    # and M4 (60 h, term 3): 280 h in autumn, 15.6 h/week over 18 weeks.
    i1, i2 = rows["I1"], rows["I2"]
    assert (i1["Autumn (1, 3) hours"], i1["Spring (2) hours"]) == (120, 80)
    assert (i2["Autumn (1, 3) hours"], i2["Spring (2) hours"]) == (280, 0)
    assert i2["Autumn (1, 3) hours/week"] == pytest.approx(280 / 18)
    assert (i1["Floor h/week"], i1["Cap h/week"]) == (pytest.approx(80 / 18), pytest.approx(200 / 18))
    assert i1["Contract"] == i2["Contract"] == "within the contract"
    # Cost: I1 200 per hour x 200 h; I2 250 per hour x 280 h.
    assert (i1["Cost"], i2["Cost"]) == (40_000, 70_000)
    assert i2["Instructor"] == "+Beto Ruiz"


def test_lab_use_per_period_against_capacity(workbook):
    ws = workbook["Labs"]
    rows = [dict(zip(header_row(ws), row, strict=True)) for row in ws.iter_rows(min_row=2, max_row=2, values_only=True)]
    # M2 (80 h) needs the bonder, two groups in term 1 (autumn): 160 h of 200.
    assert rows == [
        {
            "Lab ID": "WB",
            "Lab": "Wire bonder",
            "Capacity per period (h)": 200,
            "Autumn (1, 3) hours": 160,
            "Spring (2) hours": 0,
            "Peak use %": pytest.approx(0.8),
        }
    ]


def test_plan_flags_modules_only_one_instructor_can_teach(workbook):
    ws = workbook["Plan"]
    rows = [dict(zip(header_row(ws), row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]
    flagged = {r["Module ID"] for r in rows if r["Only teacher"]}
    assert flagged == {"M1", "M3", "M4"}  # M2 has I1 and I2


def test_tables_have_filters_exact_refs_and_unique_names(workbook):
    names = []
    for ws in workbook.worksheets:
        for table in ws.tables.values():
            names.append(table.displayName.casefold())
            assert table.autoFilter is not None and table.autoFilter.ref == table.ref
            cells = ws[table.ref]
            assert len(cells) > 1, f"{table.displayName} has no data rows"
            assert [c.value for c in cells[0]] == [col.name for col in table.tableColumns]
    assert {
        "plansections",
        "termtotals",
        "coveragematrix",
        "gaps",
        "instructorloads",
        "labuse",
        "sectorcoverage",
    } <= set(names)
    assert len(names) == len(set(names))


def test_no_text_is_larger_than_printing_assumes(workbook):
    """Fitting rows counts short text as one line without reading its font, which holds only while
    no text of any sheet is larger than printing.LARGEST_POINTS."""
    sizes = {cell.font.sz or 11 for ws in workbook for row in ws.iter_rows() for cell in row if cell.value is not None}
    assert max(sizes) == LARGEST_POINTS


def test_every_sheet_has_frozen_header_rows(workbook):
    for ws in workbook.worksheets:
        assert ws.freeze_panes is not None, ws.title
    assert workbook["Plan"].freeze_panes == "A2"


def test_charts_are_present(result):
    # Charts are checked on the built workbook: openpyxl does not read charts back from a file.
    from planner.export.workbook import build_workbook

    book = build_workbook(result)
    assert len(book["Summary"]._charts) == 2  # coverage by sector, hours per term
    assert book["Instructors"]._charts


def test_without_instructors_the_sheet_says_so_and_the_json_has_nulls(tmp_path):
    result = tiny_result(with_instructors=False)
    assert result.violations() == []
    write_workbook(result, tmp_path / "plan.xlsx")
    write_plan_file(result, tmp_path / "plan.json")
    ws = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Instructors"]
    assert "no instructors" in ws["A1"].value
    assert not ws.tables
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert all(s["instructor_id"] is None for m in plan["modules"] for s in m["sections"])


def test_an_empty_plan_writes_no_empty_table(tmp_path):
    result = tiny_result(placements=())
    path = tmp_path / "empty.xlsx"
    write_workbook(result, path)
    book = openpyxl.load_workbook(path)
    assert set(header_row(book["Plan"])) >= PINNED_PLAN_COLUMNS
    assert "PlanSections" not in book["Plan"].tables
    for ws in book.worksheets:
        for table in ws.tables.values():
            assert len(ws[table.ref]) > 1, f"{ws.title}: {table.displayName} is empty"


def test_plan_file_has_the_pinned_keys(result, tmp_path):
    path = tmp_path / "plan.json"
    write_plan_file(result, path)
    plan = json.loads(path.read_text(encoding="utf-8"))
    assert plan["scenario"] == "Técnico en semiconductores"
    assert plan["status"] == "OPTIMAL"
    assert plan["objectives"] == result.objectives
    assert set(plan["objectives"]) == {"coverage", "hours", "balance", "cost"}  # + changes after a review
    assert [(m["module_id"], m["term"]) for m in plan["modules"]] == [
        ("M1", 1),
        ("M2", 1),
        ("M3", 2),
        ("M4", 3),
    ]
    assert plan["modules"][0]["sections"] == [
        {"section": 1, "instructor_id": "I1", "dual": False},
        {"section": 2, "instructor_id": "I1", "dual": False},
    ]
    assert plan["catalog_fingerprint"] == "sha256:0123abcd"
    assert [s["objective"] for s in plan["stages"]] == ["coverage", "hours"]


def test_plan_file_is_utf8_with_accents_unescaped(result, tmp_path):
    path = tmp_path / "plan.json"
    write_plan_file(result, path)
    assert '"Técnico en semiconductores"' in path.read_text(encoding="utf-8")  # ensure_ascii=False


@pytest.mark.parametrize("writer, name", [(write_workbook, "plan.xlsx"), (write_plan_file, "plan.json")])
def test_refuses_to_overwrite_without_force(result, tmp_path, writer, name):
    path = tmp_path / name
    path.write_bytes(b"yesterday's file")
    with pytest.raises(OutputError, match="--force") as caught:
        writer(result, path)
    assert name in str(caught.value)
    assert path.read_bytes() == b"yesterday's file"
    writer(result, path, force=True)
    assert path.read_bytes() != b"yesterday's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("writer, name", [(write_workbook, "plan.xlsx"), (write_plan_file, "plan.json")])
def test_new_files_get_normal_permissions(result, tmp_path, writer, name):
    path = tmp_path / "new" / "folder" / name  # parent folders are created
    writer(result, path)
    mask = os.umask(0)
    os.umask(mask)
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o666 & ~mask
    assert mode != 0o600


def test_a_failed_workbook_write_leaves_no_trace(result, tmp_path, monkeypatch):
    def broken_save(self, filename):
        filename.write(b"half a zip")
        raise RuntimeError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(RuntimeError):
        write_workbook(result, tmp_path / "plan.xlsx")
    assert list(tmp_path.iterdir()) == []

    target = tmp_path / "kept.xlsx"
    target.write_bytes(b"previous plan")
    with pytest.raises(RuntimeError):
        write_workbook(result, target, force=True)
    assert target.read_bytes() == b"previous plan"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.xlsx"]


def test_an_unwritable_target_is_an_output_error(result, tmp_path):
    folder = tmp_path / "plan.xlsx"
    folder.mkdir()  # a folder where the file should go: os.replace fails
    with pytest.raises(OutputError, match="plan.xlsx"):
        write_workbook(result, folder, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


# --- version 2: the curriculum map, the plan's hours and the plain summary ---------------------


def banded(result: PlanResult) -> PlanResult:
    """The tiny plan with one basic module (M1), a proposed (M2) and an assumed (M3) one, and credits."""
    from dataclasses import replace

    extra = {
        "M1": {"nucleo": "básica", "credits": "6", "status": "verified"},
        "M2": {"nucleo": "", "credits": "8", "status": "proposed"},
        "M3": {"credits": "4", "status": "assumed"},
        "M4": {"nucleo": "profesional", "credits": "6", "status": "assumed"},
    }
    catalog = result.problem.catalog
    modules = tuple(replace(m, extra={**m.extra, **extra.get(m.module_id, {})}) for m in catalog.modules)
    problem = Problem.build(replace(catalog, modules=modules), result.problem.scenario)
    return PlanResult(problem, result.status, result.placements, result.stages, result.solver)


def map_cells(ws) -> dict[str, str]:
    return {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}


def test_curriculum_map_is_banded_as_conalep_prints_it(result):
    from planner.export.workbook import build_workbook

    ws = build_workbook(banded(result))["Curriculum map"]
    cells = map_cells(ws)
    assert cells["A1"] == "Curriculum map: Técnico en semiconductores"
    assert any(text.startswith("Plan version: first proposal of the planner. Date: ") for text in cells.values())
    header = next(row for row in range(1, 10) if ws.cell(row=row, column=2).value == "Term 1")
    assert [ws.cell(row=header, column=t + 1).value for t in (1, 2, 3)] == ["Term 1", "Term 2", "Term 3"]
    # Bands named at the left, basic first: M1 alone in the basic band, then M2 (blank nucleo:
    # professional), M3 and M4 in the professional band.
    assert ws.cell(row=header + 1, column=1).value == "Basic training core"
    assert ws.cell(row=header + 1, column=2).value == "M1\nCleanroom basics\n3.3 h/week, 6 credits"
    assert ws.cell(row=header + 2, column=1).value == "Professional training core"
    assert ws.cell(row=header + 2, column=2).value == f"M2 (P)\n{FORMULA_NAME}\n4.4 h/week, 8 credits"
    assert ws.cell(row=header + 2, column=3).value == "M3 *\nStatistical process control\n2.2 h/week, 4 credits"
    assert ws.cell(row=header + 2, column=4).value == "M4 *\n-Soldadura\n3.3 h/week, 6 credits"
    # Totals per term (weekly hours and credits): term 1 = 60/18 + 80/18 = 7.8 h, 6 + 8 credits.
    totals = [ws.cell(row=header + 3, column=t + 1).value for t in (1, 2, 3)]
    assert totals == ["7.8 h/week, 14 credits", "2.2 h/week, 4 credits", "3.3 h/week, 6 credits"]
    assert ws.cell(row=header + 4, column=1).value == (
        "Plan totals: 4 modules, 240 hours (13.3 h/week over 3 terms), 24 credits."
    )
    assert ws.cell(row=header + 6, column=1).value.startswith("(P) proposed module (shaded)")
    assert ws.cell(row=header + 2, column=2).fill.fgColor.rgb.endswith("FFF2CC")  # proposed: shaded
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 1, 0)
    assert ws.print_title_rows == f"${header}:${header}"


def test_curriculum_map_without_nucleo_or_credits_is_one_professional_band(workbook):
    ws = workbook["Curriculum map"]
    header = next(row for row in range(1, 10) if ws.cell(row=row, column=2).value == "Term 1")
    assert ws.cell(row=header + 1, column=1).value == "Professional training core"
    assert ws.cell(row=header + 1, column=2).value == "M1\nCleanroom basics\n3.3 h/week"
    assert ws.cell(row=header + 3, column=2).value == "7.8 h/week, 0 credits"


def test_teaching_load_lists_each_teachers_modules_and_groups_per_period(workbook):
    ws = workbook["Teaching load"]
    ref = ws.tables["TeachingLoad"].ref
    rows = [tuple(cell.value for cell in row) for row in ws[ref]]
    headers = rows[0]
    assert headers == (
        "Instructor",
        "Period",
        "Term",
        "Module",
        "Groups",
        "Plan h/week",
        "Committed h/week",
        "Total h/week",
        "Contract h/week",
        "Contract",
        "Cost",
    )
    i1 = [dict(zip(headers, row, strict=True)) for row in rows[1:] if row[0] == "I1 Ana López"]
    # I1 teaches both groups of M1 (60 h, term 1: autumn) and of M3 (40 h, term 2: spring).
    assert [(r["Period"], r["Module"], r["Groups"]) for r in i1] == [
        ("Autumn (1, 3)", "M1 Cleanroom basics", "1, 2"),
        ("Autumn (1, 3)", "Total for the period", None),
        ("Spring (2)", "M3 Statistical process control", "1, 2"),
        ("Spring (2)", "Total for the period", None),
    ]
    autumn = i1[1]
    # 120 h over 18 weeks = 6.7 h/week; floor 80 h = 4.4, cap 200 h = 11.1; 120 h x 200 pesos.
    assert autumn["Plan h/week"] == pytest.approx(120 / 18)
    assert autumn["Committed h/week"] == 0  # no commitments in the catalog: the column reads 0
    assert autumn["Contract h/week"] == "4.4 to 11.1"
    assert (autumn["Contract"], autumn["Cost"]) == ("within the contract", 24000)
    total_row = ws[ref][2][0].row  # I1's first total row
    assert ws.cell(row=total_row, column=11).number_format == '"$"#,##0'


def test_plan_has_hours_per_week_and_group_hours(workbook):
    rows = plan_rows(workbook["Plan"])
    m2 = next(r for r in rows if r["Module ID"] == "M2")
    assert m2["Hours per week"] == pytest.approx(80 / 18)
    assert m2["Module group-hours"] == 160  # 80 h x 2 groups
    assert "Core" not in m2 and "Credits" not in m2  # the catalog has no such columns
    assert workbook["Plan"].oddFooter.center.text == "Total group-hours of the plan: 480"


def test_plan_hours_per_week_follow_the_scenarios_weeks(result, tmp_path):
    from dataclasses import replace

    scenario = replace(result.problem.scenario, weeks_per_term=20)
    problem = Problem.build(result.problem.catalog, scenario)
    write_workbook(
        PlanResult(problem, result.status, result.placements, result.stages, result.solver), tmp_path / "p.xlsx"
    )
    rows = plan_rows(openpyxl.load_workbook(tmp_path / "p.xlsx")["Plan"])
    assert {r["Module ID"]: r["Hours per week"] for r in rows} == {"M1": 3, "M2": 4, "M3": 2, "M4": 3}


def test_plan_shows_the_catalogs_nucleo_and_credits(result, tmp_path):
    write_workbook(with_catalog_columns(result), tmp_path / "plan.xlsx")
    frame = pd.read_excel(tmp_path / "plan.xlsx", sheet_name="Plan")
    assert len(frame) == 8
    by_module = frame.drop_duplicates("Module ID").set_index("Module ID")
    assert by_module.loc["M1", "Core"] == "Profesional" and by_module.loc["M1", "Credits"] == 9
    assert by_module.loc["M2", "Credits"] == 7.5
    assert pd.isna(by_module.loc["M3", "Core"])


def test_summary_starts_with_plain_sentences(workbook):
    lines = [workbook["Summary"].cell(row=r, column=1).value for r in range(1, 9)]
    assert lines[:6] == [
        "Curriculum plan: Técnico en semiconductores",
        "Optimal: proven to be the best plan possible",
        "Training or hiring: 1 open need has no teacher qualified for a module that covers it.",
        "100% of what the Semiconductores sector needs is covered; no need remains open.",
        # S6 (importance 2 of 5) is open: only M5 teaches it and no instructor can teach M5.
        "60% of what the Dispositivos médicos sector needs is covered; 1 need remains open.",
        "1 because no instructor can teach the module.",
    ]
    assert "Rule check: the plan keeps every planning rule of the scenario." in lines
    figures = workbook["Summary"].tables["KeyFigures"].ref
    names = [row[0].value for row in workbook["Summary"][figures]]
    assert "Coverage score" in names  # the raw score lives in the details table


def test_gap_causes_are_counted_per_cause():
    from planner.export.sentences import gap_cause
    from planner.reasons import Reason
    from planner.result import Gap

    demand = Demand("semi", "S1", 2, 3)
    no_teacher = {"code": "no_qualified_instructor", "params": {}}
    blocked = {"code": "prerequisite_blocked", "params": {"prerequisite": "M1"}}
    reasons = [
        (Reason("not_taught", {"skill": "S1", "level": 2}), "no_module"),
        (Reason("uncoverable", {"modules": [{"module": "M5", "why": no_teacher}]}), "no_instructor"),
        (Reason("uncoverable", {"modules": [{"module": "M3", "why": blocked}]}), "blocked"),
        (Reason("lab_full", {"lab": "WB"}), "lab_full"),
        (Reason("total_hours_full", {"module": "M2"}), "hour_limits"),
        (Reason("better_modules", {"module": "M2"}), "trade_off"),
    ]
    assert [gap_cause(Gap(demand, r)) for r, _ in reasons] == [cause for _, cause in reasons]


def test_coverage_prints_one_sector_per_page(workbook):
    ws = workbook["Coverage"]
    sectors = [row[0] for row in ws.iter_rows(min_row=2, max_row=7, values_only=True)]
    assert sectors == ["Semiconductores"] * 3 + ["Dispositivos médicos"] * 3
    assert [brk.id for brk in ws.row_breaks.brk] == [4]  # after the last semiconductor row
    assert ws.print_title_rows == "$1:$1"
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth) == ("landscape", 1)
    assert ws.tables["CoverageMatrix"].autoFilter is not None


def test_the_map_names_the_campus_by_its_folder_never_by_the_designers_path(result):
    from dataclasses import replace

    from planner.export.workbook import build_workbook

    catalog = replace(result.problem.catalog, campus="/home/designer/catalog/campuses/bc-mexicali")
    problem = Problem.build(catalog, result.problem.scenario)
    ws = build_workbook(PlanResult(problem, result.status, result.placements))["Curriculum map"]
    assert ws["A3"].value == "Campus (plantel): bc-mexicali. State: not recorded in the catalog."


def test_solver_settings_and_limits_are_named_in_words_not_keys(workbook):
    ws = workbook["Scenario"]
    ref = ws.tables["SolverFacts"].ref
    facts = {row[0].value: row[1].value for row in ws[ref][1:]}
    assert facts["parallel searches"] == "2"  # the solver's num_workers
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if "num_workers" in t or "hours.total_max" in t]
    figures = workbook["Summary"].tables["KeyFigures"].ref
    notes = {row[0].value: row[2].value for row in workbook["Summary"][figures][1:]}
    assert notes["Total hours"] == "limit 400 (maximum total hours)"


def test_a_very_long_header_stays_within_excels_255_characters():
    from planner.export.cells import unique_headers

    long = "x" * 300
    headers = unique_headers([long, long])
    assert all(len(h) <= 255 for h in headers) and headers[0] != headers[1]


def test_a_campus_catalog_knows_its_plantel_and_state_from_campuses_csv():
    from planner.catalog import load_catalog

    catalog = load_catalog(Path("catalog"), campus=Path("catalog/campuses/bc-mexicali"))
    assert (catalog.campus_name, catalog.campus_state) == ("CONALEP Mexicali (plantel de muestra)", "Baja California")


def test_the_map_heads_a_campus_plan_with_the_plantel_and_its_state(result):
    from dataclasses import replace

    from planner.export.workbook import build_workbook

    catalog = replace(
        result.problem.catalog,
        campus="catalog/campuses/x",
        campus_name="CONALEP Mexicali",
        campus_state="Baja California",
    )
    problem = Problem.build(catalog, result.problem.scenario)
    ws = build_workbook(PlanResult(problem, result.status, result.placements))["Curriculum map"]
    assert ws["A3"].value == "Campus (plantel): CONALEP Mexicali. State: Baja California."


@pytest.mark.parametrize("sheet", ["Coverage", "Instructors"])
def test_a_note_under_a_table_printed_across_pages_prints_whole_on_every_page(tmp_path, sheet):
    """A campus's coverage matrix and instructors' table print across pages, their key columns (B:C
    and A:B) repeated on each. A note below that spanned more than the keys (merged, or overflowing
    unwrapped) printed a piece of itself beside the keys of every other page, cut where they end;
    it wraps within the key columns instead (within column A when the keys start further right)."""
    seed = Path(__file__).resolve().parent.parent / "seeds" / "campuses" / "bc-mexicali.toml"
    book = tmp_path / "plan.xlsx"
    assert run_in_english("plan", seed, "--out", book).exit_code == 0
    ws = openpyxl.load_workbook(book)[sheet]
    first, last = (openpyxl.utils.column_index_from_string(c.strip("$")) for c in ws.print_title_cols.split(":"))
    notes = [
        row[0]
        for row in ws.iter_rows()
        if isinstance(row[0].value, str) and len(row[0].value) > 60 and all(c.value is None for c in row[1:])
    ]
    assert notes, "the table has notes below it"
    spans = {c.coordinate: next((r.max_col for r in ws.merged_cells.ranges if c.coordinate in r), 1) for c in notes}
    assert spans == dict.fromkeys(spans, last if first == 1 else 1)
    assert all(c.alignment.wrap_text for c in notes)
