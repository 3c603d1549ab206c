"""Domain types: the catalog, the scenario, and the problem the optimizer solves.

Entities check their own fields in `__post_init__` (raising `ValueError` with a plain sentence);
`Problem.build` checks what spans catalog and scenario and precomputes integer indices, so the
optimizer never handles string ids. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.reasons import Reason
from planner.review_plan import Review

LEVELS = (1, 2, 3)
OBJECTIVES = ("coverage", "hours", "balance", "cost", "changes")  # changes: against a --review
DEFAULT_OBJECTIVE = ("coverage", "hours", "balance")
# How cohorts are admitted, which decides the terms that run together in one period (a real
# school term): yearly intake runs odd terms together (autumn) and even terms together (spring).
INTAKES = ("yearly", "every_term", "single")


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
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_id(self.module_id, "module_id")
        _require(self.hours >= 1, _("hours {hours} must be at least 1.", hours=self.hours))
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


@dataclass(frozen=True)
class Training:
    """A qualification that can be bought: training `instructor_id` to teach `module_id`, at `cost`."""

    instructor_id: str
    module_id: str
    cost: int
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _require(self.cost >= 0, f"cost {self.cost} must not be negative.")


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
    source: str = "catalog"
    fingerprint: str = ""
    campus: str | None = None  # the campus folder whose roster and labs replaced the catalog's

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
    def careers(self) -> tuple[str, ...]:
        return tuple(sorted({m.career for m in self.modules}))


@dataclass(frozen=True)
class SectorGoal:
    """A priority sector of a scenario: its coverage floor and (optionally) its own weight."""

    sector_id: str
    min_coverage: Fraction = Fraction(0)
    weight: int | None = None

    def __post_init__(self) -> None:
        _require(0 <= self.min_coverage <= 1, _("min_coverage must lie between 0 and 1."))
        _require(self.weight is None or self.weight >= 1, _("weight must be at least 1."))


@dataclass(frozen=True)
class Scenario:
    """A planning question, as read from a TOML file (see PLANNER-SPEC.md, Scenario format)."""

    name: str
    terms: int
    sections: int = 1
    catalog: Path | None = None
    campus: Path | None = None
    careers: tuple[str, ...] | None = None
    required_modules: tuple[str, ...] = ()
    excluded_modules: tuple[str, ...] = ()
    objective: tuple[str, ...] = DEFAULT_OBJECTIVE
    time_limit_seconds: float | None = None
    language: str | None = None  # of the workbook and messages; --lang wins; None: the default
    total_hours_max: int | None = None
    term_hours_min: int = 0
    term_hours_max: int | None = None
    modules_per_term_min: int = 0
    modules_per_term_max: int | None = None
    max_instructors_used: int | None = None
    min_qualified: int = 1
    max_cost: int | None = None
    training_budget: int = 0  # [training] budget: money for buying qualifications (0: none bought)
    intake: str = "yearly"
    weeks_per_term: int = 18  # CONALEP semesters run 18 weeks; used to show hours per week
    sectors: tuple[SectorGoal, ...] | None = None
    path: Path | None = None

    def __post_init__(self) -> None:
        _require(self.terms >= 1, _("terms {terms} must be at least 1.", terms=self.terms))
        _require(self.sections >= 1, _("sections {sections} must be at least 1.", sections=self.sections))
        _require(len(self.objective) > 0, _("objective must name at least one objective."))
        for name in self.objective:
            _require(
                name in OBJECTIVES,
                _("objective '{name}' is not one of {items}.", name=name, items=", ".join(OBJECTIVES)),
            )
        _require(len(set(self.objective)) == len(self.objective), _("objective repeats a name."))
        _require(
            self.intake in INTAKES,
            _("intake '{intake}' is not one of {items}.", intake=self.intake, items=", ".join(INTAKES)),
        )
        _require(
            self.min_qualified >= 1,
            _("min_qualified {min_qualified} must be at least 1.", min_qualified=self.min_qualified),
        )
        _require(
            self.training_budget >= 0,
            _("training budget {budget} must not be negative.", budget=self.training_budget),
        )

    @property
    def periods(self) -> tuple[tuple[int, ...], ...]:
        """The terms that run together in each period (a real school term), in order."""
        terms = range(1, self.terms + 1)
        if self.intake == "single":
            return tuple((t,) for t in terms)
        if self.intake == "every_term":
            return (tuple(terms),)
        return tuple(p for p in (tuple(terms[0::2]), tuple(terms[1::2])) if p)

    @property
    def file_name(self) -> str:
        return self.path.name if self.path else "scenario"


def per_week(hours: int, weeks: int) -> str:
    """Hours of a term as hours per week, the way contracts are written: 6, 5.6."""
    return f"{hours / weeks:.1f}".removesuffix(".0")


def period_data(scenario: Scenario, p: int) -> dict[str, object]:
    """A period as reason data (planner.words.reasons.period says it)."""
    return {"intake": scenario.intake, "season": p, "terms": list(scenario.periods[p])}


# --- the problem in integer form -------------------------------------------------------------


@dataclass(frozen=True)
class DemandRow:
    """A demand of a scenario sector, with the candidate modules that would cover it."""

    demand: Demand
    sector: int  # index into Problem.sector_ids
    weight: int  # effective sector weight x importance
    covering: tuple[int, ...]  # candidate indices teaching the skill at >= the level


@dataclass(frozen=True)
class Problem:
    """Catalog + scenario as indices. Candidate modules are numbered 0..n-1 in catalog order."""

    catalog: Catalog
    scenario: Scenario
    candidates: tuple[Module, ...]
    windows: tuple[tuple[int, int], ...]  # allowed terms per candidate, within 1..terms
    blocked: Mapping[int, Reason]  # candidate -> why it can never be taken
    prerequisites: tuple[tuple[int, int], ...]  # (module, prerequisite), both candidates
    sector_ids: tuple[str, ...]
    sector_weights: tuple[int, ...]
    min_coverage: tuple[Fraction, ...]
    demand_rows: tuple[DemandRow, ...]
    instructors: tuple[Instructor, ...]
    qualified: tuple[tuple[int, ...], ...]  # per candidate: instructor indices
    labs: tuple[Lab, ...] = ()
    module_labs: tuple[tuple[int, ...], ...] = ()  # per candidate: indices of the labs it needs
    review: Review | None = None  # the reviewed workbook's plan and decisions (planner plan --review)
    # Training the scenario's budget could buy (instructor not yet qualified, enough hours, cost
    # within budget), and per candidate how many roster instructors are qualified (min_qualified).
    offers: tuple[Offer, ...] = ()
    named_qualified: tuple[int, ...] = ()

    @property
    def terms(self) -> int:
        return self.scenario.terms

    @property
    def periods(self) -> tuple[tuple[int, ...], ...]:
        return self.scenario.periods

    @cached_property
    def period_of(self) -> dict[int, int]:
        """Term -> index of the period it runs in."""
        return {t: p for p, terms in enumerate(self.periods) for t in terms}

    @property
    def sections(self) -> int:
        return self.scenario.sections

    @cached_property
    def hours(self) -> tuple[int, ...]:
        return tuple(m.hours for m in self.candidates)

    @cached_property
    def index_of(self) -> dict[str, int]:
        return {m.module_id: i for i, m in enumerate(self.candidates)}

    @cached_property
    def required(self) -> tuple[int, ...]:
        return tuple(self.index_of[m] for m in self.scenario.required_modules)

    @classmethod
    def build(cls, catalog: Catalog, scenario: Scenario, review: Review | None = None) -> Problem:
        """Check the scenario against the catalog and precompute the indices.

        Raises InputError listing every problem found (unknown ids, term windows that the
        scenario's term count contradicts, ...).
        """
        issues = _scenario_issues(catalog, scenario)
        if issues:
            raise InputError(issues)
        return _build(catalog, scenario, review)

    @classmethod
    def for_explaining(
        cls, catalog: Catalog, scenario: Scenario, review: Review | None = None, offers_within: int | None = None
    ) -> Problem:
        """The problem of inputs the explanation of an infeasible scenario tries (the scenario, or
        one number of it or of the catalog changed), built without the scenario checks that the
        inputs passed once. `offers_within` opens the training offers up to that cost, whatever the
        scenario's budget (the budget itself is then a requirement of its own)."""
        return _build(catalog, scenario, review, offers_within)


def _scenario_issues(catalog: Catalog, scenario: Scenario) -> list[Issue]:
    file = scenario.file_name
    issues: list[Issue] = []
    known = catalog.module_by_id
    for key in ("required_modules", "excluded_modules"):
        for module_id in getattr(scenario, key):
            if module_id not in known:
                issues.append(
                    Issue(file, _("module '{module_id}' is not in the catalog.", module_id=module_id), column=key)
                )
    for module_id in sorted(set(scenario.required_modules) & set(scenario.excluded_modules)):
        issues.append(
            Issue(
                file,
                _("module '{module_id}' is both required and excluded.", module_id=module_id),
                column="excluded_modules",
            )
        )
    for career in scenario.careers or ():
        if career not in catalog.careers:
            issues.append(
                Issue(file, _("career '{career}' has no module in the catalog.", career=career), column="careers")
            )
    for goal in scenario.sectors or ():
        if goal.sector_id not in catalog.sector_by_id:
            issues.append(
                Issue(
                    file,
                    _("sector '{sector_id}' is not in the catalog.", sector_id=goal.sector_id),
                    column=f"sectors.{goal.sector_id}",
                )
            )
    for module in _candidates(catalog, scenario):
        if module.earliest_term is not None and module.earliest_term > scenario.terms:
            where = module.origin
            issues.append(
                Issue(
                    where.file if where else "modules.csv",
                    _(
                        "module {module_id} cannot start before term {earliest_term}, but scenario {file} "
                        "has only {terms} terms; exclude the module or raise terms.",
                        module_id=module.module_id,
                        earliest_term=module.earliest_term,
                        file=file,
                        terms=scenario.terms,
                    ),
                    row=where.row if where else None,
                    column="earliest_term",
                )
            )
    return issues


def _candidates(catalog: Catalog, scenario: Scenario, review: Review | None = None) -> list[Module]:
    careers = set(scenario.careers) if scenario.careers is not None else None
    required = set(scenario.required_modules) | (review.locked_modules if review else set())
    excluded = set(scenario.excluded_modules)
    return [
        m
        for m in catalog.modules
        if m.module_id not in excluded and (careers is None or m.career in careers or m.module_id in required)
    ]


def _build(
    catalog: Catalog, scenario: Scenario, review: Review | None = None, offers_within: int | None = None
) -> Problem:
    candidates = _candidates(catalog, scenario, review)
    index = {m.module_id: i for i, m in enumerate(candidates)}
    windows = tuple(
        (max(1, m.earliest_term or 1), min(scenario.terms, m.latest_term or scenario.terms)) for m in candidates
    )
    blocked: dict[int, Reason] = {}
    prerequisites = _prerequisites(catalog, index, blocked)
    budget = scenario.training_budget if offers_within is None else offers_within
    offers = _offers(catalog, budget, candidates, index)
    instructors, qualified, named = _qualified(catalog, scenario, candidates, index, blocked, offers)
    labs, module_labs = _labs(catalog, scenario, candidates, index, blocked)
    _block_dependants(candidates, prerequisites, blocked)
    goals = scenario.sectors
    if goals is None:
        goals = tuple(SectorGoal(s.sector_id) for s in catalog.sectors)
    weights = tuple(g.weight if g.weight is not None else catalog.sector_by_id[g.sector_id].weight for g in goals)
    return Problem(
        catalog=catalog,
        scenario=scenario,
        candidates=tuple(candidates),
        windows=windows,
        blocked=blocked,
        prerequisites=prerequisites,
        sector_ids=tuple(g.sector_id for g in goals),
        sector_weights=weights,
        min_coverage=tuple(g.min_coverage for g in goals),
        demand_rows=_demand_rows(catalog, index, tuple(g.sector_id for g in goals), weights),
        instructors=instructors,
        qualified=qualified,
        labs=labs,
        module_labs=module_labs,
        review=review,
        offers=offers,
        named_qualified=named,
    )


def _prerequisites(catalog: Catalog, index: dict[str, int], blocked: dict[int, Reason]) -> tuple[tuple[int, int], ...]:
    """(module, prerequisite) pairs among the candidates; blocks a module whose prerequisite is not one."""
    pairs: list[tuple[int, int]] = []
    for p in catalog.prerequisites:
        if p.module_id not in index:
            continue
        if p.prerequisite_id in index:
            pairs.append((index[p.module_id], index[p.prerequisite_id]))
        else:
            blocked[index[p.module_id]] = Reason("prerequisite_not_candidate", {"prerequisite": p.prerequisite_id})
    return tuple(pairs)


def _block_dependants(
    candidates: list[Module], prerequisites: tuple[tuple[int, int], ...], blocked: dict[int, Reason]
) -> None:
    """A module is also blocked when a prerequisite is blocked (transitively)."""
    changed = True
    while changed:
        changed = False
        for module, prerequisite in prerequisites:
            if prerequisite in blocked and module not in blocked:
                blocked[module] = Reason("prerequisite_blocked", {"prerequisite": candidates[prerequisite].module_id})
                changed = True


def _demand_rows(
    catalog: Catalog, index: dict[str, int], sector_ids: tuple[str, ...], weights: tuple[int, ...]
) -> tuple[DemandRow, ...]:
    """The scenario sectors' demands, each with its weight and the candidates that would cover it."""
    sector_index = {s: k for k, s in enumerate(sector_ids)}
    teaches: dict[str, list[tuple[int, int]]] = {}
    for ms in catalog.module_skills:
        if ms.module_id in index:
            teaches.setdefault(ms.skill_id, []).append((index[ms.module_id], ms.level))
    return tuple(
        DemandRow(
            demand=d,
            sector=sector_index[d.sector_id],
            weight=weights[sector_index[d.sector_id]] * d.importance,
            covering=tuple(sorted({m for m, level in teaches.get(d.skill_id, []) if level >= d.level})),
        )
        for d in catalog.demands
        if d.sector_id in sector_index
    )


def _offers(catalog: Catalog, budget: int, candidates: list[Module], index: dict[str, int]) -> tuple[Offer, ...]:
    """The training offers this scenario may buy; none without a budget.

    An offer is left out when its instructor is not on the roster, is already qualified, could not
    teach the module's hours anyway, or when it alone costs more than the budget.
    """
    if budget <= 0:
        return ()
    inst_index = {i.instructor_id: k for k, i in enumerate(catalog.instructors)}
    known = {(q.instructor_id, q.module_id) for q in catalog.qualifications}
    offers = []
    for t in catalog.training:
        k, i = inst_index.get(t.instructor_id), index.get(t.module_id)
        if k is None or i is None or (t.instructor_id, t.module_id) in known or t.cost > budget:
            continue
        if catalog.instructors[k].max_hours_per_term >= candidates[i].hours:
            offers.append(Offer(k, i, t.cost, t))
    return tuple(offers)


def _qualified(
    catalog: Catalog,
    scenario: Scenario,
    candidates: list[Module],
    index: dict[str, int],
    blocked: dict[int, Reason],
    offers: tuple[Offer, ...] = (),
) -> tuple[tuple[Instructor, ...], tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """The roster, per candidate the instructors who may teach it, and how many of the roster are
    qualified; blocks the modules nobody can teach, even with the training the budget could buy."""
    instructors = catalog.instructors
    inst_index = {i.instructor_id: k for k, i in enumerate(instructors)}
    qualified: list[list[int]] = [[] for _ in candidates]
    named: list[int] = [0] * len(candidates)
    for q in catalog.qualifications:
        if q.module_id in index and q.instructor_id in inst_index:
            k = inst_index[q.instructor_id]
            named[index[q.module_id]] += 1
            if instructors[k].max_hours_per_term >= candidates[index[q.module_id]].hours:
                qualified[index[q.module_id]].append(k)
    buyable = [0] * len(candidates)
    for offer in offers:
        buyable[offer.module] += 1
    if instructors:
        need = scenario.min_qualified
        for i, teachers in enumerate(qualified):
            if named[i] + buyable[i] == 0:
                blocked.setdefault(i, Reason("no_qualified_instructor"))
            elif named[i] + buyable[i] < need:
                blocked.setdefault(i, Reason("too_few_qualified", {"count": named[i], "needed": need}))
            elif not teachers and not buyable[i]:
                blocked.setdefault(i, Reason("no_instructor_with_hours"))
    return instructors, tuple(tuple(q) for q in qualified), tuple(named)


def _labs(
    catalog: Catalog, scenario: Scenario, candidates: list[Module], index: dict[str, int], blocked: dict[int, Reason]
) -> tuple[tuple[Lab, ...], tuple[tuple[int, ...], ...]]:
    """The labs and, per candidate, the labs it needs (the loader has checked every lab id).

    A module whose sections alone need more of a lab than it has in a period can never be taken.
    """
    labs = catalog.labs
    lab_index = {lab.lab_id: n for n, lab in enumerate(labs)}
    needs: list[list[int]] = [[] for _ in candidates]
    for ml in catalog.module_labs:
        if ml.module_id in index:
            needs[index[ml.module_id]].append(lab_index[ml.lab_id])
    for i, needed in enumerate(needs):
        hours = candidates[i].hours * scenario.sections
        for n in needed:
            if labs[n].max_hours_per_term < hours:
                blocked.setdefault(
                    i,
                    Reason(
                        "lab_too_small",
                        {
                            "lab": labs[n].lab_id,
                            "capacity": labs[n].max_hours_per_term,
                            "groups": scenario.sections,
                            "hours": hours,
                        },
                    ),
                )
    return labs, tuple(tuple(n) for n in needs)
