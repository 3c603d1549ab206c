"""The same CP-SAT model, searched as a MILP by HiGHS.

The planning model is linear: Booleans and small integers, linear rows, clauses and at-most-one
sets. So a CpModelProto translates row for row into a MILP, and HiGHS searches the very model
CP-SAT searches, with no second formulation to keep in step. Its branch and bound is
deterministic: the plans it finds, in the order it finds them, are the same run after run.

Rows are translated as the CP-SAT model grows (the driver adds a row per finished stage), so one
HiGHS instance serves every stage and keeps what it learnt.

The rows are read from the model as a protobuf message, not from `CpModel.proto`: that live view
crosses into C++ for every field, 30 µs a row, and held both engines back for a second on the
national benchmark before either started (24,000 rows). The message costs 0.01 s to get and is
read in 0.06 s.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import highspy
import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from planner.optimize.running import wait_for

INF = highspy.kHighsInf
_CB = highspy.cb.HighsCallbackType
CALLBACKS = (_CB.kCallbackMipInterrupt, _CB.kCallbackSimplexInterrupt, _CB.kCallbackIpmInterrupt)
FEASIBLE = 2  # HiGHS's kSolutionStatusFeasible


@dataclass(frozen=True)
class Outcome:
    """What one engine ended a stage with: its best plan (a value per model variable) and its value
    and bound in CP-SAT's terms, and its verdict."""

    values: list[int] | None = None
    value: int | None = None
    bound: int | None = None
    proven: bool = False
    infeasible: bool = False


class NotLinear(Exception):
    """The model holds a constraint with no plain MILP row (only when explaining, never here)."""


@dataclass
class _Rows:
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def add(self, terms: dict[int, float], lower: float, upper: float) -> None:
        self.starts.append(len(self.index))
        self.index.extend(terms)
        self.value.extend(terms.values())
        self.lower.append(lower)
        self.upper.append(upper)


def translate(model: cp_model.CpModel) -> Translation | None:
    """The MILP of `model`, or None when it holds a row HiGHS cannot take or cannot be handed over
    (no writable temporary folder): CP-SAT then searches alone."""
    try:
        return Translation(model)
    except (NotLinear, OSError):
        return None


class Later:
    """The MILP of a model, translated when HiGHS is first needed: on small catalogs CP-SAT settles
    every stage in its claim, and the translation (0.01-0.3 s) would be spent for nothing."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model
        self.done = False
        self.translation: Translation | None = None

    def get(self) -> Translation | None:
        """The MILP as the CP-SAT model stands now (rows and objective)."""
        if not self.done:
            self.translation, self.done = translate(self.model), True
        elif self.translation is not None:
            self.translation.sync(self.model)
        return self.translation


def _message(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a protobuf message. OR-Tools hands it over only as a file (binary, since the
    name does not end in .txt); it lives in a private temporary folder for a moment."""
    with tempfile.TemporaryDirectory(prefix="planner-model-") as folder:
        path = Path(folder) / "model.pb"
        model.export_to_file(str(path))
        return cp_model_pb2.CpModelProto.FromString(path.read_bytes())


def wait(search: Search) -> None:
    """Wait for `search` to end; an interruption (Ctrl-C, SIGTERM) stops it first and goes on."""
    if search.thread is not None:
        wait_for(search.thread, search.stop)


