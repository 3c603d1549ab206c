"""Bad track input: exit 2 naming file, row and column, nothing written (PLANNER-SPEC.md, Trayectos)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.catalog import load_catalog
from planner.cli import app
from planner.errors import InputError
from planner.model import Problem
from planner.optimize import solve
from planner.options import SolveOptions
from planner.scenario import load_scenario

CATALOG = Path(__file__).parent.parent / "catalog"
SCENARIO = """name = "t"
catalog = "catalog"
terms = 6
careers = ["Ciencia de Datos e Inteligencia Artificial"]
{extra}
[tracks]
{tracks}
"""


def messages(error: InputError) -> list[str]:
    return [str(issue) for issue in error.issues]


def edited_catalog(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG, folder, ignore=shutil.ignore_patterns("campuses"))
    with (folder / name).open("a", encoding="utf-8") as handle:
        handle.write(text)
    return folder


def test_a_module_in_two_tracks(tmp_path: Path) -> None:
    folder = edited_catalog(tmp_path, "track_modules.csv", "TT-CDIA-2,ATDA-00\n")
    with pytest.raises(InputError) as caught:
        load_catalog(folder)
    (said,) = messages(caught.value)
    assert "track_modules.csv" in said and "row 17" in said and "module_id" in said
    assert "ATDA-00 is already in track TT-CDIA-1" in said


def test_an_empty_track(tmp_path: Path) -> None:
    folder = edited_catalog(tmp_path, "tracks.csv", "TT-VACIO,Vacío,Informática,x\n")
    with pytest.raises(InputError) as caught:
        load_catalog(folder)
    (said,) = messages(caught.value)
    assert "tracks.csv" in said and "row 7" in said and "track TT-VACIO has no module" in said


def test_unknown_track_and_module_ids(tmp_path: Path) -> None:
    folder = edited_catalog(tmp_path, "track_modules.csv", "TT-NADA,ATDA-00\nTT-CDIA-1,NO-EXISTE\n")
    with pytest.raises(InputError) as caught:
        load_catalog(folder)
    said = " | ".join(messages(caught.value))
    assert "there is no track_id 'TT-NADA'" in said and "there is no module_id 'NO-EXISTE'" in said


def test_a_prerequisite_in_another_track(tmp_path: Path) -> None:
    folder = edited_catalog(tmp_path, "prerequisites.csv", "CAWE-00,ATDA-00\n")
    with pytest.raises(InputError) as caught:
        load_catalog(folder)
    (said,) = messages(caught.value)
    assert "prerequisites.csv" in said and "prerequisite_id" in said
    assert "CAWE-00 of track TT-CDIA-2 needs ATDA-00 of track TT-CDIA-1" in said


def scenario_problem(tmp_path: Path, tracks: str, extra: str = "") -> Problem:
    shutil.copytree(CATALOG, tmp_path / "catalog", ignore=shutil.ignore_patterns("campuses"))
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO.format(tracks=tracks, extra=extra), encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.catalog is not None
    return Problem.build(load_catalog(scenario.catalog), scenario)


@pytest.mark.parametrize(
    ("tracks", "extra", "expected"),
    [
        ("offer = 3", "", "tracks.offer is 3, but the scenario's careers have 2 tracks (TT-CDIA-1, TT-CDIA-2)"),
        ("offer = 1\ngroups = 0", "", "groups"),
        ("groups = 1", "", "offer"),
        ("offer = 1", 'required_modules = ["OIDA-00"]', "remove it from required_modules"),
    ],
)
def test_bad_scenario_tracks(tmp_path: Path, tracks: str, extra: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        scenario_problem(tmp_path, tracks, extra)
    assert expected in " | ".join(messages(caught.value))


def test_the_cli_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    shutil.copytree(CATALOG, tmp_path / "catalog", ignore=shutil.ignore_patterns("campuses"))
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO.format(tracks="offer = 5", extra=""), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    run = CliRunner().invoke(app, ["plan", str(path), "--out", str(out), "--lang", "en"])
    assert run.exit_code == 2
    assert "tracks.offer" in run.output + (run.stderr if run.stderr_bytes is not None else "")
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_the_data_science_tracks_are_offered_whole(tmp_path: Path) -> None:
    problem = scenario_problem(tmp_path, "offer = 1")
    result = solve(problem, SolveOptions(time_limit=30))
    assert len(result.tracks) == 1
    track = result.tracks[0]
    members = {tm.module_id for tm in problem.catalog.track_modules if tm.track_id == track}
    assert members <= {p.module_id for p in result.placements}
    assert result.violations() == []


def test_a_benchmark_instance_with_tracks_reads_back_the_same(tmp_path: Path) -> None:
    files = pytest.importorskip("benchmarks.files")
    problem = scenario_problem(tmp_path / "a", "offer = 2\ngroups = 2")
    instance = files.Instance("cdia", "synthetic", problem.catalog, problem.scenario)
    path = files.write_instance(instance, tmp_path / "b")
    scenario = load_scenario(path)
    assert (scenario.tracks_offer, scenario.track_groups) == (2, 2)
    assert scenario.catalog is not None
    catalog = load_catalog(scenario.catalog)
    assert catalog.tracks == problem.catalog.tracks
    assert catalog.track_modules == problem.catalog.track_modules
