"""Why a scenario is infeasible, and what binds a feasible plan: conflicts, relaxations, sensitivity.

Every scenario requirement (a required or excluded module, a term's hour or module-count bound,
the total hour limit, an instructor's contract cap or floor in a period, a lab's hours in a period,
the instructor limit, the staffing and training budgets, a sector's coverage floor) gets an
enforcement literal keyed by a `RequirementKey` (kind + identifying fields, PLANNER-SPEC.md
What-if). CP-SAT, solving under those literals as assumptions, returns a set that is already
infeasible; a deletion pass drops every member that is not needed (re-solving each time), so each
reported conflict is checked to conflict and each member checked to matter. Its requirements are
then switched off and the search repeats, so up to five conflicts are found that share no
requirement.

Excluded modules: in a normal solve they are simply not candidates. While explaining, the model is
built from the scenario *without* exclusions and each excluded module is kept out by its own
enforcement literal, so an exclusion can be named in a conflict (e.g. excluding the prerequisite
of a required module) and dropped as a relaxation.

Relaxations change one number of the inputs (the scenario, or one instructor's contract or one
lab in the catalog) and rebuild the model: a binary search finds the smallest change that makes
the scenario feasible once the *other* reported conflicts are switched off; the value found was
solved feasible and the value one step short was solved infeasible. When no number fixes it, a
requirement to drop is given (verified the same way).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, TypeVar, cast

from ortools.sat.python import cp_model

from planner.conflicts import Conflict, RequirementKey
from planner.errors import InfeasibleError
from planner.gaps import as_data, teachers, uncoverable
from planner.model import Catalog, Commitment, DemandRow, Problem, Scenario
from planner.optimize.constraints import (
    PlanModel,
    build,
    coverage_score,
    hour_unit,
    requirement,
)
from planner.optimize.running import run_solver
from planner.reasons import Reason

MAX_CONFLICTS = 5
T = TypeVar("T")
FEASIBLE = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(frozen=True)
class Binding:
    """A limit of a feasible scenario whose relaxation by one step raises the coverage score."""

    limit: dict[str, Any]  # kind and identifying fields
    current: Any
    relaxed: Any
    gain: int
    proven: bool  # both coverage values proven optimal


# --- the inputs as numbers one can change --------------------------------------------------------


@dataclass
class Knob:
    """One number of the inputs behind a requirement, as a search over whole steps n."""

    key: dict[str, Any]  # kind + identifying fields of the number (not the period/term)
    current: Any
    raise_: bool  # relaxing means raising it (a cap) or lowering it (a floor)
    start: int  # n of the current value (infeasible side)
    end: int  # n of the loosest value (as good as dropping it)
    value: Callable[[int], Any]  # n -> the number as the user writes it
    apply: Callable[[int], tuple[Scenario, Catalog]]


def _knob(key: RequirementKey, scenario: Scenario, catalog: Catalog, problem: Problem) -> Knob | None:
    """The number behind a requirement kind; None for requirements one can only drop."""
    fields = dict(key.fields)
    unit = _unit(problem)
    most = problem.most_sections * (sum(problem.hours) or 1)
    kind = key.kind
    if kind == "min_coverage":
        return _coverage_knob(fields["sector_id"], scenario, problem)
    if kind in ("instructor_capacity", "instructor_floor"):
        return _contract_knob(kind, fields["instructor_id"], scenario, catalog, unit, most)
    if kind == "lab_capacity":
        return _lab_knob(fields["lab_id"], scenario, catalog, unit, most)
    if kind == "instructor_commitment":
        return _commitment_knob(fields["instructor_id"], fields["period"], scenario, catalog)
    if kind == "sections":
        return _groups_knob(fields["term"], scenario, catalog)
    return _scenario_knob(kind, scenario, catalog, problem)


# requirement kind -> (the scenario's number behind it, counted in hours, relaxing raises it)
_SCENARIO_NUMBERS = {
    "term_min": ("term_hours_min", True, False),
    "term_max": ("term_hours_max", True, True),
    "total_max": ("total_hours_max", True, True),
    "modules_per_term_min": ("modules_per_term_min", False, False),
    "modules_per_term_max": ("modules_per_term_max", False, True),
    "max_used": ("max_instructors_used", False, True),
    "max_cost": ("max_cost", False, True),
    "training_budget": ("training_budget", False, True),
    "max_company_hours": ("max_company_hours", False, True),
    "tracks_offer": ("tracks_offer", False, False),
}


def _scenario_knob(kind: str, scenario: Scenario, catalog: Catalog, problem: Problem) -> Knob | None:
    """A number of the scenario, searched in steps of the hour unit when it counts hours; None when
    the kind has no such number or the scenario leaves it unset."""
    if kind not in _SCENARIO_NUMBERS:
        return None
    attr, in_hours, raise_ = _SCENARIO_NUMBERS[kind]
    current = getattr(scenario, attr)
    if current is None:
        return None
    step = _unit(problem) if in_hours else 1
    loosest = _loosest(kind, current, scenario, catalog, problem)
    return Knob(
        {"kind": kind},
        current,
        raise_,
        current // step if raise_ else -(-current // step),
        -(-loosest // step) if raise_ else loosest // step,
        lambda n: n * step,
        lambda n: (_with(scenario, attr, n * step), catalog),
    )


def _loosest(kind: str, current: int, scenario: Scenario, catalog: Catalog, problem: Problem) -> int:
    """The value of a scenario's number as good as dropping its requirement."""
    all_hours = sum(problem.hours) or 1
    if kind in ("term_max", "total_max"):
        return all_hours
    if kind == "modules_per_term_max":
        return len(problem.candidates)
    if kind == "max_used":
        return len(catalog.instructors)
    if kind == "max_cost":
        dearest = max((i.cost_per_hour for i in catalog.instructors), default=0)
        return max(problem.most_sections * all_hours * dearest, current)
    if kind == "training_budget":
        return max(sum(t.cost for t in catalog.training), current)
    if kind == "max_company_hours":
        return max(sum(m.dual_hours for m in catalog.modules) * max(scenario.dual), current)
    if kind == "tracks_offer":
        return 1  # fewer tracks to staff
    return 0  # the floors: no minimum at all


