"""Run every benchmark and write docs/BENCHMARKS.md.

    python -m benchmarks.run [--only NAME[,NAME...]] [--seeds N] [--time-limit S] [--out FILE]
                             [--no-highs] [--no-batch]

Each instance is written as a catalog folder + scenario TOML in a temporary folder, then solved
three times, each in a fresh subprocess so that peak memory is per instance and per solver:
through the planner's real path (load, build, solve, export) as `planner plan` runs it, as a
rollout task with one core runs it (one CP-SAT worker, no HiGHS: the plan must be the same), and
with the independent HiGHS model (benchmarks/milp.py) on the same Problem. `--only` takes instance
names (bacp8, scp41, campus-staffing-3), families (bacp, scp, synthetic), classes (campus,
campus-staffing, campus-v3, national, national-staffing, national-v3; a scale name selects all three
of its classes), `staffing` (both staffing classes) or `version3` (both version-3 classes:
commitments, shrinking groups, dual training); `--seeds N` keeps the first N variants of each class.
With `--only`, the report is only printed unless `--out` is given.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import generate, published
from benchmarks.files import Instance, write_instance
from planner.words.reasons import say

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "BENCHMARKS.md"
NAMES = (*published.NAMES, *generate.family())
DEFAULT_TIME_LIMIT = 120.0


def load_instance(name: str) -> Instance:
    if name in published.NAMES:
        return published.instance(name)
    return generate.named(name)


def class_of(name: str) -> str:
    """The row's class in the summary: the published family, or the synthetic class."""
    if name in published.NAMES:
        return "bacp" if name in published.BACP else "scp"
    return generate.class_of(name)


def load_problem(scenario_path: Path, name: str):
    """The Problem as a designer's files give it, through the real loaders.

    Until the loaders read every version-2 table and key, files they reject or read short (floor,
    cost, labs, intake, budget dropped) would silently change the question; then the instance is
    built in memory from the same generator instead, and the report says so.
    """
    from planner.catalog import load_catalog
    from planner.errors import InputError
    from planner.model import Problem
    from planner.scenario import load_scenario

    expected = load_instance(name)
    try:
        catalog = load_catalog(scenario_path.parent / "catalog")
        scenario = load_scenario(scenario_path)
    except InputError as error:
        return Problem.build(expected.catalog, expected.scenario), f"in memory: the loaders refuse the files ({error})"
    lost = _lost_in_loading(expected, catalog, scenario)
    if lost:
        return Problem.build(expected.catalog, expected.scenario), f"in memory: the loaders drop {', '.join(lost)}"
    return Problem.build(catalog, scenario), "files"


def _lost_in_loading(expected: Instance, catalog, scenario) -> list[str]:
    tables = ("modules", "instructors", "qualifications", "labs", "module_labs", "prerequisites")
    lost = [t for t in tables if getattr(catalog, t, ()) != getattr(expected.catalog, t)]
    keys = ("intake", "max_cost", "max_instructors_used", "objective", "sections", "total_hours_max")
    return lost + [k for k in keys if getattr(scenario, k, None) != getattr(expected.scenario, k)]


# --- workers: one instance, one solver, in their own process -------------------------------------


