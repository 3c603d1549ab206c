"""Reading plan files back for `planner compare`: a loader (plan files are JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.loaders.json_file import read_json


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
    names: dict[str, str] = field(default_factory=dict)  # module or instructor id -> name, where the file has it
    intake: str = ""  # the calendar's intake (yearly, every_term, single), which names the periods
    periods: tuple[tuple[int, ...], ...] = ()  # the terms of each period
    tracks: tuple[str, ...] = ()  # the trayectos técnicos the plan offers (older plan files: none)


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
    document = read_json(path)
    shape = _Shape(path.name)
    top = shape.table(document, "")
    calendar = shape.table(top, "calendar") if "calendar" in top else {}
    return PlanSummary(
        name=path.name,
        scenario=shape.text(top, "scenario"),
        status=shape.text(top, "status"),
        catalog_fingerprint=shape.text(top, "catalog_fingerprint", default=""),
        objectives={
            key: shape.whole(value, f"objectives.{key}") for key, value in shape.table(top, "objectives").items()
        },
        coverage={
            shape.text(sector, "sector_id", "sector_coverage"): shape.number(
                sector.get("coverage"), "sector_coverage[].coverage"
            )
            for sector in shape.tables(top, "sector_coverage")
        },
        modules={
            shape.text(module, "module_id", "modules"): shape.whole(module.get("term"), "modules[].term")
            for module in shape.tables(top, "modules")
        },
        loads={
            shape.text(load, "instructor_id", "instructor_loads"): tuple(
                shape.whole(hours, "instructor_loads[].hours_per_period[]")
                for hours in shape.items(load, "hours_per_period", "instructor_loads[].")
            )
            for load in shape.tables(top, "instructor_loads", required=False)
        },
        names=_names(shape, top),
        intake=shape.text(calendar, "intake", "calendar", default=""),
        periods=_periods(shape, calendar),
        tracks=_tracks(shape, top),
    )


def _tracks(shape: _Shape, top: dict[str, Any]) -> tuple[str, ...]:
    """The offered track ids (plan files from before tracks have none)."""
    tracks = shape.items(top, "tracks", required=False)
    for track in tracks:
        if not isinstance(track, str):
            raise shape.refuse("tracks[]", _("text"), track)
    return tuple(tracks)


def _periods(shape: _Shape, calendar: dict[str, Any]) -> tuple[tuple[int, ...], ...]:
    """The terms of each period, as the plan file's calendar lists them (absent in older files)."""
    periods = []
    for terms in shape.items(calendar, "periods", "calendar.", required=False):
        if not isinstance(terms, list):
            raise shape.refuse("calendar.periods[]", _("a list"), terms)
        periods.append(tuple(shape.whole(t, "calendar.periods[][]") for t in terms))
    return tuple(periods)


def _names(shape: _Shape, top: dict[str, Any]) -> dict[str, str]:
    """Module and instructor names where the plan file has them, so people read names beside ids."""
    entries = [("module_id", m) for m in shape.tables(top, "modules")]
    entries += [("instructor_id", i) for i in shape.tables(top, "instructor_loads", required=False)]
    return {
        shape.text(entry, key): shape.text(entry, "name", default="") for key, entry in entries if entry.get("name")
    }


class _Shape:
    """Reads a plan file's document, refusing the first value of the wrong kind with its key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def refuse(self, key: str, expected: str, value: Any) -> InputError:
        return InputError(
            [
                Issue(
                    self.file,
                    _(
                        "this is not a plan file written by planner plan: {key} must be {expected}, not {value}.",
                        key=key or _("the document"),
                        expected=expected,
                        value=_kind(value),
                    ),
                )
            ]
        )

    def missing(self, key: str) -> InputError:
        return InputError(
            [Issue(self.file, _("this is not a plan file written by planner plan (key {key}).", key=repr(key)))]
        )

    def table(self, parent: Any, key: str) -> dict[str, Any]:
        value = parent if key == "" else self.value(parent, key)
        if not isinstance(value, dict):
            raise self.refuse(key, _("an object"), value)
        return value

    def value(self, parent: dict[str, Any], key: str, required: bool = True, default: Any = None) -> Any:
        if key not in parent:
            if required:
                raise self.missing(key)
            return default
        return parent[key]

    def items(self, parent: dict[str, Any], key: str, prefix: str = "", required: bool = True) -> list[Any]:
        value = self.value(parent, key, required, default=[])
        if not isinstance(value, list):
            raise self.refuse(prefix + key, _("a list"), value)
        return value

    def tables(self, parent: dict[str, Any], key: str, required: bool = True) -> list[dict[str, Any]]:
        found = self.items(parent, key, required=required)
        for item in found:
            if not isinstance(item, dict):
                raise self.refuse(f"{key}[]", _("an object"), item)
        return found

    def text(self, parent: dict[str, Any], key: str, prefix: str = "", default: str | None = None) -> str:
        value = self.value(parent, key, required=default is None, default=default)
        if not isinstance(value, str):
            raise self.refuse(f"{prefix}[].{key}" if prefix else key, _("text"), value)
        return value

    def whole(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.refuse(key, _("a whole number"), value)
        return value

    def number(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.refuse(key, _("a number"), value)
        return float(value)


def _kind(value: Any) -> str:
    """What a JSON value is, in words (its text would be too long for a message)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("text")
    return _("the number {value}", value=value)
