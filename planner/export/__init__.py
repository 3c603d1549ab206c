"""Outputs of a plan: the administrators' Excel workbook and the JSON plan file.

This package is the only place that writes files; both writers refuse to overwrite without
`force` and write atomically (see files.py).
"""

from collections.abc import Sequence
from pathlib import Path

from planner.export.files import write_together
from planner.export.plan_file import plan_bytes, write_plan_file
from planner.export.workbook import build_workbook, write_workbook
from planner.result import PlanResult

__all__ = ["write_outputs", "write_plan_file", "write_workbook"]


def write_outputs(
    result: PlanResult,
    workbook: Path,
    plan_file: Path,
    force: bool = False,
    protected: Sequence[Path] = (),
    done: list[Path] | None = None,
) -> None:
    """Write the workbook and the plan file together: both appear, or neither does. `protected`
    are the run's inputs (never replaced); the files are added to `done` once both are in place."""
    book = build_workbook(result)
    data = plan_bytes(result)
    write_together([(workbook, book.save), (plan_file, lambda handle: handle.write(data))], force, protected, done)
