"""The catalog as domain types: sectors, skills, demands, modules, instructors, labs, and what the
campus's other careers already take of its teachers and labs (commitments).

Entities check their own fields in `__post_init__` (raising `ValueError` with a plain sentence);
the loader turns those into messages naming file, row and column. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from planner.i18n import _

LEVELS = (1, 2, 3)


@dataclass(frozen=True)
class Origin:
    """Where an entity was read: file (or sheet) name and spreadsheet row (header = 1)."""

    file: str
    row: int


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _check_id(value: str, what: str) -> None:
    _require(isinstance(value, str) and value != "", _("{what} must not be empty.", what=what))
    _require(value == value.strip(), _("{what} '{value}' has leading or trailing spaces.", what=what, value=value))


@dataclass(frozen=True)
class Sector:
    sector_id: str
    name: str
    weight: int
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_id(self.sector_id, "sector_id")
        _require(self.weight >= 1, _("weight {weight} must be at least 1.", weight=self.weight))


@dataclass(frozen=True)
class Skill:
    skill_id: str
    name: str
    cluster: str
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_id(self.skill_id, "skill_id")


@dataclass(frozen=True)
class Demand:
    """A sector needs a skill at a level (1 awareness, 2 operational, 3 proficient)."""

    sector_id: str
    skill_id: str
    level: int
    importance: int
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _require(self.level in LEVELS, _("level {level} must be 1, 2 or 3.", level=self.level))
        _require(self.importance >= 1, _("importance {importance} must be at least 1.", importance=self.importance))


@dataclass(frozen=True)
class Module:
    module_id: str
    name: str
    career: str
    hours: int
    earliest_term: int | None = None
    latest_term: int | None = None
    # Dual training: the hours a student in a dual group learns at a partner company.
    dual_hours: int = 0
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_id(self.module_id, "module_id")
        _require(self.hours >= 1, _("hours {hours} must be at least 1.", hours=self.hours))
        _require(
            0 <= self.dual_hours < self.hours,
            _(
                "dual_hours {dual_hours} must lie between 0 and {most} (below the module's {hours} hours: "
                "a school part always remains).",
                dual_hours=self.dual_hours,
                most=self.hours - 1,
                hours=self.hours,
            ),
        )
        for name in ("earliest_term", "latest_term"):
            value = getattr(self, name)
            _require(value is None or value >= 1, _("{name} {value} must be at least 1.", name=name, value=value))
        if self.earliest_term is not None and self.latest_term is not None:
            _require(
                self.earliest_term <= self.latest_term,
                _(
                    "earliest_term {earliest_term} is after latest_term {latest_term}.",
                    earliest_term=self.earliest_term,
                    latest_term=self.latest_term,
                ),
            )


@dataclass(frozen=True)
class ModuleSkill:
    """A module teaches a skill up to a level."""

    module_id: str
    skill_id: str
    level: int
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _require(self.level in LEVELS, _("level {level} must be 1, 2 or 3.", level=self.level))


@dataclass(frozen=True)
class Prerequisite:
    module_id: str
    prerequisite_id: str
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _require(
            self.module_id != self.prerequisite_id,
            _("module {module_id} cannot be its own prerequisite.", module_id=self.module_id),
        )


@dataclass(frozen=True)
class Instructor:
    """A teacher's contract: at most `max_hours_per_term` hours in a period and, when teaching at all
    in a period, at least `min_hours_per_term` (the contract floor); paid `cost_per_hour`."""

    instructor_id: str
    name: str
    max_hours_per_term: int
    min_hours_per_term: int = 0
    cost_per_hour: int = 0
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_id(self.instructor_id, "instructor_id")
        _require(
            self.max_hours_per_term >= 0,
            _(
                "max_hours_per_term {max_hours_per_term} must not be negative.",
                max_hours_per_term=self.max_hours_per_term,
            ),
        )
        _require(
            self.min_hours_per_term >= 0,
            _(
                "min_hours_per_term {min_hours_per_term} must not be negative.",
                min_hours_per_term=self.min_hours_per_term,
            ),
        )
        _require(
            self.min_hours_per_term <= self.max_hours_per_term,
            _(
                "min_hours_per_term {min_hours_per_term} is above max_hours_per_term {max_hours_per_term}.",
                min_hours_per_term=self.min_hours_per_term,
                max_hours_per_term=self.max_hours_per_term,
            ),
        )
        _require(
            self.cost_per_hour >= 0,
            _("cost_per_hour {cost_per_hour} must not be negative.", cost_per_hour=self.cost_per_hour),
        )


@dataclass(frozen=True)
class Qualification:
    instructor_id: str
    module_id: str
    origin: Origin | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Lab:
    """A workshop or laboratory (cleanroom, wire bonder, ATE cell) with its hours per period."""

    lab_id: str
    name: str
    max_hours_per_term: int
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_id(self.lab_id, "lab_id")
        _require(
            self.max_hours_per_term >= 0,
            _(
                "max_hours_per_term {max_hours_per_term} must not be negative.",
                max_hours_per_term=self.max_hours_per_term,
            ),
        )


@dataclass(frozen=True)
class ModuleLab:
    """Every section of the module uses the lab for the module's hours."""

    module_id: str
    lab_id: str
    origin: Origin | None = field(default=None, compare=False, repr=False)


