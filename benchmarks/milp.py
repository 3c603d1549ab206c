"""An independent MILP of the planning model (PLANNER-SPEC.md), solved with HiGHS.

It reads the same `Problem` as the planner's optimizer but shares none of its code, so agreement
on the optimum checks both. Variables:

- `x[i, t]`: candidate module i is taken in term t (only terms in its window);
- `n[i, k, t]`: how many of module i's sections instructor k teaches when i is in term t
  (sections are interchangeable, so counting them is exact and far smaller than one binary each);
- `active[k, p]`: instructor k teaches in period p (a real school term: the terms that run together
  under the scenario's intake), which switches on both the cap and the contract floor of that period;
- `used[k]`: instructor k teaches something; `covered[d]`: demand row d is covered;
- `peak`: the largest term's hours, for the balance objective.

Staffing follows version 3 of the specification: instructor load and lab use are summed per period
on top of the hours committed to the campus's other careers; a term runs its own number of groups;
`m[i, k, t]` counts the dual sections among `n[i, k, t]`, which need the instructor and labs for the
module's hours less its company hours (at most `max_company_hours` per period); and the `cost`
objective is the plan's hours of every section times its instructor's cost per hour.

The plan is read back into a `planner.result.PlanResult`, so its objectives and rule checks are
recomputed by the same code that checks the planner's plans.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from planner.model import Problem
from planner.result import Placement, PlanResult, SolverInfo, Stage, Status

INF = highspy.kHighsInf


@dataclass
class _Rows:
    """Columns and rows collected in plain lists, then handed to HiGHS in one call each."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def var(self, lower: float = 0, upper: float = 1, integer: bool = True) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.lower) - 1

    def row(self, lower: float, upper: float, terms: dict[int, float]) -> None:
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.starts.append(len(self.index))
        self.index.extend(terms)
        self.value.extend(terms.values())


@dataclass
class MilpModel:
    problem: Problem
    rows: _Rows
    x: dict[tuple[int, int], int]  # (candidate, term) -> column
    n: dict[tuple[int, int, int], int]  # (candidate, instructor, term) -> column
    m: dict[tuple[int, int, int], int] = field(default_factory=dict)  # dual sections among n
    y: list[int] = field(default_factory=list)  # per candidate track: it is offered ([tracks])
    objectives: dict[str, tuple[dict[int, float], highspy.ObjSense]] = field(default_factory=dict)


@dataclass(frozen=True)
class MilpRun:
    """What HiGHS found: the plan (None when it found none), per-stage facts, and the wall time."""

    result: PlanResult | None
    stages: tuple[Stage, ...]
    status: str  # "OPTIMAL", "FEASIBLE", "INFEASIBLE" or "NO PLAN"
    seconds: float
    build_seconds: float


def solve(problem: Problem, time_limit: float | None = None) -> MilpRun:
    """Solve the objectives in the scenario's order, fixing each value before the next."""
    start = time.perf_counter()
    model = build(problem)
    highs = _highs(model.rows)
    build_seconds = time.perf_counter() - start
    stages: list[Stage] = []
    solution = None
    for name in problem.scenario.objective:
        expression, sense = model.objectives[name]
        remaining = None if time_limit is None else max(0.0, time_limit - (time.perf_counter() - start))
        stage_start = time.perf_counter()
        found = _solve_stage(highs, expression, sense, remaining, solution)
        if found is None:
            status = "INFEASIBLE" if highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible else "NO PLAN"
            return MilpRun(None, tuple(stages), status, time.perf_counter() - start, build_seconds)
        solution, value, bound, proven = found
        stages.append(Stage(name, value, bound, proven, time.perf_counter() - stage_start))
        if not proven:
            break  # the time limit is spent: later stages keep this plan, as the planner does
        _fix(highs, expression, sense, value)
    proven = len(stages) == len(problem.scenario.objective) and all(s.proven for s in stages)
    assert solution is not None  # every stage found a plan, or the run returned above
    result = PlanResult(
        problem=problem,
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        placements=_placements(model, solution),
        stages=tuple(stages),
        solver=SolverInfo(f"highspy {highs.version()}", seconds=time.perf_counter() - start),
    )
    return MilpRun(result, tuple(stages), result.status.value, time.perf_counter() - start, build_seconds)


