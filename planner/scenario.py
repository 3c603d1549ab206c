"""Reading and checking a scenario: one TOML file (see PLANNER-SPEC.md, "Scenario format").

Keys are strict, so a typo never passes silently: an unknown key or a value of the wrong type is
reported with the dotted key it concerns ("hours.term_maxx") and, for typos, the nearest known key.
Every problem in the file is reported at once, in one InputError.
"""

from __future__ import annotations

import copy
import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.i18n import _, languages
from planner.loaders.toml_file import read_toml
from planner.model import DEFAULT_OBJECTIVE, INTAKES, OBJECTIVES, Scenario, SectorGoal

LARGEST_NUMBER = 1_000_000  # beyond any real hour budget or weight
LARGEST_AMOUNT = 10**12  # money: a national budget in pesos, far below the solver's 64-bit sums
MAX_SCENARIO_BYTES = 2**20
# A CONALEP programme has six semesters and a campus a handful of groups; the model grows with
# terms x modules x sections, so values far beyond these would only exhaust memory and time.
MOST = {"terms": 24, "sections": 100}

TOP_KEYS = (
    "name",
    "catalog",
    "campus",
    "terms",
    "sections",
    "careers",
    "required_modules",
    "excluded_modules",
    "objective",
    "time_limit_seconds",
    "language",
    "hours",
    "modules_per_term",
    "instructors",
    "budget",
    "training",
    "calendar",
    "dual",
    "tracks",
    "sectors",
)
HOURS_KEYS = ("total_max", "term_min", "term_max")
MODULES_PER_TERM_KEYS = ("min", "max")
INSTRUCTORS_KEYS = ("max_used", "min_qualified")
BUDGET_KEYS = ("max_cost",)
TRAINING_KEYS = ("budget",)
CALENDAR_KEYS = ("intake", "weeks_per_term")
SECTOR_KEYS = ("min_coverage", "weight")
DUAL_KEYS = ("groups", "max_company_hours")
TRACKS_KEYS = ("offer", "groups")


@dataclass
class Reader:
    """Reads the values of a scenario file, recording every problem instead of stopping at the first."""

    file: str
    issues: list[Issue]

    def report(self, key: str, message: str) -> None:
        self.issues.append(Issue(self.file, message, column=key))

    def known_keys(self, table: dict[str, Any], allowed: tuple[str, ...], prefix: str = "") -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (
                    _("did you mean '{key}'?", key=close[0])
                    if close
                    else _("the keys here are {keys}.", keys=", ".join(allowed))
                )
                self.report(prefix + key, _("unknown key '{key}'; {hint}", key=key, hint=hint))

    def table(self, parent: dict[str, Any], key: str, prefix: str = "") -> dict[str, Any]:
        value = parent.get(key, {})
        if isinstance(value, dict):
            return value
        self.report(
            prefix + key, _("must be a table ([{value}]), not {value2}.", value=prefix + key, value2=_shown(value))
        )
        return {}

    def text(self, table: dict[str, Any], key: str, prefix: str = "", required: bool = False) -> str | None:
        if key not in table:
            if required:
                self.report(prefix + key, _("this required key is missing."))
            return None
        value = table[key]
        if not isinstance(value, str) or value.strip() == "":
            self.report(prefix + key, _("must be non-empty text in quotes, not {value}.", value=_shown(value)))
            return None
        return value

    def whole(
        self,
        table: dict[str, Any],
        key: str,
        minimum: int,
        prefix: str = "",
        required: bool = False,
        maximum: int = LARGEST_NUMBER,
    ) -> int | None:
        if key not in table:
            if required:
                self.report(prefix + key, _("this required key is missing."))
            return None
        value = table[key]
        # bool is an int in Python, but `terms = true` is surely a mistake
        if not isinstance(value, int) or isinstance(value, bool):
            self.report(prefix + key, _("must be a whole number, not {value}.", value=_shown(value)))
            return None
        if value < minimum:
            self.report(prefix + key, _("must be at least {minimum}, not {value}.", minimum=minimum, value=value))
            return None
        if value > maximum:
            self.report(
                prefix + key,
                _("{value} is more than {most}, the most this planner accepts.", value=value, most=maximum),
            )
            return None
        return value

    def names(self, table: dict[str, Any], key: str) -> tuple[str, ...] | None:
        """A list of distinct non-empty texts (module ids, careers, objectives)."""
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.report(key, _("must be a list of non-empty texts in quotes, not {value}.", value=_shown(value)))
            return None
        for repeated in sorted({v for v in value if value.count(v) > 1}):
            self.report(key, _("'{repeated}' is listed more than once.", repeated=repeated))
        return tuple(value)