def _quiet_highs() -> highspy.Highs:
    """A new HiGHS instance, without the banner its first construction prints on standard output
    (that is the CLI's, for the designer's messages)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.silent()
    return highs


class Translation:
    """One HiGHS instance holding the MILP of a growing CP-SAT model."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.highs = _quiet_highs()
        # Objectives are whole numbers: a gap below 1 proves optimality. HiGHS's default relative
        # gap (1e-4) would call a plan a few units short on a large objective optimal.
        self.highs.setOptionValue("mip_rel_gap", 0.0)
        self.highs.setOptionValue("mip_abs_gap", 0.999)
        self.highs.setOptionValue("threads", 1)
        self.highs.setOptionValue("random_seed", 1)
        self.bounds: list[tuple[int, int]] = []
        self.done = 0
        self.sync(model)

    def sync(self, model: cp_model.CpModel) -> None:
        """Add the variables and rows added to the CP-SAT model since the last call, and take its
        objective (each stage sets a new one)."""
        proto = _message(model)
        self._columns(proto)
        rows = _Rows()
        constraints = proto.constraints
        for n in range(self.done, len(constraints)):
            self._constraint(constraints[n], rows)
        self.done = len(constraints)
        if rows.lower:
            self.highs.addRows(
                len(rows.lower),
                np.array(rows.lower, dtype=np.float64),
                np.array(rows.upper, dtype=np.float64),
                len(rows.index),
                np.array(rows.starts, dtype=np.int32),
                np.array(rows.index, dtype=np.int32),
                np.array(rows.value, dtype=np.float64),
            )
        self._objective(proto)

    def _columns(self, proto: cp_model_pb2.CpModelProto) -> None:
        variables = proto.variables
        bounds = []
        for n in range(len(self.bounds), len(variables)):
            domain = variables[n].domain  # each field access crosses into the parser: read it once
            if len(domain) != 2:
                raise NotLinear("a variable's domain has holes")
            bounds.append((domain[0], domain[1]))
        if not bounds:
            return
        self.bounds.extend(bounds)
        n = len(bounds)
        lower = np.array([b[0] for b in bounds], dtype=np.float64)
        upper = np.array([b[1] for b in bounds], dtype=np.float64)
        empty_i, empty_f = np.array([], dtype=np.int32), np.array([], dtype=np.float64)
        first = self.highs.getNumCol()
        self.highs.addCols(n, np.zeros(n), lower, upper, 0, empty_i, empty_i, empty_f)
        columns = np.arange(first, first + n, dtype=np.int32)
        self.highs.changeColsIntegrality(n, columns, np.ones(n, dtype=np.uint8))

    def _objective(self, proto: cp_model_pb2.CpModelProto) -> None:
        """CP-SAT's objective, which it always stores as a minimum (a maximum is negated)."""
        n = len(self.bounds)
        costs = np.zeros(n)
        objective = proto.objective
        for v, c in zip(objective.vars, objective.coeffs, strict=True):
            costs[v] += c
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
        self.costs = costs
        self.highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
        self.scaling = objective.scaling_factor or 1.0
        self.offset = objective.offset

    def in_cp_sat_terms(self, value: float) -> int:
        """A HiGHS objective value as CP-SAT reports it (CpSolver.objective_value)."""
        return round(self.scaling * (value + self.offset))

    def _constraint(self, constraint, rows: _Rows) -> None:
        kind = constraint.WhichOneof("constraint")
        enforced = list(constraint.enforcement_literal)
        if kind == "linear":
            self._linear(constraint.linear, enforced, rows)
        elif kind == "bool_or":  # enforcement => at least one literal
            self._at_least_one(list(constraint.bool_or.literals), enforced, rows)
        elif kind == "bool_and":  # enforcement => every literal
            for ref in constraint.bool_and.literals:
                self._at_least_one([ref], enforced, rows)
        elif kind in ("at_most_one", "exactly_one") and not enforced:
            terms, constant = _literals(list(getattr(constraint, kind).literals))
            rows.add(terms, (1 - constant) if kind == "exactly_one" else -INF, 1 - constant)
        else:
            raise NotLinear(kind)

    def _at_least_one(self, literals: list[int], enforced: list[int], rows: _Rows) -> None:
        # sum(literals) + sum(1 - enforcement) >= 1
        terms, constant = _literals([*literals, *(_negated(e) for e in enforced)])
        rows.add(terms, 1 - constant, INF)

    def _linear(self, linear, enforced: list[int], rows: _Rows) -> None:
        domain = list(linear.domain)
        if len(domain) != 2:
            raise NotLinear("a linear row with holes in its domain")
        terms: dict[int, float] = {}
        for v, c in zip(linear.vars, linear.coeffs, strict=True):
            terms[v] = terms.get(v, 0) + c
        low, high = (float(d) if abs(d) < 2**62 else math.copysign(INF, d) for d in domain)
        lowest = sum(c * self.bounds[v][0 if c > 0 else 1] for v, c in terms.items())
        highest = sum(c * self.bounds[v][1 if c > 0 else 0] for v, c in terms.items())
        low = low if low > lowest else -INF
        high = high if high < highest else INF
        if not enforced:
            if low > -INF or high < INF:
                rows.add(terms, low, high)
            return
        # big-M: each side holds when every enforcement literal is true (e = 1), free otherwise
        switch_terms, switch_constant = _literals([_negated(e) for e in enforced])  # sum(1 - e)
        if low > -INF:  # expr + (low - lowest) * sum(1 - e) >= low
            rows.add(_plus(terms, switch_terms, low - lowest), low - (low - lowest) * switch_constant, INF)
        if high < INF:  # expr - (highest - high) * sum(1 - e) <= high
            rows.add(_plus(terms, switch_terms, high - highest), -INF, high - (high - highest) * switch_constant)


