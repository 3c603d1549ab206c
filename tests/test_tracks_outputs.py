"""Tracks in the outputs: the plan file, the Plan sheet, compare and the national summary."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from planner.cli import app
from planner.compare import load_plans
from planner.export.compare_workbook import build_compare_workbook
from planner.export.national import campus_summary
from planner.export.plan_file import write_plan_file
from planner.model import Catalog, Demand, Module, ModuleSkill, Problem, Scenario, Sector, Skill, Track, TrackModule
from planner.optimize import solve
from planner.optimize.explain import bindings
from planner.options import SolveOptions

CATALOG = Path(__file__).parent.parent / "catalog"


def two_tracks() -> Problem:
    # Core M0 (A); T1: M1 (B, importance 3); T2: M2 (C, importance 1). One track offered: T1.
    catalog = Catalog(
        sectors=(Sector("s", "s", 1),),
        skills=tuple(Skill(s, s, "c") for s in "ABC"),
        demands=(Demand("s", "A", 1, 2), Demand("s", "B", 1, 3), Demand("s", "C", 1, 1)),
        modules=tuple(Module(f"M{i}", f"m{i}", "E", 2) for i in range(3)),
        module_skills=(ModuleSkill("M0", "A", 1), ModuleSkill("M1", "B", 1), ModuleSkill("M2", "C", 1)),
        tracks=(Track("T1", "t1", "E"), Track("T2", "t2", "E")),
        track_modules=(TrackModule("T1", "M1"), TrackModule("T2", "M2")),
    )
    return Problem.build(catalog, Scenario("s", 2, sections=2, tracks_offer=1))


def test_the_national_summary_and_compare_name_the_offered_tracks(tmp_path: Path) -> None:
    result = solve(two_tracks(), SolveOptions(time_limit=10))
    assert result.tracks == ("T1",)
    assert campus_summary(result)["tracks"] == ["T1"]
    write_plan_file(result, tmp_path / "a.json")
    (plan,) = load_plans([tmp_path / "a.json"])
    assert plan.tracks == ("T1",)
    workbook = build_compare_workbook([plan])
    values = [c.value for row in workbook.worksheets[0].iter_rows() for c in row]
    assert "T1" in values


def test_the_plan_file_and_plan_sheet_of_the_back_end_seed(tmp_path: Path) -> None:
    out = tmp_path / "backend.xlsx"
    seed = Path(__file__).parent.parent / "seeds" / "semiconductor_backend_baja.toml"
    run = CliRunner().invoke(app, ["plan", str(seed), "--out", str(out), "--lang", "en"])
    assert run.exit_code == 0, run.output
    plan = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert plan["status"] == "OPTIMAL"
    assert len(plan["tracks"]) == 2
    by_track: dict[str | None, list[dict]] = {}
    for m in plan["modules"]:
        by_track.setdefault(m["track"], []).append(m)
    assert set(by_track) == {None, *plan["tracks"]}
    for track in plan["tracks"]:  # one group per track module, whatever the semester's groups
        assert all(len(m["sections"]) == 1 for m in by_track[track])
    assert [p["track"] for p in plan["paths"]] == plan["tracks"]
    assert sum(p["coverage"] for p in plan["paths"]) == plan["objectives"]["coverage"]
    assert max(max(p["term_hours"]) for p in plan["paths"]) == plan["objectives"]["balance"] <= 630
    assert all(540 <= h <= 630 for p in plan["paths"] for h in p["term_hours"])
    ws = openpyxl.load_workbook(out)["Plan"]
    header = [c.value for c in ws[1]]
    track_column = header.index("Track")
    module_column = header.index("Module ID")
    tracks = {row[module_column]: row[track_column] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert {tracks[m["module_id"]] for m in plan["modules"]} == {None, *plan["tracks"]}
    workbook = openpyxl.load_workbook(out)
    names = {t: n for t, n in (("TT-SEM-ENS", "Ensamble y empaque"), ("TT-SEM-PRU", "Prueba y confiabilidad"))}
    # One band per offered track, named (merged cells down column A), after the núcleos.
    bands = [c.value for c in workbook["Curriculum map"]["A"] if isinstance(c.value, str) and "track" in c.value]
    assert bands == [f"Technical track: {names[t]}" for t in plan["tracks"]]
    summary = workbook["Summary"]
    (table,) = [t for t in summary.tables.values() if t.name == "PathCoverage"]
    rows = list(summary[table.ref])[1:]
    assert {row[0].value for row in rows} == set(plan["tracks"])
    assert len(rows) == len(plan["tracks"]) * len(plan["sector_coverage"])


def test_a_gap_names_the_track_not_offered_and_explain_finds_the_offer_binding() -> None:
    problem = two_tracks()
    result = solve(problem, SolveOptions(time_limit=10))
    (gap,) = result.gaps  # C, taught only by T2's module
    assert gap.reason.code == "track_not_offered"
    assert dict(gap.reason.params) == {"module": "M2", "track": "T2", "offer": 1, "offered": ["T1"]}
    found, complete = bindings(problem, 20)
    assert complete and found is not None
    offer = [b for b in found if b.limit["kind"] == "tracks_offer"]
    # Offering T2 too adds its path: A and C (2 + 1) on top of T1's path (A and B, 5).
    assert [(b.current, b.relaxed, b.gain) for b in offer] == [(1, 2, 3)]


def test_offering_a_track_nobody_can_teach_is_a_conflict_naming_its_module(tmp_path: Path) -> None:
    # The back-end seed asks for all three semiconductor tracks, but no teacher of the roster can
    # teach VSLP-00, so the validation track can never be offered: exit 3, tracks.offer named,
    # with the module that binds it, and lowering the offer to 2 as the verified fix.
    seed = Path(__file__).parent.parent / "seeds" / "semiconductor_backend_baja.toml"
    text = seed.read_text(encoding="utf-8").replace('catalog = "../catalog"', f'catalog = "{CATALOG.as_posix()}"')
    scenario = tmp_path / "three.toml"
    scenario.write_text(text.replace("offer = 2", "offer = 3"), encoding="utf-8")
    out = tmp_path / "three.xlsx"
    run = CliRunner().invoke(app, ["plan", str(scenario), "--out", str(out), "--lang", "en"])
    said = " ".join(run.output.split())
    assert run.exit_code == 3, said
    assert "tracks.offer = 3" in said
    assert "track TT-SEM-VAL can never be offered: its module VSLP-00 cannot be taken" in said
    assert "lower tracks.offer from 3 to 2" in said
    assert not out.exists()