def _solve_stage(highs, expression, sense, time_limit, start_values):
    """One lexicographic stage; returns (column values, value, bound, proven) or None."""
    costs = np.zeros(highs.getNumCol())
    for column, coefficient in expression.items():
        costs[column] = coefficient
    highs.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs)
    highs.changeObjectiveSense(sense)
    highs.setOptionValue("time_limit", INF if time_limit is None else float(time_limit))
    if start_values is not None:
        # The previous stage's plan satisfies this stage's rows too: a free incumbent.
        start = highspy.HighsSolution()
        start.col_value = list(start_values)
        start.value_valid = True
        highs.setSolution(start)
    highs.run()
    info = highs.getInfo()
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None
    values = list(highs.getSolution().col_value)
    value = round(sum(c * values[col] for col, c in expression.items()))
    proven = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    bound = value if proven else _bound(info.mip_dual_bound, sense)
    return values, value, bound, proven


def _bound(dual_bound: float, sense) -> int | None:
    if not math.isfinite(dual_bound):
        return None  # stopped before the root relaxation gave a bound
    # Objectives are integers, so a fractional dual bound rounds towards the incumbent.
    if sense == highspy.ObjSense.kMaximize:
        return math.floor(dual_bound + 1e-6)
    return math.ceil(dual_bound - 1e-6)


def _fix(highs, expression: dict[int, float], sense, value: int) -> None:
    """Keep the stage's value while later stages optimise (>= for a maximum, <= for a minimum)."""
    lower, upper = (value, INF) if sense == highspy.ObjSense.kMaximize else (-INF, value)
    columns = np.array(list(expression), dtype=np.int32)
    coefficients = np.array(list(expression.values()), dtype=np.float64)
    highs.addRow(lower, upper, len(columns), columns, coefficients)


def _highs(rows: _Rows) -> highspy.Highs:
    highs = highspy.Highs()
    highs.silent()
    # Every objective is a whole number, so a gap below 1 proves optimality; HiGHS's default
    # relative gap (1e-4) would accept plans a few hours short on large objectives.
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 0.999)
    n = len(rows.lower)
    highs.addCols(
        n,
        np.zeros(n),
        np.array(rows.lower, dtype=np.float64),
        np.array(rows.upper, dtype=np.float64),
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=np.float64),
    )
    integrality = np.array([1 if i else 0 for i in rows.integer], dtype=np.uint8)
    highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), integrality)
    highs.addRows(
        len(rows.row_lower),
        np.array(rows.row_lower, dtype=np.float64),
        np.array(rows.row_upper, dtype=np.float64),
        len(rows.index),
        np.array(rows.starts, dtype=np.int32),
        np.array(rows.index, dtype=np.int32),
        np.array(rows.value, dtype=np.float64),
    )
    return highs


# --- the model ---------------------------------------------------------------------------------


def build(problem: Problem) -> MilpModel:
    """The six rule families of the planning model and the four objectives."""
    rows = _Rows()
    x = {
        (i, t): rows.var()
        for i in range(len(problem.candidates))
        if i not in problem.blocked
        for t in range(problem.windows[i][0], problem.windows[i][1] + 1)
    }
    model = MilpModel(problem, rows, x, {}, objectives={})
    tracks_offered_whole(model)
    taken_at_most_once(model)
    prerequisites_first(model)
    hours_and_counts_within_limits(model)
    instructors_teach_every_section(model)
    instructor_load_per_period(model)
    staffing_cost_within_budget(model)
    labs_within_capacity(model)
    company_hours_within_limit(model)
    covered = sector_min_coverage(model)
    add_objectives(model, covered)
    return model