def _shown(value: Any) -> str:
    """A value as it is written in TOML, so the user recognises it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return _("a table")
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return str(value)


def _exact(value: int | float) -> Fraction:
    # Through the decimal text, so 0.8 is 4/5 as the user wrote it, not 0.8000000000000000444...
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _time_limit(read: Reader, data: dict[str, Any]) -> float | None:
    value = data.get("time_limit_seconds")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        read.report("time_limit_seconds", _("must be a positive number of seconds, not {value}.", value=_shown(value)))
        return None
    return float(value)


def _objective(read: Reader, data: dict[str, Any]) -> tuple[str, ...]:
    names = read.names(data, "objective")
    if names is None:
        return DEFAULT_OBJECTIVE
    if not names:
        read.report("objective", _("must name at least one of {items}.", items=", ".join(OBJECTIVES)))
        return DEFAULT_OBJECTIVE
    for name in names:
        if name not in OBJECTIVES:
            close = difflib.get_close_matches(name, OBJECTIVES, n=1)
            hint = _("did you mean '{key}'?", key=close[0]) if close else _("use {keys}.", keys=", ".join(OBJECTIVES))
            read.report("objective", _("'{name}' is not an objective; {hint}", name=name, hint=hint))
    return names


def _sector_goals(read: Reader, data: dict[str, Any]) -> tuple[SectorGoal, ...] | None:
    if "sectors" not in data:
        return None  # every catalog sector counts
    sectors = read.table(data, "sectors")
    if not sectors and isinstance(data["sectors"], dict):
        read.report("sectors", _("lists no sector; add [sectors.<sector_id>] tables or remove [sectors]."))
    goals = []
    for sector_id in sectors:
        prefix = f"sectors.{sector_id}."
        goal = read.table(sectors, sector_id, "sectors.")
        read.known_keys(goal, SECTOR_KEYS, prefix)
        goals.append(SectorGoal(sector_id, _min_coverage(read, goal, prefix), read.whole(goal, "weight", 1, prefix)))
    return tuple(goals)


def _min_coverage(read: Reader, goal: dict[str, Any], prefix: str) -> Fraction:
    value = goal.get("min_coverage", 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        read.report(
            prefix + "min_coverage", _("must be a number from 0 to 1 (0.8 = 80%), not {value}.", value=_shown(value))
        )
        return Fraction(0)
    return _exact(value)


def _relative_path(read: Reader, data: dict[str, Any], key: str, scenario_file: Path) -> Path | None:
    value = read.text(data, key)
    # Relative to the scenario file, not to wherever the command was run from.
    return (scenario_file.parent / value).resolve() if value is not None else None


def _intake(read: Reader, calendar: dict[str, Any]) -> str | None:
    value = read.text(calendar, "intake", "calendar.")
    if value is not None and value not in INTAKES:
        close = difflib.get_close_matches(value, INTAKES, n=1)
        hint = _("did you mean '{key}'?", key=close[0]) if close else _("use {keys}.", keys=", ".join(INTAKES))
        read.report("calendar.intake", _("'{value}' is not an intake; {hint}", value=value, hint=hint))
        return None
    return value


def _scenario(read: Reader, data: dict[str, Any], path: Path) -> dict[str, Any]:
    """The Scenario's fields; missing or invalid values are left out (and reported)."""
    read.known_keys(data, TOP_KEYS)
    hours = read.table(data, "hours")
    read.known_keys(hours, HOURS_KEYS, "hours.")
    per_term = read.table(data, "modules_per_term")
    read.known_keys(per_term, MODULES_PER_TERM_KEYS, "modules_per_term.")
    instructors = read.table(data, "instructors")
    read.known_keys(instructors, INSTRUCTORS_KEYS, "instructors.")
    budget = read.table(data, "budget")
    read.known_keys(budget, BUDGET_KEYS, "budget.")
    calendar = read.table(data, "calendar")
    read.known_keys(calendar, CALENDAR_KEYS, "calendar.")
    training = read.table(data, "training")
    read.known_keys(training, TRAINING_KEYS, "training.")
    fields = {
        "name": read.text(data, "name", required=True),
        "terms": read.whole(data, "terms", 1, required=True, maximum=MOST["terms"]),
        "sections": _sections(read, data),
        "catalog": _relative_path(read, data, "catalog", path),
        "campus": _relative_path(read, data, "campus", path),
        "intake": _intake(read, calendar),
        "weeks_per_term": read.whole(calendar, "weeks_per_term", 1, "calendar."),
        "careers": read.names(data, "careers"),
        "required_modules": read.names(data, "required_modules"),
        "excluded_modules": read.names(data, "excluded_modules"),
        "objective": _objective(read, data),
        "time_limit_seconds": _time_limit(read, data),
        "language": _language(read, data),
        "total_hours_max": read.whole(hours, "total_max", 0, "hours."),
        "term_hours_min": read.whole(hours, "term_min", 0, "hours."),
        "term_hours_max": read.whole(hours, "term_max", 0, "hours."),
        "modules_per_term_min": read.whole(per_term, "min", 0, "modules_per_term."),
        "modules_per_term_max": read.whole(per_term, "max", 0, "modules_per_term."),
        "max_instructors_used": read.whole(instructors, "max_used", 0, "instructors."),
        "min_qualified": read.whole(instructors, "min_qualified", 1, "instructors."),
        "max_cost": read.whole(budget, "max_cost", 0, "budget.", maximum=LARGEST_AMOUNT),
        "training_budget": read.whole(training, "budget", 0, "training.", maximum=LARGEST_AMOUNT),
        "sectors": _sector_goals(read, data),
        **_dual(read, data),
        **_tracks(read, data),
    }
    _lower_above_upper(read, fields, "term_hours_min", "term_hours_max", "hours.term_min", "hours.term_max")
    _lower_above_upper(
        read,
        fields,
        "modules_per_term_min",
        "modules_per_term_max",
        "modules_per_term.min",
        "modules_per_term.max",
    )
    # Absent (or invalid, hence reported) keys take the Scenario's defaults.
    return {key: value for key, value in fields.items() if value is not None}


