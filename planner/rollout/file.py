"""The rollout file: a loader, strict like the scenario's.

A rollout file lists campus scenarios, either as paths (`scenarios = [...]`) or as one template
scenario plus campus folders with per-campus overrides (`[[campus]]`). Paths are relative to the
rollout file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.scenario import campus_named_in, catalog_named_in

ROLLOUT_KEYS = ("name", "scenarios", "template", "campus", "time_limit_seconds")
CAMPUS_KEYS = ("folder", "name", "sections", "sectors")
SECTOR_KEYS = ("weight", "min_coverage")
MAX_ROLLOUT_BYTES = 2**22


@dataclass(frozen=True)
class CampusJob:
    """One campus of the rollout: its output stem, its scenario file and the overrides merged over it."""

    key: str
    scenario_path: Path
    overrides: dict[str, Any] = field(default_factory=dict, hash=False)
    campus_folder: Path | None = None


@dataclass(frozen=True)
class Rollout:
    path: Path
    name: str
    jobs: tuple[CampusJob, ...]
    time_limit: float | None = None


def load_rollout(path: Path) -> Rollout:
    """Read and check a rollout file; every problem is reported at once (InputError, exit 2)."""
    path = Path(path)
    data = _parse(path)
    issues: list[Issue] = []

    def report(key: str, message: str) -> None:
        issues.append(Issue(path.name, message, column=key))

    _known(data, ROLLOUT_KEYS, "", report)
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        report("name", _("must be non-empty text in quotes."))
        name = path.stem
    limit = _time_limit(data, report)
    has_list, has_template = "scenarios" in data, "template" in data
    if has_list == has_template:
        report(
            "scenarios", _("give either `scenarios = [...]` or `template` with [[campus]] tables, not both or neither.")
        )
        raise InputError(issues)
    jobs = _listed(path, data, report) if has_list else _templated(path, data, report)
    if not issues and not jobs:
        report("scenarios" if has_list else "campus", _("the rollout lists no campus."))
    if issues:
        raise InputError(issues)
    return Rollout(path, name, tuple(_distinct_keys(jobs)), limit)


def _parse(path: Path) -> dict[str, Any]:
    from planner.loaders.toml_file import read_toml

    return read_toml(path, MAX_ROLLOUT_BYTES)


def _known(table: dict[str, Any], allowed: tuple[str, ...], prefix: str, report: Any) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            if close:
                report(prefix + key, _("unknown key '{key}'; did you mean '{close}'?", key=key, close=close[0]))
            else:
                report(
                    prefix + key, _("unknown key '{key}'; the keys here are {keys}.", key=key, keys=", ".join(allowed))
                )


def _time_limit(data: dict[str, Any], report: Any) -> float | None:
    value = data.get("time_limit_seconds")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
        report("time_limit_seconds", _("must be a positive number of seconds."))
        return None
    return float(value)


def _listed(path: Path, data: dict[str, Any], report: Any) -> list[CampusJob]:
    value = data["scenarios"]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report("scenarios", _("must be a list of scenario paths in quotes."))
        return []
    jobs, seen = [], set()
    for text in value:
        scenario = (path.parent / text).resolve()
        if scenario in seen:
            report("scenarios", _("'{path}' is listed more than once.", path=text))
        elif not scenario.is_file():
            report("scenarios", _("the scenario file '{path}' does not exist.", path=text))
        else:
            jobs.append(CampusJob(scenario.stem, scenario, {}, campus_named_in(scenario)))
        seen.add(scenario)
    return jobs


def _templated(path: Path, data: dict[str, Any], report: Any) -> list[CampusJob]:
    template_text = data["template"]
    if not isinstance(template_text, str) or not template_text.strip():
        report("template", _("must be the path of a scenario file in quotes."))
        return []
    template = (path.parent / template_text).resolve()
    if not template.is_file():
        report("template", _("the template scenario '{path}' does not exist.", path=template_text))
    campuses = data.get("campus", [])
    if not isinstance(campuses, list) or not all(isinstance(c, dict) for c in campuses):
        report("campus", _("must be [[campus]] tables, one per campus."))
        return []
    jobs, seen = [], set()
    for n, table in enumerate(campuses, start=1):
        job = _campus_job(path, template, table, f"campus[{n}].", report)
        if job is not None and job.campus_folder in seen:
            report(f"campus[{n}].folder", _("this campus folder is listed more than once."))
        elif job is not None:
            seen.add(job.campus_folder)
            jobs.append(job)
    return jobs


def _campus_job(path: Path, template: Path, table: dict[str, Any], prefix: str, report: Any) -> CampusJob | None:
    _known(table, CAMPUS_KEYS, prefix, report)
    folder_text = table.get("folder")
    if not isinstance(folder_text, str) or not folder_text.strip():
        report(prefix + "folder", _("this required key must be the campus folder's path in quotes."))
        return None
    folder = (path.parent / folder_text).resolve()
    if not folder.is_dir():
        report(prefix + "folder", _("the campus folder '{path}' does not exist.", path=folder_text))
        return None
    overrides: dict[str, Any] = {"campus": str(folder)}
    name = table.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        report(prefix + "name", _("must be non-empty text in quotes."))
    elif name is not None:
        overrides["name"] = name
    sections = table.get("sections")
    if sections is not None and not _groups(sections):
        report(prefix + "sections", _("must be a whole number of at least 1, or a list of them (one per semester)."))
    elif sections is not None:
        overrides["sections"] = sections  # the scenario's rules check a list against its terms
    sectors = table.get("sectors", {})
    if not isinstance(sectors, dict) or not all(isinstance(v, dict) for v in sectors.values()):
        report(prefix + "sectors", _("must hold [campus.sectors.<sector_id>] tables."))
    else:
        for sector_id, goal in sectors.items():
            _known(goal, SECTOR_KEYS, f"{prefix}sectors.{sector_id}.", report)
        if sectors:
            overrides["sectors"] = sectors
    return CampusJob(folder.name, template, overrides, folder)


def _distinct_keys(jobs: list[CampusJob]) -> list[CampusJob]:
    """Campuses whose scenario files share a stem get -2, -3, ... in rollout order."""
    used: set[str] = set()
    out = []
    for job in jobs:
        key, n = job.key, 1
        while key.casefold() in used:
            n += 1
            key = f"{job.key}-{n}"
        used.add(key.casefold())
        out.append(CampusJob(key, job.scenario_path, job.overrides, job.campus_folder))
    return out


def rollout_inputs(rollout: Rollout) -> list[Path]:
    """Every input of the rollout: its file, and each campus's scenario, catalog and campus folder."""
    found: list[Path | None] = [rollout.path]
    for job in rollout.jobs:
        found += [job.scenario_path, catalog_named_in(job.scenario_path), job.campus_folder]
    return [path for path in dict.fromkeys(found) if path is not None]


def _groups(value: Any) -> bool:
    """A campus's groups: a whole number of at least 1, or a list of them."""
    values = value if isinstance(value, list) and value else [value]
    return all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in values)
