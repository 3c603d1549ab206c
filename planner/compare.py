"""Reading plan files back for `planner compare`: a loader (plan files are JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from planner.errors import InputError, Issue
from planner.i18n import _


@dataclass(frozen=True)
class PlanSummary:
    """What a comparison needs from one plan file."""

    name: str  # the file name
    scenario: str
    status: str
    catalog_fingerprint: str
    objectives: dict[str, int]
    coverage: dict[str, float]  # sector -> share covered
    modules: dict[str, int]  # module -> term
    loads: dict[str, tuple[int, ...]]  # instructor -> hours per period
    tracks: tuple[str, ...] = ()  # the trayectos técnicos the plan offers


def load_plans(paths: list[Path]) -> list[PlanSummary]:
    """Every plan file, checked; raises InputError naming each file and key at fault."""
    issues: list[Issue] = []
    plans = []
    for path in paths:
        try:
            plans.append(_summary(Path(path)))
        except InputError as error:
            issues.extend(error.issues)
    if issues:
        raise InputError(issues)
    return plans


def _summary(path: Path) -> PlanSummary:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([Issue(str(path), _("the file does not exist."))]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError([Issue(path.name, _("this is not a plan file (JSON): {error}", error=str(error)))]) from None
    try:
        return PlanSummary(
            name=path.name,
            scenario=str(document["scenario"]),
            status=str(document["status"]),
            catalog_fingerprint=str(document.get("catalog_fingerprint", "")),
            objectives={str(k): int(v) for k, v in document["objectives"].items()},
            coverage={str(s["sector_id"]): float(s["coverage"]) for s in document["sector_coverage"]},
            modules={str(m["module_id"]): int(m["term"]) for m in document["modules"]},
            loads={
                str(load["instructor_id"]): tuple(int(h) for h in load["hours_per_period"])
                for load in document.get("instructor_loads", [])
            },
            tracks=tuple(str(t) for t in document.get("tracks", [])),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InputError(
            [Issue(path.name, _("this is not a plan file written by planner plan (key {key}).", key=str(error)))]
        ) from None
