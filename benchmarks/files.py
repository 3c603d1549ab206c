"""Benchmark instances and how they become the files a curriculum designer would hand the planner.

Every instance is written as a catalog folder of CSVs plus a scenario TOML (formats in
PLANNER-SPEC.md), so the benchmark exercises the real loaders rather than a shortcut.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from planner.model import Catalog, Scenario


@dataclass(frozen=True)
class Instance:
    """A catalog + scenario to solve; `optimum` is the published value of `scenario.objective[0]`."""

    name: str
    family: str  # "bacp", "scp" or "synthetic"
    catalog: Catalog
    scenario: Scenario
    optimum: int | None = None
    seed: int | None = None  # synthetic instances: the generator's seed

    @property
    def objective(self) -> str:
        return self.scenario.objective[0]


def write_instance(instance: Instance, root: Path) -> Path:
    """Write `root/<name>/catalog/*.csv` and `root/<name>/scenario.toml`; return the scenario path."""
    folder = root / instance.name
    write_catalog(instance.catalog, folder / "catalog")
    path = folder / "scenario.toml"
    write_scenario(instance.scenario, path, catalog="catalog")
    return path


def write_catalog(catalog: Catalog, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _write_csv(
        folder / "sectors.csv",
        ["sector_id", "name", "weight"],
        ([s.sector_id, s.name, s.weight] for s in catalog.sectors),
    )
    _write_csv(
        folder / "skills.csv",
        ["skill_id", "name", "cluster"],
        ([s.skill_id, s.name, s.cluster] for s in catalog.skills),
    )
    _write_csv(
        folder / "demands.csv",
        ["sector_id", "skill_id", "level", "importance"],
        ([d.sector_id, d.skill_id, d.level, d.importance] for d in catalog.demands),
    )
    dual = any(m.dual_hours for m in catalog.modules)  # the version-3 column only where used
    _write_csv(
        folder / "modules.csv",
        ["module_id", "name", "career", "hours", "earliest_term", "latest_term", *(["dual_hours"] if dual else [])],
        (
            [
                m.module_id,
                m.name,
                m.career,
                m.hours,
                _blank(m.earliest_term),
                _blank(m.latest_term),
                *([m.dual_hours or ""] if dual else []),
            ]
            for m in catalog.modules
        ),
    )
    _write_csv(
        folder / "module_skills.csv",
        ["module_id", "skill_id", "level"],
        ([ms.module_id, ms.skill_id, ms.level] for ms in catalog.module_skills),
    )
    _write_csv(
        folder / "prerequisites.csv",
        ["module_id", "prerequisite_id"],
        ([p.module_id, p.prerequisite_id] for p in catalog.prerequisites),
    )
    # Without instructors or labs the optional files are left out, as a designer would.
    if catalog.instructors:
        _write_instructors(catalog, folder)
        _write_csv(
            folder / "qualifications.csv",
            ["instructor_id", "module_id"],
            ([q.instructor_id, q.module_id] for q in catalog.qualifications),
        )
    if catalog.labs:
        _write_csv(
            folder / "labs.csv",
            ["lab_id", "name", "max_hours_per_term"],
            ([lab.lab_id, lab.name, lab.max_hours_per_term] for lab in catalog.labs),
        )
        _write_csv(
            folder / "module_labs.csv",
            ["module_id", "lab_id"],
            ([ml.module_id, ml.lab_id] for ml in catalog.module_labs),
        )
    if catalog.commitments:
        _write_csv(
            folder / "commitments.csv",
            ["instructor_id", "period", "hours"],
            ([c.instructor_id, c.period, c.hours] for c in catalog.commitments),
        )
    if catalog.lab_commitments:
        _write_csv(
            folder / "lab_commitments.csv",
            ["lab_id", "period", "hours"],
            ([c.lab_id, c.period, c.hours] for c in catalog.lab_commitments),
        )
    if catalog.tracks:
        _write_csv(
            folder / "tracks.csv",
            ["track_id", "name", "career"],
            ([t.track_id, t.name, t.career] for t in catalog.tracks),
        )
        _write_csv(
            folder / "track_modules.csv",
            ["track_id", "module_id"],
            ([tm.track_id, tm.module_id] for tm in catalog.track_modules),
        )


def _write_instructors(catalog: Catalog, folder: Path) -> None:
    """The version-2 columns (floor, cost) only when some instructor has them, so version-1
    catalogs stay readable by a version-1 loader."""
    staffing = any(i.min_hours_per_term or i.cost_per_hour for i in catalog.instructors)
    header = ["instructor_id", "name", "max_hours_per_term"]
    if staffing:
        header += ["min_hours_per_term", "cost_per_hour"]
    _write_csv(
        folder / "instructors.csv",
        header,
        (
            [
                i.instructor_id,
                i.name,
                i.max_hours_per_term,
                *([i.min_hours_per_term, i.cost_per_hour] if staffing else []),
            ]
            for i in catalog.instructors
        ),
    )


def _blank(value: int | None) -> str | int:
    return "" if value is None else value


def _write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_scenario(scenario: Scenario, path: Path, catalog: str) -> None:
    """Write the scenario as TOML; only keys that differ from the defaults are written."""
    lines = [f"name = {_text(scenario.name)}", f"catalog = {_text(catalog)}", f"terms = {scenario.terms}"]
    if scenario.sections != 1:
        sections = scenario.sections
        lines.append(f"sections = {list(sections) if isinstance(sections, tuple) else sections}")
    if scenario.careers is not None:
        lines.append(f"careers = {_texts(scenario.careers)}")
    if scenario.required_modules:
        lines.append(f"required_modules = {_texts(scenario.required_modules)}")
    if scenario.excluded_modules:
        lines.append(f"excluded_modules = {_texts(scenario.excluded_modules)}")
    lines.append(f"objective = {_texts(scenario.objective)}")
    if scenario.time_limit_seconds is not None:
        lines.append(f"time_limit_seconds = {scenario.time_limit_seconds}")
    _table(
        lines,
        "hours",
        total_max=scenario.total_hours_max,
        term_min=scenario.term_hours_min or None,
        term_max=scenario.term_hours_max,
    )
    _table(lines, "modules_per_term", min=scenario.modules_per_term_min or None, max=scenario.modules_per_term_max)
    _table(
        lines,
        "instructors",
        max_used=scenario.max_instructors_used,
        min_qualified=scenario.min_qualified if scenario.min_qualified != 1 else None,
    )
    _table(lines, "calendar", intake=_text(scenario.intake) if scenario.intake != "yearly" else None)
    _table(lines, "budget", max_cost=scenario.max_cost)
    if scenario.dual_groups is not None:
        _table(lines, "dual", groups=list(scenario.dual_groups), max_company_hours=scenario.max_company_hours)
    if scenario.tracks_offer is not None:
        _table(lines, "tracks", offer=scenario.tracks_offer, groups=scenario.track_groups)
    for goal in scenario.sectors or ():
        key = goal.sector_id if re.fullmatch(r"[A-Za-z0-9_-]+", goal.sector_id) else _text(goal.sector_id)
        _table(lines, f"sectors.{key}", always=True, min_coverage=_decimal(goal.min_coverage), weight=goal.weight)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _table(lines: list[str], name: str, always: bool = False, **values: object) -> None:
    present = {k: v for k, v in values.items() if v is not None}
    if present or always:
        lines.append(f"\n[{name}]")
        lines.extend(f"{k} = {v}" for k, v in present.items())


def _decimal(value: Fraction) -> str:
    """A min_coverage as a TOML number; only fractions with an exact decimal form are accepted."""
    text = repr(float(value))
    if Fraction(text) != value:
        raise ValueError(f"min_coverage {value} has no exact decimal form; use a value like 0.75.")
    return text


def _text(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes).
    return json.dumps(value, ensure_ascii=False)


def _texts(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(_text(v) for v in values) + "]"