def planner_worker(scenario_path: Path, name: str, time_limit: float, batch_style: bool = False) -> dict:
    """The designer's path: load the files, build the problem, solve, write workbook and plan file."""
    clock = _Clock()
    from planner import i18n

    i18n.use("en")  # the report is in English
    from planner.errors import PlannerError
    from planner.export import write_outputs
    from planner.optimize import solve
    from planner.options import SolveOptions

    clock.lap("import")
    problem, inputs = load_problem(scenario_path, name)
    clock.lap("load")  # loading and Problem.build (build alone takes 0.01 s at national scale)
    try:
        # batch-style: as a rollout task with one core runs it (one CP-SAT worker, no HiGHS)
        options = SolveOptions(time_limit, workers=1, highs=False) if batch_style else SolveOptions(time_limit)
        result = solve(problem, options)
    except PlannerError as error:
        clock.lap("solve")
        status = {"InfeasibleError": "INFEASIBLE", "NoPlanFoundError": "NO PLAN"}.get(type(error).__name__, "ERROR")
        return {"status": status, "error": str(error)[:300], "seconds": clock.laps, "inputs": inputs}
    clock.lap("solve")
    with tempfile.TemporaryDirectory() as folder:
        write_outputs(result, Path(folder) / "plan.xlsx", Path(folder) / "plan.json")
    clock.lap("export")
    return {
        "status": result.status.value,
        "objectives": result.objectives,
        "plan": [[p.module_id, p.term, list(p.instructors)] for p in result.placements],
        "stages": [[s.objective, s.value, s.bound, s.proven, s.seconds] for s in result.stages],
        "violations": [say(r) for r in result.violations()],
        "seconds": clock.laps,
        "size": _size(problem),
        "limits": _limits(result),
        "inputs": inputs,
    }


def highs_worker(scenario_path: Path, name: str, time_limit: float) -> dict:
    """The same Problem, solved by the independent HiGHS model."""
    from benchmarks import milp

    problem, inputs = load_problem(scenario_path, name)
    run = milp.solve(problem, time_limit=time_limit)
    objectives = dict(run.result.objectives) if run.result else None
    if objectives is not None and "cost" not in objectives:
        objectives["cost"] = plan_cost(run.result)
    return {
        "status": run.status,
        "objectives": objectives,
        "stages": [[s.objective, s.value, s.bound, s.proven, s.seconds] for s in run.stages],
        "violations": [say(r) for r in run.result.violations()] if run.result else [],
        "seconds": {"build": run.build_seconds, "solve": run.seconds - run.build_seconds},
        "inputs": inputs,
    }


def plan_cost(result) -> int:
    """Staffing cost recomputed from the plan (for a PlanResult that does not report it yet)."""
    rate = {i.instructor_id: i.cost_per_hour for i in result.problem.instructors}
    hours = result.problem.catalog.module_by_id
    return sum(hours[p.module_id].hours * rate.get(who, 0) for p in result.placements for who in p.instructors)


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now


def _size(problem) -> dict:
    return {
        "modules": len(problem.candidates),
        "skills": len(problem.catalog.skills),
        "demands": len(problem.demand_rows),
        "prerequisites": len(problem.prerequisites),
        "instructors": len(problem.instructors),
        "sections": problem.scenario.sections,
        "terms": problem.terms,
    }


def _limits(result) -> list[list]:
    """Each scenario limit next to the plan's figure, to show which ones bind."""
    s = result.problem.scenario
    rows = [
        ["hours.total_max", s.total_hours_max, sum(result.term_hours)],
        ["hours.term_max", s.term_hours_max, max(result.term_hours, default=0)],
        ["hours.term_min", s.term_hours_min or None, min(result.term_hours, default=0)],
        ["modules_per_term.max", s.modules_per_term_max, max(result.term_module_counts, default=0)],
        ["instructors.max_used", s.max_instructors_used, result.instructors_used],
        ["budget.max_cost", s.max_cost, result.objectives.get("cost", plan_cost(result))],
        *_lab_use(result),
    ]
    for sector in result.sector_coverage:
        if sector.min_coverage > 0:
            rows.append(
                [
                    f"sectors.{sector.sector_id}.min_coverage",
                    str(sector.min_coverage),
                    f"{sector.covered_importance}/{sector.total_importance}",
                ]
            )
    return [row for row in rows if row[1] is not None]


def _lab_use(result) -> list[list]:
    """The busiest period of each lab: committed and used hours (every section) against its capacity."""
    return [
        [
            f"labs.{lab.lab_id} (busiest period)",
            lab.capacity,
            max(lab.total_in(q) for q in range(len(lab.hours_per_period))),
        ]
        for lab in result.lab_uses
    ]


