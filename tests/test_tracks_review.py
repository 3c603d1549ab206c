"""Reviewing a plan with tracks: a Plan sheet row naming a track with fijar/quitar (lock/drop)
offers or removes the whole track; contradictory track rows exit 2 naming sheet, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import outcome_in_english

CATALOG = Path(__file__).parent.parent / "catalog"
TRACKS = ("TT-CDIA-1", "TT-CDIA-2")


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> tuple[Path, Path, str]:
    """A Ciencia de Datos e IA plan offering one of its two tracks: scenario, workbook, track."""
    folder = tmp_path_factory.mktemp("tracks")
    scenario = folder / "cdia.toml"
    scenario.write_text(
        f'name = "cdia"\ncatalog = "{CATALOG.as_posix()}"\nterms = 6\n'
        'careers = ["Ciencia de Datos e Inteligencia Artificial"]\n\n[tracks]\noffer = 1\n',
        encoding="utf-8",
    )
    workbook = folder / "plan.xlsx"
    code, output = outcome_in_english("plan", scenario, "--out", workbook)
    assert code == 0, output
    (track,) = json.loads(workbook.with_suffix(".json").read_text(encoding="utf-8"))["tracks"]
    return scenario, workbook, track


def with_rows(source: Path, target: Path, rows: list[tuple[str, str]]) -> Path:
    workbook = openpyxl.load_workbook(source)
    ws = workbook["Plan"]
    column = {c.value: c.column for c in ws[1]}
    assert "Track" in column  # the Plan sheet says which track each module belongs to
    row = ws.max_row + 1
    for track, decision in rows:
        ws.cell(row, column["Module ID"]).value = track
        ws.cell(row, column["Decision"]).value = decision
        row += 1
    workbook.save(target)
    return target


@pytest.mark.parametrize("decision", ["lock", "drop"])
def test_a_track_row_offers_or_removes_the_whole_track(planned, tmp_path, decision) -> None:
    scenario, workbook, offered = planned
    other = next(t for t in TRACKS if t != offered)
    named = other if decision == "lock" else offered
    reviewed = with_rows(workbook, tmp_path / "reviewed.xlsx", [(named, decision)])

    code, output = outcome_in_english("plan", scenario, "--review", reviewed, "--out", tmp_path / "new.xlsx")

    assert code == 0, output
    plan = json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))
    assert plan["tracks"] == [other]
    modules = {m["module_id"]: m["track"] for m in plan["modules"]}
    assert other in modules.values() and offered not in modules.values()


def test_a_track_both_locked_and_dropped_is_refused(planned, tmp_path) -> None:
    scenario, workbook, offered = planned
    reviewed = with_rows(workbook, tmp_path / "reviewed.xlsx", [(offered, "lock"), (offered, "drop")])

    code, output = outcome_in_english("plan", scenario, "--review", reviewed, "--out", tmp_path / "new.xlsx")

    assert code == 2
    assert f"track {offered} is both locked and dropped" in output
    assert not (tmp_path / "new.xlsx").exists()


def test_locking_both_tracks_when_one_is_offered_is_a_conflict(planned, tmp_path) -> None:
    scenario, workbook, _offered = planned
    reviewed = with_rows(workbook, tmp_path / "reviewed.xlsx", [(t, "lock") for t in TRACKS])

    code, output = outcome_in_english("plan", scenario, "--review", reviewed, "--out", tmp_path / "new.xlsx")

    assert code == 3
    assert "tracks.offer" in output and "lock track TT-CDIA-1" in output