def _commitment_knob(who: str, period: int, scenario: Scenario, catalog: Catalog) -> Knob:
    """The hours an instructor is committed to the campus's other careers in a period: a number
    that would have to fall (never a contract change). Searched in whole hours: commitments need
    not be multiples of the modules' hour unit, and what frees a unit is cap - commitment."""
    rows = [c for c in catalog.commitments if (c.instructor_id, c.period) == (who, period)]
    current = sum(c.hours for c in rows)

    def apply(n: int) -> tuple[Scenario, Catalog]:
        others = tuple(c for c in catalog.commitments if c not in rows)
        return scenario, replace(catalog, commitments=(*others, Commitment(who, period, n)))

    key = {"kind": "instructor_commitment", "instructor_id": who, "period": period}
    return Knob(key, current, False, current, 0, lambda n: n, apply)


def _groups_knob(term: int, scenario: Scenario, catalog: Catalog) -> Knob:
    """The groups of one semester: fewer groups need fewer teachers and lab hours."""
    current = scenario.groups[term - 1]

    def apply(n: int) -> tuple[Scenario, Catalog]:
        groups = tuple(n if t == term else g for t, g in enumerate(scenario.groups, start=1))
        dual = scenario.dual_groups and tuple(min(d, g) for d, g in zip(scenario.dual_groups, groups, strict=True))
        return replace(scenario, sections=groups, dual_groups=dual or None), catalog

    return Knob({"kind": "sections", "term": term}, current, False, current, 1, lambda n: n, apply)