def _whole_list(read: Reader, value: Any, key: str, minimum: int) -> tuple[int, ...] | None:
    """A list of whole numbers, each at least `minimum` and at most MOST["sections"] (per semester)."""
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        read.report(key, _("must be a list of whole numbers, one per semester, not {value}.", value=_shown(value)))
        return None
    if any(v < minimum for v in value):
        read.report(
            key, _("every number must be at least {minimum}, not {value}.", minimum=minimum, value=_shown(value))
        )
        return None
    most = MOST["sections"]
    if any(v > most for v in value):
        read.report(key, _("{value} is more than {most}, the most this planner accepts.", value=max(value), most=most))
        return None
    return tuple(value)


def _sections(read: Reader, data: dict[str, Any]) -> int | tuple[int, ...] | None:
    """`sections`: the same groups every semester (a whole number) or a list, one per semester."""
    value = data.get("sections")
    if not isinstance(value, list):
        return read.whole(data, "sections", 1, maximum=MOST["sections"])
    groups = _whole_list(read, value, "sections", 1)
    terms = data.get("terms")
    if groups is not None and isinstance(terms, int) and len(groups) != terms:
        read.report("sections", _("lists {count} semesters, but terms is {terms}.", count=len(groups), terms=terms))
        return None
    return groups


def _dual(read: Reader, data: dict[str, Any]) -> dict[str, Any]:
    """[dual]: the groups of each semester in dual training (at most its groups) and the company hours."""
    dual = read.table(data, "dual")
    read.known_keys(dual, DUAL_KEYS, "dual.")
    fields: dict[str, Any] = {"max_company_hours": read.whole(dual, "max_company_hours", 0, "dual.")}
    if "groups" not in dual:
        if dual:
            read.report("dual.groups", _("this required key is missing."))
        return fields
    groups = _whole_list(read, dual["groups"], "dual.groups", 0)
    terms, sections = data.get("terms"), data.get("sections", 1)
    if groups is None or not isinstance(terms, int):
        return fields
    if len(groups) != terms:
        read.report("dual.groups", _("lists {count} semesters, but terms is {terms}.", count=len(groups), terms=terms))
        return fields
    semesters = sections if isinstance(sections, list) and len(sections) == terms else [sections] * terms
    for t, (dual_groups, total) in enumerate(zip(groups, semesters, strict=True), start=1):
        if isinstance(total, int) and dual_groups > total:
            read.report(
                "dual.groups",
                _(
                    "puts {dual} groups of semester {term} in dual training, but it has {groups}.",
                    dual=dual_groups,
                    term=t,
                    groups=total,
                ),
            )
            return fields
    return fields | {"dual_groups": groups}