def _check_period_hours(period: int, hours: int) -> None:
    """A commitment names a numbered period (1, 2, ...) and whole hours."""
    _require(period >= 1, _("period {period} must be at least 1.", period=period))
    _require(hours >= 0, _("hours {hours} must not be negative.", hours=hours))


@dataclass(frozen=True)
class Commitment:
    """Hours an instructor already teaches in a period for the campus's other careers."""

    instructor_id: str
    period: int
    hours: int
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_period_hours(self.period, self.hours)


@dataclass(frozen=True)
class LabCommitment:
    """Hours a lab is already used in a period by the campus's other careers."""

    lab_id: str
    period: int
    hours: int
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_period_hours(self.period, self.hours)


@dataclass(frozen=True)
class Training:
    """A qualification that can be bought: training `instructor_id` to teach `module_id`, at `cost`."""

    instructor_id: str
    module_id: str
    cost: int
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _require(self.cost >= 0, _("cost {cost} must not be negative.", cost=self.cost))


@dataclass(frozen=True)
class Track:
    """A trayecto técnico: a career's technical track, one of which each student takes."""

    track_id: str
    name: str
    career: str
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_id(self.track_id, "track_id")


@dataclass(frozen=True)
class TrackModule:
    """A module of a track (a module belongs to at most one track)."""

    track_id: str
    module_id: str
    origin: Origin | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Offer:
    """A training offer the optimizer may buy: instructor and candidate module as indices."""

    instructor: int
    module: int
    cost: int
    training: Training


@dataclass(frozen=True)
class Catalog:
    """Skills, modules and instructors, already checked for internal consistency by the loader."""

    sectors: tuple[Sector, ...]
    skills: tuple[Skill, ...]
    demands: tuple[Demand, ...]
    modules: tuple[Module, ...]
    module_skills: tuple[ModuleSkill, ...]
    prerequisites: tuple[Prerequisite, ...] = ()
    instructors: tuple[Instructor, ...] = ()
    qualifications: tuple[Qualification, ...] = ()
    labs: tuple[Lab, ...] = ()
    module_labs: tuple[ModuleLab, ...] = ()
    training: tuple[Training, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    lab_commitments: tuple[LabCommitment, ...] = ()
    tracks: tuple[Track, ...] = ()
    track_modules: tuple[TrackModule, ...] = ()
    source: str = "catalog"
    fingerprint: str = ""
    campus: str | None = None  # the campus folder whose roster and labs replaced the catalog's
    campus_name: str = ""  # the campus (plantel) and its state, as campuses.csv beside it names them
    campus_state: str = ""

    @cached_property
    def module_by_id(self) -> dict[str, Module]:
        return {m.module_id: m for m in self.modules}

    @cached_property
    def sector_by_id(self) -> dict[str, Sector]:
        return {s.sector_id: s for s in self.sectors}

    @cached_property
    def skill_by_id(self) -> dict[str, Skill]:
        return {s.skill_id: s for s in self.skills}

    @cached_property
    def instructor_by_id(self) -> dict[str, Instructor]:
        return {i.instructor_id: i for i in self.instructors}

    @cached_property
    def lab_by_id(self) -> dict[str, Lab]:
        return {lab.lab_id: lab for lab in self.labs}

    @cached_property
    def track_of(self) -> dict[str, str]:
        """Module id -> the id of the track it belongs to (modules of no track are absent)."""
        return {tm.module_id: tm.track_id for tm in self.track_modules}

    @cached_property
    def careers(self) -> tuple[str, ...]:
        return tuple(sorted({m.career for m in self.modules}))