def _worker_main(args: argparse.Namespace) -> None:
    scenario = Path(args.scenario)
    if args.worker == "highs":
        report = highs_worker(scenario, args.instance, args.time_limit)
    else:
        report = planner_worker(scenario, args.instance, args.time_limit, batch_style=args.worker == "planner-batch")
    # ru_maxrss is in KiB on Linux: the peak resident memory of this process, i.e. this instance.
    report["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(args.report).write_text(json.dumps(report))


# --- the driver -------------------------------------------------------------------------------


@dataclass
class Row:
    instance: Instance
    planner: dict
    highs: dict | None
    fast: dict | None = None  # the planner as a one-core batch task (one CP-SAT worker, no HiGHS)
    load: float = 0.0  # 1-minute load average when the instance started: other work on the machine


def run_worker(kind: str, scenario: Path, name: str, time_limit: float, folder: Path) -> dict:
    report = folder / f"{kind}.json"
    command = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--worker",
        kind,
        "--instance",
        name,
        "--scenario",
        str(scenario),
        "--report",
        str(report),
        "--time-limit",
        str(time_limit),
    ]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=_env())
    if done.returncode != 0 or not report.exists():
        return {"status": "CRASHED", "error": (done.stderr or done.stdout).strip()[-500:]}
    result = json.loads(report.read_text())
    result["wall"] = time.perf_counter() - start  # the whole process, interpreter start included
    return result


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def select(only: str | None, seeds: int = len(generate.VARIANTS)) -> list[str]:
    """Instance names for `--only` (see the module docstring), each class cut to `seeds` variants."""
    groups: dict[str, list[str]] = {
        "bacp": list(published.BACP),
        "scp": list(published.SCP),
        "synthetic": generate.family(seeds),
        "staffing": generate.family(seeds, tuple(c for c in generate.CLASSES if c.endswith("-staffing"))),
        "version3": generate.family(seeds, tuple(c for c in generate.CLASSES if c.endswith("-v3"))),
        **{c: generate.family(seeds, (c,)) for c in generate.CLASSES},
        **{s: generate.family(seeds, tuple(f"{s}{kind}" for kind in generate.KINDS)) for s in generate.SCALES},
    }
    if not only:
        return [*published.NAMES, *generate.family(seeds)]
    chosen: list[str] = []
    for w in (w.strip() for w in only.split(",")):
        if w in groups:
            chosen.extend(groups[w])
        elif w in NAMES:
            chosen.append(w)
        elif w:
            raise SystemExit(f"unknown instance '{w}'; choose from {', '.join(NAMES)} or {', '.join(groups)}")
    return list(dict.fromkeys(chosen))


def run(names: list[str], time_limit: float, with_highs: bool, with_fast: bool = True) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
        for name in names:
            instance = load_instance(name)
            scenario = write_instance(instance, Path(tmp))
            load = os.getloadavg()[0]
            # One heavy solve at a time: the machine's two cores are shared.
            planner = run_worker("planner", scenario, name, time_limit, scenario.parent)
            highs = run_worker("highs", scenario, name, time_limit, scenario.parent) if with_highs else None
            fast = run_worker("planner-batch", scenario, name, time_limit, scenario.parent) if with_fast else None
            row = Row(instance, planner, highs, fast, load)
            print(_console_line(row), flush=True)
            rows.append(row)
    return rows


def _console_line(row: Row) -> str:
    p, h = row.planner, row.highs
    line = f"{row.instance.name:9} planner {p['status']:9} {_objectives(p, row):>22} {_total(p):7.2f} s"
    if h is not None:
        line += f" | HiGHS {h['status']:9} {_objectives(h, row):>22} {_total(h):7.2f} s | agree: {agree(row)}"
    return line


# --- the report -------------------------------------------------------------------------------