def _coverage_knob(sector_id: str, scenario: Scenario, problem: Problem) -> Knob:
    """Search over the covered importance the floor demands; the floor is reported to 4 decimals,
    rounded down, which demands the same whole importance (sector totals stay far below 10,000)."""
    k = problem.sector_ids.index(sector_id)
    total = sum(r.demand.importance for r in problem.demand_rows if r.sector == k)
    current = problem.min_coverage[k]

    def value(n: int) -> float:
        return int(Fraction(n, total) * 10_000) / 10_000 if total else 0.0

    def apply(n: int) -> tuple[Scenario, Catalog]:
        floor = Fraction(value(n)).limit_denominator(10_000)
        goals = tuple(replace(g, min_coverage=floor) if g.sector_id == sector_id else g for g in scenario.sectors or ())
        return replace(scenario, sectors=goals), problem.catalog

    start = -(-current.numerator * total // current.denominator)
    return Knob({"kind": "min_coverage", "sector_id": sector_id}, float(current), False, start, 0, value, apply)


def _contract_knob(kind: str, who: str, scenario: Scenario, catalog: Catalog, unit: int, most: int) -> Knob:
    instructor = catalog.instructor_by_id[who]
    attr = "max_hours_per_term" if kind == "instructor_capacity" else "min_hours_per_term"
    current = getattr(instructor, attr)
    raise_ = kind == "instructor_capacity"

    def apply(n: int) -> tuple[Scenario, Catalog]:
        changed = _with(instructor, attr, n * unit)
        roster = tuple(changed if i.instructor_id == who else i for i in catalog.instructors)
        return scenario, replace(catalog, instructors=roster)

    start = current // unit if raise_ else -(-current // unit)
    end = max(-(-most // unit), start) if raise_ else 0
    return Knob({"kind": kind, "instructor_id": who}, current, raise_, start, end, lambda n: n * unit, apply)


def _lab_knob(lab_id: str, scenario: Scenario, catalog: Catalog, unit: int, most: int) -> Knob:
    lab = catalog.lab_by_id[lab_id]

    def apply(n: int) -> tuple[Scenario, Catalog]:
        labs = tuple(replace(x, max_hours_per_term=n * unit) if x.lab_id == lab_id else x for x in catalog.labs)
        return scenario, replace(catalog, labs=labs)

    start = lab.max_hours_per_term // unit
    end = max(-(-most // unit), start)
    return Knob(
        {"kind": "lab_capacity", "lab_id": lab_id}, lab.max_hours_per_term, True, start, end, lambda n: n * unit, apply
    )


def _with(entity: T, attr: str, value: int) -> T:
    """A copy of a frozen entity with one number changed (its checks run again)."""
    return cast(T, replace(cast(Any, entity), **{attr: value}))


def _unit(problem: Problem) -> int:
    return hour_unit(problem)


# --- solving under assumptions -----------------------------------------------------------------


@dataclass
class Explainer:
    """Builds the explaining model of (possibly changed) inputs and solves it with chosen groups on."""

    problem: Problem
    deadline: float
    timed_out: bool = False
    _base: PlanModel | None = field(default=None, repr=False)

    def model(self, scenario: Scenario | None = None, catalog: Catalog | None = None) -> PlanModel:
        if scenario is None and catalog is None and self._base is not None:
            return self._base
        scenario = scenario or self.problem.scenario
        catalog = catalog or self.problem.catalog
        # Every training offer is open (its cost filter off), the budget itself a requirement, so
        # buying training can be named in a conflict and raising the budget can be its fix.
        offered = max(scenario.training_budget, sum(t.cost for t in catalog.training))
        problem = Problem.for_explaining(catalog, replace(scenario, excluded_modules=()), self.problem.review, offered)
        pm = build(problem, explaining=True)
        for module_id in scenario.excluded_modules:
            i = problem.index_of.get(module_id)
            if i is not None:
                text = Reason("excluded_module", {"module": module_id})
                enforce = pm.requirements.enforce(requirement("excluded_module", module_id=module_id), text)
                pm.model.add(pm.taken(i) == 0).only_enforce_if(enforce)
        if scenario is self.problem.scenario and catalog is self.problem.catalog:
            self._base = pm
        return pm

    def feasible(
        self, off: set[RequirementKey], scenario: Scenario | None = None, catalog: Catalog | None = None
    ) -> bool | None:
        """True / False when proven, None when the time ran out."""
        pm = self.model(scenario, catalog)
        literals = [lit for key, (lit, _) in pm.requirements.groups.items() if key not in off]
        status, _ = _solve_under(pm.model, literals, self.deadline)
        if status in FEASIBLE:
            return True
        if status == cp_model.INFEASIBLE:
            return False
        self.timed_out = True
        return None


def infeasibility(problem: Problem, seconds: float) -> InfeasibleError:
    """An InfeasibleError naming up to five disjoint conflicts, each with one verified relaxation."""
    deadline = time.monotonic() + max(seconds, 0.5)  # the run's time limit also bounds the explanation
    explainer = Explainer(problem, deadline)
    pm = explainer.model()
    groups = pm.requirements.groups
    cores: list[tuple[list[RequirementKey], bool]] = []
    off: set[RequirementKey] = set()
    complete = True
    while len(cores) < MAX_CONFLICTS:
        by_index = {lit.index: key for key, (lit, _) in groups.items()}
        literals = [lit for key, (lit, _) in groups.items() if key not in off]
        core, minimal, status = _core(pm.model, literals, deadline)
        if core is None:
            complete = status in FEASIBLE
            break
        keys = sorted(by_index[lit.index] for lit in core)
        cores.append((keys, minimal))
        off |= set(keys)
    else:
        complete = False  # five found; there may be more
    found = []
    for keys, minimal in cores:
        others = off - set(keys)
        relaxation, alternatives = _relaxation(explainer, keys, others) if time.monotonic() < deadline else (None, [])
        found.append(replace(_conflict(problem, keys, minimal, relaxation, groups), alternatives=tuple(alternatives)))
    complete = complete and not explainer.timed_out
    return InfeasibleError(tuple(found), complete, problem.scenario.name)


def _conflict(
    problem: Problem,
    keys: list[RequirementKey],
    minimal: bool,
    relaxation: dict[str, Any] | None,
    groups: dict[RequirementKey, tuple[cp_model.IntVar, Reason]],
) -> Conflict:
    return Conflict(
        requirements=tuple(keys),
        minimal=minimal,
        relaxation=relaxation,
        facts=tuple(_facts(problem, key) for key in keys),
        described=tuple(_described(groups[key][1], key) for key in keys),
        evidence=tuple(line for key in keys for line in _detail(problem, key)),
    )


def _described(what: Reason, key: RequirementKey) -> Reason:
    """The requirement group's own description, with the term it holds in for per-term bounds."""
    fields = dict(key.fields)
    return Reason(what.code, {**what.params, "terms": [fields["term"]]}) if "term" in fields else what


def _facts(problem: Problem, key: RequirementKey) -> dict[str, Any]:
    """The figures a sentence about the requirement needs (its limit, the module's hours...)."""
    scenario, fields = problem.scenario, dict(key.fields)
    limits = {
        "term_min": scenario.term_hours_min,
        "term_max": scenario.term_hours_max,
        "total_max": scenario.total_hours_max,
        "modules_per_term_min": scenario.modules_per_term_min,
        "modules_per_term_max": scenario.modules_per_term_max,
        "max_used": scenario.max_instructors_used,
        "max_cost": scenario.max_cost,
        "training_budget": scenario.training_budget,
        "tracks_offer": scenario.tracks_offer,
    }
    if key.kind in limits:
        return {"limit": limits[key.kind]}
    if key.kind == "required_module" and fields["module_id"] in problem.index_of:
        i = problem.index_of[fields["module_id"]]
        blocked = problem.blocked.get(i)
        return {"hours": problem.hours[i], "first": problem.windows[i][0], "last": problem.windows[i][1]} | (
            {"blocked": blocked} if blocked else {}
        )
    if key.kind == "min_coverage":
        return {"limit": float(problem.min_coverage[problem.sector_ids.index(fields["sector_id"])])}
    if key.kind in ("instructor_capacity", "instructor_floor"):
        who = problem.catalog.instructor_by_id[fields["instructor_id"]]
        hours = who.max_hours_per_term if key.kind == "instructor_capacity" else who.min_hours_per_term
        return {"limit": hours, "terms": list(problem.periods[fields["period"] - 1])}
    if key.kind == "lab_capacity":
        lab = problem.catalog.lab_by_id[fields["lab_id"]]
        return {"limit": lab.max_hours_per_term, "terms": list(problem.periods[fields["period"] - 1])}
    if key.kind == "instructor_commitment":
        k = next(k for k, i in enumerate(problem.instructors) if i.instructor_id == fields["instructor_id"])
        hours = problem.committed.get((k, fields["period"] - 1), 0)
        return {"limit": hours, "terms": list(problem.periods[fields["period"] - 1])}
    if key.kind == "max_company_hours":
        return {"limit": scenario.max_company_hours, "terms": list(problem.periods[fields["period"] - 1])}
    if key.kind == "sections":
        return {"limit": problem.sections_in(fields["term"])}
    return {}


# --- conflicts ------------------------------------------------------------------------------


def _core(
    model: cp_model.CpModel, literals: list[cp_model.IntVar], deadline: float
) -> tuple[list[cp_model.IntVar] | None, bool, cp_model.CpSolverStatus]:
    """A conflicting subset of the literals, whether each member was shown to be needed, and the
    status of the first solve (FEASIBLE/OPTIMAL when no conflict is left)."""
    first, core = _solve_under(model, literals, deadline)
    if first != cp_model.INFEASIBLE:
        return None, False, first
    minimal = True
    for lit in list(core):
        if lit not in core:
            continue
        rest = [other for other in core if other is not lit]
        status, smaller = _solve_under(model, rest, deadline)
        if status == cp_model.INFEASIBLE:
            core = smaller
        elif status not in FEASIBLE:
            minimal = False  # ran out of time: keep it, but do not claim it is needed
    return core, minimal, first


def _solve_under(
    model: cp_model.CpModel, literals: list[cp_model.IntVar], deadline: float
) -> tuple[cp_model.CpSolverStatus, list[cp_model.IntVar]]:
    """Solve with exactly these requirement groups switched on (the others off)."""
    model.clear_assumptions()
    model.clear_objective()
    model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    remaining = deadline - time.monotonic()
    if remaining <= 0.01:
        return cp_model.UNKNOWN, []
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.num_workers = 1  # core extraction runs in one worker, deterministically
    status = run_solver(solver, model)
    if status != cp_model.INFEASIBLE:
        return status, []
    by_index = {lit.index: lit for lit in literals}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    return status, core or list(literals)


# --- relaxations ------------------------------------------------------------------------------


def _relaxation(
    explainer: Explainer, keys: list[RequirementKey], others: set[RequirementKey]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The smallest one-number change among the conflict's requirements (by relative change), else
    a requirement to drop; each checked by solving with the other conflicts switched off. Also the
    other members' smallest changes, as alternatives (e.g. buying training instead of lowering a
    coverage floor)."""
    problem = explainer.problem
    changes: list[tuple[float, dict[str, Any]]] = []
    tried: list[dict[str, Any]] = []  # one number can stand behind several members (each term's cap)
    for key in keys:
        knob = _knob(key, problem.scenario, problem.catalog, problem)
        if knob is None or knob.start == knob.end or knob.key in tried:
            continue
        tried.append(knob.key)
        n = _smallest_step(explainer, knob, others)
        if n is None:
            continue
        change = abs(n - knob.start) / max(abs(knob.start), 1)
        changes.append((change, knob.key | {"from": knob.current, "to": knob.value(n)}))
    changes.sort(key=lambda c: c[0])
    if changes:
        return changes[0][1], [c for _, c in changes[1:]]
    for key in keys:
        if explainer.feasible(others | {key}):
            return key.as_dict() | {"drop": True}, []
    return None, []


def _smallest_step(explainer: Explainer, knob: Knob, others: set[RequirementKey]) -> int | None:
    """The step nearest the current value that is feasible (the one before it proven infeasible)."""

    def ok(n: int) -> bool | None:
        scenario, catalog = knob.apply(n)
        return explainer.feasible(others, scenario, catalog)

    if not ok(knob.end):
        return None
    # feasible at `good`, not at `bad`; steps run from start (bad) towards end (good)
    bad, good = knob.start, knob.end
    while abs(good - bad) > 1:
        middle = (bad + good) // 2
        verdict = ok(middle)
        if verdict is None:
            return None  # out of time: no unverified answer
        if verdict:
            good = middle
        else:
            bad = middle
    return good


# --- sensitivity on a feasible scenario ------------------------------------------------------


def bindings(problem: Problem, seconds: float) -> tuple[list[Binding] | None, bool]:
    """The limits whose relaxation by one step (one hour unit, one module, one instructor, one
    section's cost) raises the best coverage score, with the gain; and whether every limit was
    tried within the time. Each figure is a re-solve of the coverage stage with that one change."""
    deadline = time.monotonic() + max(seconds, 0.5)
    base, base_proven = _best_coverage(problem.scenario, problem.catalog, deadline)
    if base is None:
        return (None, True) if base_proven else ([], False)  # None: proven infeasible
    out: list[Binding] = []
    for key, knob in _limits(problem):
        if time.monotonic() >= deadline:
            return out, False
        n = knob.start + (1 if knob.raise_ else -1)
        scenario, catalog = knob.apply(n)
        value, proven = _best_coverage(scenario, catalog, deadline)
        if value is not None and value > base and base is not None:
            out.append(Binding(key, knob.current, knob.value(n), value - base, proven and base_proven))
    out.sort(key=lambda b: -b.gain)
    return out, True


def _limits(problem: Problem) -> list[tuple[dict[str, Any], Knob]]:
    """Every number of the scenario and roster that could bind, once each (not per term/period)."""
    keys = [requirement(k) for k in ("term_max", "total_max", "modules_per_term_max", "max_used", "max_cost")]
    if problem.scenario.term_hours_min:
        keys.append(requirement("term_min"))
    if problem.scenario.modules_per_term_min:
        keys.append(requirement("modules_per_term_min"))
    if problem.offers or problem.catalog.training:
        keys.append(requirement("training_budget"))
    if problem.scenario.max_company_hours is not None:
        keys.append(requirement("max_company_hours"))  # the partner companies' tutor hours
    keys += [requirement("instructor_capacity", instructor_id=i.instructor_id) for i in problem.instructors]
    keys += [requirement("lab_capacity", lab_id=lab.lab_id) for lab in problem.labs]
    out: list[tuple[dict[str, Any], Knob]] = []
    for key in keys:
        knob = _knob(key, problem.scenario, problem.catalog, problem)
        if knob is not None and knob.start != knob.end:
            if key.kind in ("max_cost", "max_company_hours"):
                knob = _one_step(knob, problem)
            out.append((knob.key, knob))
    return out + _one_more_track(problem)


def _one_more_track(problem: Problem) -> list[tuple[dict[str, Any], Knob]]:
    """Offering one more track adds a path, whose coverage counts too (with [tracks] only)."""
    offer, scenario = problem.scenario.tracks_offer, problem.scenario
    if offer is None or offer >= len(problem.tracks):
        return []
    key = {"kind": "tracks_offer"}
    knob = Knob(
        key,
        offer,
        True,
        offer,
        len(problem.tracks),
        lambda n: n,
        lambda n: (_with(scenario, "tracks_offer", n), problem.catalog),
    )
    return [(key, knob)]


def _one_step(knob: Knob, problem: Problem) -> Knob:
    """One step of the staffing budget or the companies' hours is what one more section needs: the
    cost of the cheapest paid section, the fewest company hours of a dual module; not one peso or hour."""
    kind = knob.key["kind"]
    if kind == "max_cost":
        needs = [
            problem.hours[i] * problem.instructors[k].cost_per_hour
            for i, qualified in enumerate(problem.qualified)
            for k in qualified
            if problem.instructors[k].cost_per_hour
        ]
    else:
        needs = [problem.dual_hours(i) for i in range(len(problem.candidates)) if problem.dual_hours(i)]
    step = min(needs, default=1)
    attr = _SCENARIO_NUMBERS[kind][0]
    scenario = problem.scenario
    return replace(
        knob,
        start=0,
        end=1,
        value=lambda n: knob.current + n * step,
        apply=lambda n: (_with(scenario, attr, knob.current + n * step), problem.catalog),
    )


def _best_coverage(scenario: Scenario, catalog: Catalog, deadline: float) -> tuple[int | None, bool]:
    """The best coverage score of these inputs (None if none found in time), and whether proven."""
    problem = Problem.for_explaining(catalog, scenario)
    pm = build(problem)
    pm.model.maximize(coverage_score(pm))
    solver = cp_model.CpSolver()
    remaining = deadline - time.monotonic()
    if remaining <= 0.01:
        return None, False
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.num_workers = 8
    solver.parameters.interleave_search = True  # deterministic, as the plan's own solve
    status = run_solver(solver, pm.model)
    if status not in FEASIBLE:
        return None, status == cp_model.INFEASIBLE
    return round(solver.objective_value), status == cp_model.OPTIMAL


# --- evidence: what makes one requirement impossible on its own -------------------------------


def _detail(problem: Problem, key: RequirementKey) -> list[Reason]:
    """What makes one requirement impossible on its own, when the catalog alone shows it."""
    fields = dict(key.fields)
    if key.kind == "required_module" and fields["module_id"] in problem.index_of:
        i = problem.index_of[fields["module_id"]]
        return [Reason("never_taken", {"why": as_data(problem.blocked[i])})] if i in problem.blocked else []
    if key.kind == "min_coverage":
        return _unreachable_coverage(problem, problem.sector_ids.index(fields["sector_id"]))
    if key.kind == "tracks_offer":
        return _tracks_never_offered(problem)
    return []


def _tracks_never_offered(problem: Problem) -> list[Reason]:
    """Each candidate track that can never be offered, and the module of it that prevents it."""
    out = []
    for r, track in enumerate(problem.tracks):
        missing = problem.closed_tracks.get(r, ())
        if missing:
            out.append(Reason("track_module_not_candidate", {"track": track.track_id, "module": missing[0]}))
            continue
        blocked = [i for i in problem.track_members[r] if i in problem.blocked]
        if blocked:
            i = blocked[0]
            why = as_data(problem.blocked[i])
            params = {"track": track.track_id, "module": problem.candidates[i].module_id, "why": why}
            out.append(Reason("track_module_blocked", params))
    return out


def _unreachable_coverage(problem: Problem, sector: int) -> list[Reason]:
    """If the floor exceeds what all usable candidates together could cover, say which demands fail."""
    rows = [r for r in problem.demand_rows if r.sector == sector]
    total = sum(r.demand.importance for r in rows)
    missing = [r for r in rows if all(i in problem.blocked for i in r.covering)]
    reachable = total - sum(r.demand.importance for r in missing)
    if not missing or reachable * problem.min_coverage[sector].denominator >= (
        problem.min_coverage[sector].numerator * total
    ):
        return []
    missing.sort(key=lambda r: (-r.demand.importance, r.demand.skill_id))
    shown = 8
    taught = teachers(problem)
    return [
        Reason("coverage_unreachable", {"reachable": reachable, "total": total}),
        *(_why_uncoverable(problem, r, taught) for r in missing[:shown]),
        *([Reason("more_uncoverable", {"count": len(missing) - shown})] if len(missing) > shown else []),
    ]


def _why_uncoverable(problem: Problem, row: DemandRow, taught: dict[str, list[tuple[str, int]]]) -> Reason:
    why = uncoverable(problem, row, taught)
    assert why is not None, "every covering module of a missing demand is blocked"
    return why