def _negated(ref: int) -> int:
    return -ref - 1


def _literals(refs: list[int]) -> tuple[dict[int, float], float]:
    """sum of literals as (terms, constant): a negated literal not-x is 1 - x."""
    terms: dict[int, float] = {}
    constant = 0.0
    for ref in refs:
        if ref >= 0:
            terms[ref] = terms.get(ref, 0) + 1
        else:
            terms[_negated(ref)] = terms.get(_negated(ref), 0) - 1
            constant += 1
    return terms, constant


def _plus(terms: dict[int, float], more: dict[int, float], factor: float) -> dict[int, float]:
    out = dict(terms)
    for v, c in more.items():
        out[v] = out.get(v, 0) + factor * c
    return out


@dataclass
class Search:
    """One HiGHS search of a stage, run in its own thread; `stop()` ends it early."""

    translation: Translation
    seconds: float
    start: list[int] | None = None  # a plan of the stage to start from (the previous stage's, the claim's)
    values: list[int] | None = None
    objective: int | None = None  # in CP-SAT terms
    bound: int | None = None
    proven: bool = False
    infeasible: bool = False
    _stop: bool = False
    thread: threading.Thread | None = None
    wake: threading.Event | None = None  # set when the search ends, so the race can act at once

    def begin(self) -> None:
        highs = self.translation.highs
        highs.setOptionValue("time_limit", max(self.seconds, 0.01))
        if self.start is not None:  # columns added since (a stage's measure) are left to HiGHS
            n = min(len(self.start), highs.getNumCol())
            highs.setSolution(n, np.arange(n, dtype=np.int32), np.array(self.start[:n], dtype=np.float64))
        highs.setCallback(self._callback, None)
        for kind in CALLBACKS:
            highs.startCallback(kind)
        self.thread = threading.Thread(target=self._run, name="highs", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self._search()
        finally:
            if self.wake is not None:
                self.wake.set()

    def _search(self) -> None:
        highs = self.translation.highs
        highs.run()
        status = highs.getModelStatus()
        info = highs.getInfo()
        self.infeasible = status == highspy.HighsModelStatus.kInfeasible
        exact = True
        if info.primal_solution_status == FEASIBLE:
            values = highs.getSolution().col_value
            self.values = [round(v) for v in values]
            # The plan's value as CP-SAT counts it, from the rounded plan. Given a start plan
            # (setSolution), highspy 1.16 reported optima it returned no plan of (the seed's hours
            # stage: optimum 200 units, plan 204): a figure that disagrees with the plan is no
            # proof (CP-SAT goes on), and a stage fixed at it would be empty.
            self.objective = self.translation.in_cp_sat_terms(float(self.translation.costs @ np.array(self.values)))
            exact = self.objective == self.translation.in_cp_sat_terms(info.objective_function_value)
        self.proven = status == highspy.HighsModelStatus.kOptimal and not self._stop and exact
        if self.proven:
            self.bound = self.objective
        elif math.isfinite(info.mip_dual_bound):
            self.bound = self.translation.in_cp_sat_terms(info.mip_dual_bound)

    def _callback(self, kind, message, data_out, data_in, user_data) -> None:
        if self._stop:
            data_in.user_interrupt = True

    def stop(self) -> None:
        self._stop = True

    def outcome(self) -> Outcome:
        """What the search ended with, as the race reads it (planner.optimize.portfolio.choose)."""
        return Outcome(
            self.values, self.objective, self.bound, self.proven and self.values is not None, self.infeasible
        )

    def done(self) -> bool:
        return self.thread is not None and not self.thread.is_alive()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()
