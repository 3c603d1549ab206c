"""Paths as the outputs show them: workbooks travel to administrators, so never the designer's
own folders. A path is shown relative to the scenario's folder when it lies there or one level up
(`../catalog`, the usual layout); otherwise by its last name only.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.model import Problem


def shown_path(path: Path | str, scenario: Path | None) -> str:
    """`path` without the absolute part: relative to the scenario's folder, or just its name."""
    path = Path(path)
    if scenario is None:
        return path.name
    try:
        relative = Path(os.path.relpath(path.resolve(), scenario.resolve().parent))
    except ValueError:  # another drive, on Windows
        return path.name
    return relative.as_posix() if relative.parts.count("..") <= 1 else path.name


def catalog_source(problem: Problem) -> str:
    """The catalog the plan was made from, as the plan file and the workbook name it."""
    return shown_path(problem.catalog.source, problem.scenario.path)