def _objectives(report: dict, row: Row) -> str:
    values = report.get("objectives")
    if not values:
        return "-"
    return ", ".join(f"{name} {values.get(name, '?')}" for name in row.instance.scenario.objective)


def _total(report: dict) -> float:
    return sum(report.get("seconds", {}).values())


def agree(row: Row, planner: dict | None = None) -> str:
    p, h = planner or row.planner, row.highs
    if h is None:
        return "-"
    if not p.get("objectives") and not h.get("objectives"):
        return "neither found a plan"
    if not p.get("objectives") or not h.get("objectives"):
        return "no plan to compare"
    same = all(p["objectives"].get(o) == h["objectives"].get(o) for o in row.instance.scenario.objective)
    if p["status"] == "OPTIMAL" and h["status"] == "OPTIMAL":
        return "yes" if same else "**NO**"
    unproven = " and ".join(n for n, r in (("planner", p), ("HiGHS", h)) if r["status"] != "OPTIMAL")
    return f"{'same values' if same else 'differ'}, {unproven} not proven"


def published_check(row: Row) -> str:
    optimum = row.instance.optimum
    if optimum is None:
        return "-"
    p = row.planner
    value = (p.get("objectives") or {}).get(row.instance.objective)
    ok = p["status"] == "OPTIMAL" and value == optimum and not p.get("violations")
    return f"{optimum} {'✓' if ok else '✗ (got ' + str(value) + ')'}"