def tracks_offered_whole(model: MilpModel) -> None:
    """Trayectos: exactly `offer` candidate tracks offered; a track module taken exactly when its
    track is; a track with a module outside the candidates (or blocked) is never offered."""
    problem = model.problem
    if problem.scenario.tracks_offer is None:
        return
    model.y = [model.rows.var() for _ in problem.tracks]
    offer = problem.scenario.tracks_offer
    model.rows.row(offer, offer, dict.fromkeys(model.y, 1.0))
    for r, members in enumerate(problem.track_members):
        if r in problem.closed_tracks:
            model.rows.row(0, 0, {model.y[r]: 1.0})
        for i in members:
            model.rows.row(0, 0, {**_taken(model, i), model.y[r]: -1.0})


def _paths(model: MilpModel) -> list[tuple[int | None, set[int]]]:
    """Each student path: (track, its modules); the whole plan (track None) without [tracks]."""
    problem = model.problem
    everything = set(range(len(problem.candidates)))
    if problem.scenario.tracks_offer is None:
        return [(None, everything)]
    core = {i for i in everything if problem.track_of[i] is None}
    return [(r, core | set(members)) for r, members in enumerate(problem.track_members)]


def _on(model: MilpModel, track: int | None, terms: dict[int, float], least: float) -> tuple[float, dict[int, float]]:
    """A lower bound that holds only on an offered path: terms - least x y[track] >= 0."""
    if track is None:
        return least, terms
    return 0.0, {**terms, model.y[track]: -least}


def _taken(model: MilpModel, i: int, coefficient: float = 1) -> dict[int, float]:
    lo, hi = model.problem.windows[i]
    return {model.x[i, t]: coefficient for t in range(lo, hi + 1) if (i, t) in model.x}


def _term(model: MilpModel, t: int, weights, path: set[int] | None = None) -> dict[int, float]:
    return {column: weights[i] for (i, s), column in model.x.items() if s == t and (path is None or i in path)}


def taken_at_most_once(model: MilpModel) -> None:
    """Rule 1: a module is taken at most once, required ones exactly once, within its window."""
    required = set(model.problem.required)
    for i in range(len(model.problem.candidates)):
        terms = _taken(model, i)
        if i in required:
            # A required module that cannot be taken leaves an empty row 1 <= 0: infeasible, as it should.
            model.rows.row(1, 1, terms)
        elif terms:
            model.rows.row(-INF, 1, terms)


def prerequisites_first(model: MilpModel) -> None:
    """Rule 2: a module in term t needs each prerequisite taken in a term before t."""
    for module, prerequisite in model.problem.prerequisites:
        lo, hi = model.problem.windows[module]
        for t in range(lo, hi + 1):
            if (module, t) not in model.x:
                continue
            terms = {model.x[module, t]: 1.0}
            for s in range(model.problem.windows[prerequisite][0], t):
                if (prerequisite, s) in model.x:
                    terms[model.x[prerequisite, s]] = -1.0
            model.rows.row(-INF, 0, terms)


def hours_and_counts_within_limits(model: MilpModel) -> None:
    """Rule 3: each term's hours and module count within bounds; total hours within total_max."""
    problem, scenario = model.problem, model.problem.scenario
    hours = problem.hours
    for track, path in _paths(model):  # every student path (upper bounds hold on the core alone too)
        for t in range(1, problem.terms + 1):
            model.rows.row(-INF, _or_inf(scenario.term_hours_max), _term(model, t, hours, path))
            model.rows.row(*_bounded(_on(model, track, _term(model, t, hours, path), scenario.term_hours_min)))
            counts = _term(model, t, [1] * len(hours), path)
            model.rows.row(-INF, _or_inf(scenario.modules_per_term_max), counts)
            model.rows.row(*_bounded(_on(model, track, counts, scenario.modules_per_term_min)))
        if scenario.total_hours_max is not None:
            total: dict[int, float] = {column: hours[i] for (i, _), column in model.x.items() if i in path}
            model.rows.row(-INF, scenario.total_hours_max, total)


def _bounded(low_terms: tuple[float, dict[int, float]]) -> tuple[float, float, dict[int, float]]:
    return low_terms[0], INF, low_terms[1]


def _or_inf(value: int | None) -> float:
    return INF if value is None else value


