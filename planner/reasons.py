"""Reasons as data: why a module is blocked, a demand uncovered, a rule broken or a plan infeasible.

The domain layer says *what* with a code and its parameters; `planner.words` says it in the
user's language, in the CLI and the export only. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    """Why something is so, as data: a code and its parameters; planner.words turns it into words."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