def markdown(rows: list[Row], time_limit: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python -m benchmarks.run` (benchmarks/run.py); do not edit by hand.",
        "",
        "Published instances check that the planner reaches known optima; synthetic catalogs at",
        "campus and national scale measure speed and memory; every instance is also solved by an",
        "independent HiGHS MILP of the same model (benchmarks/milp.py) and the optima compared.",
        f"Time limit per solve: {time_limit:g} s (planner and HiGHS alike).",
        "",
        *goals_section(rows),
        "",
        *summary_section(rows, time_limit),
        "",
        *family_section(),
        "",
        "## Planner, end to end",
        "",
        "Seconds per phase of one run in a fresh process: `import` (planner, pandas, OR-Tools, openpyxl),",
        "`load` (CSV catalog + TOML scenario + Problem.build), `solve` (CP-SAT model, its HiGHS rows, all objective",
        "stages; per stage in the last column), `export` (workbook + plan file). Peak memory is the",
        "process's maximum resident set size (ru_maxrss).",
        "",
        "| instance | modules | status | objectives | published | import | load | solve | export "
        "| total | peak MiB | solve by stage |",
        "|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        p = row.planner
        s = p.get("seconds", {})
        stages = ", ".join(
            f"{o} {sec:.2f}{'' if proven else ' (not proven)'}" for o, _, _, proven, sec in p.get("stages", [])
        )
        violations = _broken(p)
        lines.append(
            f"| {row.instance.name} | {(p.get('size') or {}).get('modules', '-')} | {p['status']}{violations} "
            f"| {_objectives(p, row)} | {published_check(row)} | "
            + " | ".join(_seconds(s.get(k)) for k in ("import", "load", "solve", "export"))
            + f" | {_total(p):.2f} | {_mib(p)} | {stages or p.get('error', '-')} |"
        )
    if any(r.highs for r in rows):
        lines += [
            "",
            "## Side by side with HiGHS",
            "",
            "Same Problem, same time limit, same lexicographic order (solve a stage, fix its value, next).",
            "`planner` is the solve time (model, translation, both engines, all stages); `HiGHS` is model",
            "build + all stages; the ratio is planner / HiGHS (below 1: the planner is faster). `agree`",
            "compares the objectives of the",
            "scenario's order when both proved optimality.",
            "",
            "| instance | planner s | HiGHS s | ratio | planner objectives | HiGHS status | HiGHS objectives "
            "| agree | HiGHS peak MiB | HiGHS by stage |",
            "|---|---:|---:|---:|---|---|---|---|---:|---|",
        ]
        for row in rows:
            p, h = row.planner, row.highs or {}
            solve_s, highs_s = p.get("seconds", {}).get("solve"), _total(h)
            ratio = f"{solve_s / highs_s:.2f}" if solve_s and highs_s else "-"
            hv = _broken(h)
            lines.append(
                f"| {row.instance.name} | {_seconds(solve_s)} | {highs_s:.2f} | {ratio} | {_objectives(p, row)} "
                f"| {h.get('status', '-')}{hv} | {_objectives(h, row)} | {agree(row)} | {_mib(h)} | {_stages(h)} |"
            )
    if any(r.fast for r in rows):
        lines += [
            "",
            "## `plan` and a one-core batch task",
            "",
            "A rollout task with one core runs one CP-SAT worker and no HiGHS; a proven plan must be the",
            "same as `planner plan`'s (`same plan`). Solve seconds of each, and the HiGHS ratio of the task.",
            "",
            "| instance | default status | default solve s | batch status | batch solve s | batch objectives "
            "| batch / HiGHS | same plan |",
            "|---|---|---:|---|---:|---|---:|---|",
        ]
        for row in rows:
            p, f, h = row.planner, row.fast or {}, row.highs or {}
            fast_s, highs_s = f.get("seconds", {}).get("solve"), _total(h)
            ratio = f"{fast_s / highs_s:.2f}" if fast_s and highs_s else "-"
            lines.append(
                f"| {row.instance.name} | {p['status']} | {_seconds(p.get('seconds', {}).get('solve'))} "
                f"| {f.get('status', '-')}{_broken(f)} | {_seconds(fast_s)} | {_objectives(f, row)} | {ratio} "
                f"| {_same_plan(p, f)} |"
            )
    synthetic = [r for r in rows if r.instance.family == "synthetic" and r.planner.get("limits")]
    if synthetic:
        lines += [
            "",
            "## Synthetic instances: do the limits bind?",
            "",
            "Each scenario limit next to the planner's plan (generated by benchmarks/generate.py).",
            "",
        ]
        for row in synthetic:
            size = row.planner["size"]
            lines += [
                f"**{row.instance.name}**: {size['modules']} modules, {size['skills']} skills, "
                f"{size['demands']} demands, {size['prerequisites']} prerequisites, {size['instructors']} "
                f"instructors, {size['sections']} sections, {size['terms']} terms, seed "
                f"{row.instance.seed}, intake {row.instance.scenario.intake}; inputs: "
                f"{row.planner.get('inputs', 'files')}.",
                "",
                "| limit | scenario | plan |",
                "|---|---:|---:|",
                *(f"| {name} | {limit} | {value} |" for name, limit, value in row.planner["limits"]),
                "",
            ]
    lines += ["", *machine_section(rows), "", *reproduce_section()]
    return "\n".join(lines).rstrip() + "\n"


def goals_section(rows: list[Row]) -> list[str]:
    """The targets for this 2-core machine, measured (never asserted by the tests)."""
    lines = ["## Goals", ""]
    for scale, limit in (("campus", 10), ("national", 60)):
        mine = [r for r in rows if class_of(r.instance.name) in (scale, f"{scale}-staffing", f"{scale}-v3")]
        if mine:
            met = [r for r in mine if r.planner["status"] == "OPTIMAL" and _total(r.planner) < limit]
            lines.append(
                f"- {scale} proven optimal end to end in under {limit} s (default mode): "
                f"{len(met)} of {len(mine)} instances"
            )
    peaks = [r.planner["peak_mib"] for r in rows if "peak_mib" in r.planner]
    if peaks:
        lines.append(
            f"- peak memory under 2 GiB: {'met' if max(peaks) < 2048 else 'NOT met'} (largest {max(peaks):.0f} MiB)"
        )
    timed = [
        (r.planner["seconds"]["solve"], r.highs) for r in rows if r.highs and "solve" in r.planner.get("seconds", {})
    ]
    if timed:
        faster = [solve for solve, highs in timed if solve <= _total(highs)]
        lines.append(f"- planner solve at or below HiGHS time: {len(faster)} of {len(timed)} instances")
    return lines


def summary_section(rows: list[Row], time_limit: float) -> list[str]:
    """Per class: median and worst planner/HiGHS time ratio, memory, and agreement on objectives."""
    lines = [
        "## Summary by class",
        "",
        "Ratio = planner solve seconds / HiGHS seconds (model build + all stages) on the same instance:",
        "below 1 the planner is faster; `worst` is the largest ratio. Ratios are taken only over the",
        f"instances both solvers proved optimal within {time_limit:g} s; the `with a plan` and `proven`",
        "columns count the others. `agree` counts instances whose objectives",
        "are equal in the scenario's order when both proved optimality (`NO` would be a bug in one model).",
        "",
        "| class | instances | with a plan default / batch / HiGHS | proven default / batch / HiGHS "
        "| ratio default median (worst) "
        "| ratio batch median (worst) | median solve s default / batch / HiGHS "
        "| peak MiB max default / batch / HiGHS | agree (both proven) |",
        "|---|---:|---|---|---:|---:|---|---|---|",
    ]
    classes = list(dict.fromkeys(class_of(r.instance.name) for r in rows))
    for cls in classes:
        mine = [r for r in rows if class_of(r.instance.name) == cls]
        proven = [sum(1 for r in mine if (getattr(r, k) or {}).get("status") == "OPTIMAL") for k in _KINDS]
        plans = [sum(1 for r in mine if (getattr(r, k) or {}).get("objectives")) for k in _KINDS]
        median = [_median([_solve_seconds(getattr(r, k)) for r in mine]) for k in _KINDS]
        peak = [max((getattr(r, k) or {}).get("peak_mib", 0) for r in mine) for k in _KINDS]
        lines.append(
            f"| {cls} | {len(mine)} | {' / '.join(map(str, plans))} | {' / '.join(map(str, proven))} "
            f"| {_ratio_text(mine, 'planner')} "
            f"| {_ratio_text(mine, 'fast')} | {' / '.join(_seconds(m) for m in median)} "
            f"| {' / '.join(f'{m:.0f}' if m else '-' for m in peak)} | {_agreement(mine)} |"
        )
    return lines


_KINDS = ("planner", "fast", "highs")


def family_section() -> list[str]:
    """What the synthetic classes and their variants are (benchmarks/generate.py)."""
    scales = ", ".join(
        f"{s.name} {s.modules} modules, {s.instructors} instructors, {s.sections} sections"
        for s in generate.SCALES.values()
    )
    lines = [
        "## The synthetic family",
        "",
        f"Scales: {scales}; 6 terms. Each class (`<scale>` without staffing, `<scale>-staffing` with",
        "the staffing model of version 2, `<scale>-v3` with version 3 on top) has these variants, each",
        "with its own seed:",
        "",
        "| variant | skills per module | max_used share of staff | windows: none / term ±1 / exact "
        "| intake with staffing |",
        "|---:|---:|---:|---|---|",
    ]
    for v in generate.VARIANTS:
        free, near = v.windows
        lines.append(
            f"| {v.number} | 1-{v.skills_per_module} | {v.max_used_share:g} "
            f"| {free:.0%} / {near - free:.0%} / {1 - near:.0%} | {v.intake} |"
        )
    lines += [
        "",
        "Without staffing: single intake (capacity per term, as in version 1), no floors, costs or",
        "labs; variant 1 is the original campus / national instance. With staffing: the intake above",
        f"(yearly runs terms 1, 3, 5 in one period and 2, 4, 6 in the other), a contract floor of "
        f"{generate.FLOOR} h per period for every instructor, caps of {min(generate.CAPACITIES)}-"
        f"{max(generate.CAPACITIES)} h per period, costs of {min(generate.COSTS)}-{max(generate.COSTS)} pesos",
        f"per hour, {len(generate.LABS)} labs (4 on campus) needed by about {generate.LAB_SHARE:.0%} of the modules,",
        f"with {'/'.join(map(str, generate.LAB_CAPACITIES))} h per section and period,",
        f"`max_cost` = {generate.COST_SHARE:g} x hour budget x sections x mean cost per hour, and objective",
        "coverage, hours, cost. Version 3 (`-v3`) adds to the staffing instance: hours committed to",
        "the campus's other careers (0 to a quarter of each contract, 0 to a third of each lab, per",
        "period, in steps of 18 h), groups shrinking by one in semesters 5 and 6, one dual group there,",
        f"and dual training for about {generate.DUAL_SHARE:.0%} of the lab modules (half their hours at the company),",
        "within a quarter of their total company hours per period.",
        "Every instance is feasible (HiGHS finds a plan: tests/benchmarks/test_family.py).",
    ]
    return lines


def _solve_seconds(report: dict | None) -> float | None:
    if not report or "seconds" not in report:
        return None
    if "solve" in report["seconds"] and "build" not in report["seconds"]:
        return report["seconds"]["solve"]  # the planner: CP-SAT model and stages
    return _total(report)


def _median(values: Sequence[float | None]) -> float | None:
    known = sorted(v for v in values if v is not None)
    if not known:
        return None
    middle = len(known) // 2
    return known[middle] if len(known) % 2 else (known[middle - 1] + known[middle]) / 2


def _ratio_text(rows: list[Row], kind: str) -> str:
    """Median (worst) ratio over the instances both solvers proved optimal: a run stopped by the
    time limit, or one that gave up with no plan, says nothing about relative speed."""
    ratios = []
    for r in rows:
        mine, highs = getattr(r, kind) or {}, r.highs or {}
        a, b = _solve_seconds(mine), _solve_seconds(highs)
        if mine.get("status") == highs.get("status") == "OPTIMAL" and a is not None and b:
            ratios.append(a / b)
    if not ratios:
        return "- (none proven by both)"
    return f"{_median(ratios):.2f} ({max(ratios):.2f}), {len(ratios)} proven by both"


def _agreement(rows: list[Row]) -> str:
    both = [r for r in rows if r.highs and r.planner.get("status") == "OPTIMAL" and r.highs.get("status") == "OPTIMAL"]
    same = [r for r in both if agree(r) == "yes"]
    fast = [r for r in rows if r.fast and r.highs and r.fast.get("status") == r.highs.get("status") == "OPTIMAL"]
    fast_same = [r for r in fast if agree(r, r.fast) == "yes"]
    text = f"default {len(same)} of {len(both)}, batch {len(fast_same)} of {len(fast)}"
    return text if len(same) == len(both) and len(fast_same) == len(fast) else text + " **NO**"


def _same_plan(planner: dict, batch: dict) -> str:
    """Whether two proven runs wrote the same plan (modules, terms, instructors); `-` unless both proved it."""
    if planner.get("status") != "OPTIMAL" or batch.get("status") != "OPTIMAL":
        return "-"
    return "yes" if planner.get("plan") == batch.get("plan") else "**NO**"


def _stages(report: dict) -> str:
    text = ", ".join(
        f"{o} {sec:.2f}{'' if proven else ' (not proven)'}" for o, _, _, proven, sec in report.get("stages", [])
    )
    return text or report.get("error", "-")


def _broken(report: dict) -> str:
    """A plan that breaks a rule is a bug: say how many rules and quote the first."""
    broken = report.get("violations") or []
    return f" but breaks {len(broken)} rules, e.g. '{broken[0]}'" if broken else ""


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _mib(report: dict) -> str:
    return f"{report['peak_mib']:.0f}" if "peak_mib" in report else "-"


def machine_section(rows: list[Row]) -> list[str]:
    import highspy

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        (line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), None
    )
    memory_text = f"{int(memory) / 1024**2:.1f} GiB" if memory else "unknown"
    return [
        "## Machine",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- cores (nproc): {os.cpu_count()}; CPU: {cpu}",
        f"- memory: {memory_text}",
        f"- {platform.platform()}",
        f"- Python {platform.python_version()}, OR-Tools {_version('ortools')}, "
        f"highspy {_version('highspy')} (HiGHS {highspy.Highs().version()})",
        "- each figure is from a single run; one solve at a time, but the machine is shared: the",
        "  1-minute load average when an instance started ranged "
        f"{min(r.load for r in rows):.2f}-{max(r.load for r in rows):.2f} "
        f"(median {_median([r.load for r in rows]):.2f}; a solve itself adds up to 2)",
    ]


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def reproduce_section() -> list[str]:
    return [
        "## How to reproduce",
        "",
        "```sh",
        'pip install -e ".[bench]"          # highspy for the side-by-side model',
        "python -m benchmarks.run           # everything; rewrites docs/BENCHMARKS.md",
        "python -m benchmarks.run --only campus --seeds 2 --time-limit 30   # a subset, printed only",
        "python -m benchmarks.run --only staffing,national-1 --no-batch      # classes and single instances",
        "pytest -m benchmark tests/benchmarks    # published optima, family feasibility, agreement",
        "```",
        "",
        "`--only` takes instance names (`campus-staffing-3`), classes (`campus`, `campus-staffing`,",
        "`campus-v3`, `national`, `national-staffing`, `national-v3`; `campus` alone selects the three",
        "campus classes), `staffing`, `version3`, `synthetic`, `bacp`, `scp`; `--seeds N` keeps the",
        "first N variants of each class.",
        "",
        "The published instances are read from `shared/benchmarks/` beside the repository",
        "(override with `PLANNER_BENCHMARK_DATA=/path`): CSPLib prob030 BACP (bacp8/10/12) and",
        "OR-Library set covering scp41..scp410 (J.E. Beasley, EJOR 31 (1987) 85-93). The synthetic",
        "catalogs are regenerated from fixed seeds on every run (benchmarks/generate.py).",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated instance names, families, classes (see above)")
    parser.add_argument(
        "--seeds", type=int, default=len(generate.VARIANTS), help="variants per synthetic class (at most 5)"
    )
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, help="seconds per solve")
    parser.add_argument("--out", type=Path, help=f"where to write the report (default {DOCS} for a full run)")
    parser.add_argument("--no-highs", action="store_true", help="skip the HiGHS side-by-side solves")
    parser.add_argument("--no-batch", action="store_true", help="skip the planner runs as a one-core batch task")
    parser.add_argument("--worker", choices=("planner", "planner-batch", "highs"), help=argparse.SUPPRESS)
    parser.add_argument("--scenario", help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker_main(args)
        return
    names = select(args.only, args.seeds)
    rows = run(names, args.time_limit, with_highs=not args.no_highs, with_fast=not args.no_batch)
    out = args.out or (None if args.only else DOCS)
    text = markdown(rows, args.time_limit)
    if out is None:
        print("\n" + text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(keep_notes(text, out), encoding="utf-8")
        print(f"wrote {out}")


NOTES = ("<!-- notes: written by hand, kept when the tables are regenerated -->", "<!-- /notes -->")


def keep_notes(text: str, out: Path) -> str:
    """Carry the hand-written reading of the results over from the previous report, after the goals."""
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    start, end = old.find(NOTES[0]), old.find(NOTES[1])
    if start < 0 or end < start:
        return text
    notes = old[start : end + len(NOTES[1])]
    anchor = text.find("## Summary by class")
    return text if anchor < 0 else text[:anchor] + notes + "\n\n" + text[anchor:]


if __name__ == "__main__":
    main()