def instructors_teach_every_section(model: MilpModel) -> None:
    """Rule 4, assignment: every section of a taken module has exactly one qualified instructor."""
    problem, rows = model.problem, model.rows
    if not problem.instructors:
        return
    for (i, t), taken in model.x.items():
        sections, dual = problem.sections_of(i, t), problem.dual_of(i, t)
        share = {taken: -float(sections)}
        company = {taken: -float(dual)}
        for k in problem.qualified[i]:
            column = rows.var(0, sections)
            model.n[i, k, t] = column
            share[column] = 1.0
            if dual and problem.dual_hours(i):
                model.m[i, k, t] = rows.var(0, dual)
                company[model.m[i, k, t]] = 1.0
                rows.row(-INF, 0, {model.m[i, k, t]: 1.0, column: -1.0})
        rows.row(0, 0, share)
        if len(company) > 1:
            rows.row(0, 0, company)


def instructor_load_per_period(model: MilpModel) -> None:
    """Rule 4, version 2: in every period, an instructor's hours over the terms running in it are
    at most the cap and, if any, at least the contract floor; at most max_used distinct instructors.

    `active[k, p]` carries both bounds (floor x active <= load <= cap x active), and every section
    count is tied to it too, which the LP relaxation uses to see what max_used costs.
    """
    problem, rows = model.problem, model.rows
    if not problem.instructors:
        return
    sections = problem.most_sections
    used = [rows.var() for _ in problem.instructors]
    load: dict[tuple[int, int], dict[int, float]] = {}
    active: dict[tuple[int, int], int] = {}
    for (i, k, t), column in model.n.items():
        p = problem.period_of[t]
        if (k, p) not in active:
            active[k, p] = rows.var()
            rows.row(-INF, 0, {active[k, p]: 1.0, used[k]: -1.0})
        load.setdefault((k, p), {})[column] = problem.hours[i]
        if (i, k, t) in model.m:
            load[k, p][model.m[i, k, t]] = -float(problem.dual_hours(i))
        rows.row(-INF, 0, {column: 1.0, active[k, p]: -float(sections)})
    for (k, p), terms in load.items():
        instructor = problem.instructors[k]
        committed = problem.committed.get((k, p), 0)
        rows.row(-INF, 0, {**terms, active[k, p]: -float(instructor.max_hours_per_term - committed)})
        if instructor.min_hours_per_term > committed:
            rows.row(0, INF, {**terms, active[k, p]: -float(instructor.min_hours_per_term - committed)})
    if problem.scenario.max_instructors_used is not None:
        rows.row(-INF, problem.scenario.max_instructors_used, dict.fromkeys(used, 1.0))


def _cost(model: MilpModel) -> dict[int, float]:
    """Staffing cost: every section's hours x its instructor's cost per hour."""
    problem = model.problem
    cost = {
        column: float(problem.hours[i] * problem.instructors[k].cost_per_hour)
        for (i, k, _), column in model.n.items()
        if problem.instructors[k].cost_per_hour
    }
    for (i, k, _), column in model.m.items():
        if problem.instructors[k].cost_per_hour:
            cost[column] = -float(problem.dual_hours(i) * problem.instructors[k].cost_per_hour)
    return cost


def staffing_cost_within_budget(model: MilpModel) -> None:
    """[budget] max_cost: the plan's staffing cost is at most this."""
    limit = model.problem.scenario.max_cost
    if limit is not None:
        model.rows.row(-INF, limit, _cost(model))


def labs_within_capacity(model: MilpModel) -> None:
    """Rule 6: in every period, a lab's committed hours plus its hours used (module hours x sections,
    less the company hours of dual sections, for every module using it in the period's terms) are
    at most its capacity."""
    problem = model.problem
    use: dict[tuple[int, int], dict[int, float]] = {}
    for (i, t), column in model.x.items():
        groups = problem.hours[i] * problem.sections_of(i, t) - problem.dual_hours(i) * problem.dual_of(i, t)
        for lab in problem.module_labs[i] if problem.module_labs else ():
            use.setdefault((lab, problem.period_of[t]), {})[column] = float(groups)
    for (lab, p), terms in sorted(use.items()):
        free = problem.labs[lab].max_hours_per_term - problem.lab_committed.get((lab, p), 0)
        model.rows.row(-INF, free, terms)


