"""The plan file of an infeasible scenario: its conflicts, machine-readable (PLANNER-SPEC.md, What-if)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import planner
from planner.export.files import write_atomically


def conflicts_document(scenario: str, found: tuple[Any, ...], complete: bool) -> dict[str, Any]:
    """{"status": "INFEASIBLE", "conflicts": [...]}: each conflict's requirements and relaxation."""
    return {
        "scenario": scenario,
        "status": "INFEASIBLE",
        "conflicts": [conflict.document() for conflict in found],
        "complete": complete,
        "planner_version": planner.__version__,
    }


def write_conflicts_file(
    path: Path,
    scenario: str,
    found: tuple[Any, ...],
    complete: bool,
    force: bool,
    protected: Sequence[Path] = (),
    done: list[Path] | None = None,
) -> None:
    """Write the report as UTF-8 JSON, atomically; refuses to overwrite unless `force`, and an
    input of the run (`protected`) always."""
    data = (json.dumps(conflicts_document(scenario, found, complete), ensure_ascii=False, indent=2) + "\n").encode()
    write_atomically(Path(path), lambda handle: handle.write(data), force, protected, done)


def write_bindings_file(
    path: Path,
    scenario: str,
    found: list[Any],
    complete: bool,
    force: bool,
    protected: Sequence[Path] = (),
    done: list[Path] | None = None,
) -> None:
    """`planner explain` on a feasible scenario: the binding limits and the coverage one step buys."""
    document = {
        "scenario": scenario,
        "status": "FEASIBLE",
        "binding": [
            b.limit | {"from": b.current, "to": b.relaxed, "coverage_gain": b.gain, "proven": b.proven} for b in found
        ],
        "complete": complete,
        "planner_version": planner.__version__,
    }
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    write_atomically(Path(path), lambda handle: handle.write(data), force, protected, done)