def _tracks(read: Reader, data: dict[str, Any]) -> dict[str, Any]:
    """[tracks]: how many of the candidate tracks are offered (required) and each one's groups."""
    if "tracks" not in data:
        return {}
    tracks = read.table(data, "tracks")
    read.known_keys(tracks, TRACKS_KEYS, "tracks.")
    return {
        "tracks_offer": read.whole(tracks, "offer", 1, "tracks.", required=True),
        "track_groups": read.whole(tracks, "groups", 1, "tracks.", maximum=MOST["sections"]),
    }


def _lower_above_upper(read: Reader, fields: dict[str, Any], low: str, high: str, low_key: str, high_key: str) -> None:
    if fields[low] is not None and fields[high] is not None and fields[low] > fields[high]:
        read.report(
            low_key,
            _(
                "{low_key} = {fields} is more than {high_key} = {fields2}.",
                low_key=low_key,
                fields=fields[low],
                high_key=high_key,
                fields2=fields[high],
            ),
        )


def _parse(path: Path) -> dict[str, Any]:
    return read_toml(path, MAX_SCENARIO_BYTES, missing=_("the scenario file {path} does not exist.", path=path))


def _language(read: Reader, data: dict[str, Any]) -> str | None:
    value = read.text(data, "language")
    if value is not None and value not in languages():
        read.report(
            "language",
            _("'{value}' is not a language of this planner; use {items}.", value=value, items=", ".join(languages())),
        )
        return None
    return value


def language_named_in(path: Path) -> str | None:
    """The scenario's language, read leniently: every message, errors included, is in it."""
    try:
        value = _parse(Path(path)).get("language")
    except InputError:
        return None
    return value if isinstance(value, str) and value in languages() else None


def catalog_named_in(path: Path) -> Path | None:
    """The catalog a scenario names, read leniently: its problems are reported with the scenario's."""
    return _path_named_in(path, "catalog")


def campus_named_in(path: Path) -> Path | None:
    """The campus folder a scenario names, read leniently (its problems are the scenario's own)."""
    return _path_named_in(path, "campus")


def _path_named_in(path: Path, key: str) -> Path | None:
    try:
        value = _parse(Path(path)).get(key)
    except InputError:
        return None
    return (Path(path).parent / value).resolve() if isinstance(value, str) and value.strip() else None


def load_scenario(path: Path, overrides: Mapping[str, Any] | None = None, source: str | None = None) -> Scenario:
    """Read and check the scenario TOML file at `path`.

    Raises InputError listing every problem (unknown keys, wrong types, out-of-range values).
    `Scenario.catalog` is resolved against the scenario file's folder; `Scenario.path` is `path`.
    Ids are not checked against a catalog here; `Problem.build` does that.

    `overrides` are merged over the file's keys before checking (a rollout's campus: `sectors`
    merge sector by sector, any other key replaces the file's), and `source` names the file in
    the problems reported (default: the file's name).
    """
    path = Path(path)
    data = _parse(path)
    if overrides:
        data = _merged(data, overrides)
    read = Reader(source or path.name, [])
    if not overrides and _looks_like_rollout(data):
        read.report(
            "template" if "template" in data else "scenarios",
            _("this is a rollout file, not a scenario: plan its campuses with `planner batch {path}`.", path=path),
        )
        raise InputError(read.issues)
    fields = _scenario(read, data, path)
    if read.issues:
        raise InputError(read.issues)
    try:
        return Scenario(**fields, path=path)
    except ValueError as exc:  # a rule of Scenario's own that the checks above do not cover
        raise InputError([Issue(read.file, str(exc))]) from None


def _merged(data: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(data)
    for key, value in overrides.items():
        sectors = merged.get("sectors")
        if key == "sectors" and isinstance(sectors, dict):
            for sector_id, goal in value.items():
                old = sectors.get(sector_id)
                sectors[sector_id] = {**old, **goal} if isinstance(old, dict) else goal
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _looks_like_rollout(data: dict[str, Any]) -> bool:
    """A rollout file's keys (`scenarios`, or `template` with [[campus]]) and none of a scenario's."""
    rollout = "scenarios" in data or ("template" in data and isinstance(data.get("campus"), list))
    return rollout and not any(key in data for key in ("terms", "catalog", "objective"))