def company_hours_within_limit(model: MilpModel) -> None:
    """[dual] max_company_hours: per period, the company hours of the dual sections."""
    problem = model.problem
    limit = problem.scenario.max_company_hours
    if limit is None:
        return
    for terms in problem.periods:
        company = {
            column: float(problem.dual_hours(i) * problem.dual_of(i, t))
            for (i, t), column in model.x.items()
            if t in terms and problem.dual_hours(i) * problem.dual_of(i, t)
        }
        if company:
            model.rows.row(-INF, limit, company)


def sector_min_coverage(model: MilpModel) -> list[tuple[int, int]]:
    """Rule 5: a demand counts as covered on a path only if a taken module of the path covers it
    (and, with tracks, the path's track is offered); each sector's covered importance reaches
    min_coverage of its total on every offered path, compared exactly. Returns (column, demand row)."""
    problem, rows = model.problem, model.rows
    covered: list[tuple[int, int]] = []
    for track, path in _paths(model):
        columns = []
        for row in problem.demand_rows:
            column = rows.var()
            covering: dict[int, float] = {}
            for i in row.covering:
                if i in path:
                    covering.update(_taken(model, i, -1.0))
            rows.row(-INF, 0, {column: 1.0, **covering})
            if track is not None:
                rows.row(-INF, 0, {column: 1.0, model.y[track]: -1.0})
            columns.append(column)
        for k in range(len(problem.sector_ids)):
            demands = [(d, r.demand.importance) for d, r in enumerate(problem.demand_rows) if r.sector == k]
            total = sum(importance for _, importance in demands)
            # covered / total >= f  <=>  covered >= ceil(f * total), as covered is a whole number.
            floor = math.ceil(problem.min_coverage[k] * total)
            if demands and floor > 0:
                rows.row(*_bounded(_on(model, track, {columns[d]: imp for d, imp in demands}, floor)))
        covered.extend((column, d) for d, column in enumerate(columns))
    return covered


def add_objectives(model: MilpModel, covered: list[tuple[int, int]]) -> None:
    problem = model.problem
    model.objectives["coverage"] = (
        {column: problem.demand_rows[d].weight for column, d in covered},
        highspy.ObjSense.kMaximize,
    )
    model.objectives["hours"] = (
        {column: problem.hours[i] for (i, _), column in model.x.items()},
        highspy.ObjSense.kMinimize,
    )
    if "balance" in problem.scenario.objective:
        peak = model.rows.var(0, INF, integer=False)
        for _track, path in _paths(model):
            for t in range(1, problem.terms + 1):
                model.rows.row(-INF, 0, {**_term(model, t, problem.hours, path), peak: -1.0})
        model.objectives["balance"] = ({peak: 1.0}, highspy.ObjSense.kMinimize)
    model.objectives["cost"] = (_cost(model), highspy.ObjSense.kMinimize)


def _placements(model: MilpModel, values: list[float]) -> tuple[Placement, ...]:
    problem = model.problem
    placements = []
    for (i, t), column in sorted(model.x.items()):
        if values[column] < 0.5:
            continue
        dual: list[str | None] = []
        teachers: list[str | None] = []
        for k in problem.qualified[i]:
            count = round(values[model.n[i, k, t]]) if (i, k, t) in model.n else 0
            company = round(values[model.m[i, k, t]]) if (i, k, t) in model.m else 0
            dual.extend([problem.instructors[k].instructor_id] * company)
            teachers.extend([problem.instructors[k].instructor_id] * (count - company))
        teachers = dual + teachers  # a term's first sections are its dual groups
        if not problem.instructors:
            teachers = [None] * problem.sections_of(i, t)
        placements.append(Placement(problem.candidates[i].module_id, t, tuple(teachers)))
    return tuple(placements)
