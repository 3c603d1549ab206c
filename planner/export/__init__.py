"""Outputs of a plan: the administrators' Excel workbook and the JSON plan file.

This package is the only place that writes files; both writers refuse to overwrite without
`force` and write atomically (see files.py).
"""

from planner.export.plan_file import write_plan_file
from planner.export.workbook import write_workbook

__all__ = ["write_plan_file", "write_workbook"]
