"""The JSON plan file, for machines and for re-planning (PLANNER-SPEC.md, Outputs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import planner
from planner.export.files import write_atomically
from planner.export.paths import catalog_source
from planner.result import PlanResult
from planner.words.reasons import say


def write_plan_file(result: PlanResult, path: Path, force: bool = False) -> None:
    """Write the plan as UTF-8 JSON; refuses to overwrite unless `force`.

    The content is the same on every run of the same plan, except the keys named `solver_seconds`.
    """
    data = plan_bytes(result)
    write_atomically(Path(path), lambda handle: handle.write(data), force)


def plan_bytes(result: PlanResult) -> bytes:
    """The plan file's content: UTF-8 JSON, keys in a fixed order."""
    return (json.dumps(plan_document(result), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def plan_document(result: PlanResult) -> dict[str, Any]:
    problem = result.problem
    catalog = problem.catalog
    placements = sorted(result.placements, key=lambda p: (p.term, p.module_id))
    return {
        "scenario": problem.scenario.name,
        "status": result.status.value,
        "objectives": dict(result.objectives),
        "objective_order": list(problem.scenario.objective),
        "max_coverage": result.max_coverage,
        "tracks": list(result.tracks),
        "modules": [
            {
                "module_id": p.module_id,
                "name": catalog.module_by_id[p.module_id].name,
                "term": p.term,
                "hours": catalog.module_by_id[p.module_id].hours,
                "track": catalog.track_of.get(p.module_id) if problem.has_tracks else None,
                "sections": [
                    {"section": s, "instructor_id": who, "dual": result.is_dual(p, s)}
                    for s, who in enumerate(p.instructors, start=1)
                ],
            }
            for p in placements
        ],
        "term_hours": list(result.term_hours),
        "term_module_counts": list(result.term_module_counts),
        "sector_coverage": [
            {
                "sector_id": s.sector_id,
                "weight": s.weight,
                "covered_importance": s.covered_importance,
                "total_importance": s.total_importance,
                "coverage": float(s.ratio),
                "min_coverage": float(s.min_coverage),
                "met": s.met,
            }
            for s in result.sector_coverage
        ],
        "paths": _paths(result),
        "gaps": [
            {
                "sector_id": g.demand.sector_id,
                "skill_id": g.demand.skill_id,
                "level": g.demand.level,
                "importance": g.demand.importance,
                "reason": say(g.reason),
                "reason_code": g.reason.code,
                "reason_params": g.reason.params,
            }
            for g in result.gaps
        ],
        "instructors_used": result.instructors_used,
        "calendar": {
            "intake": problem.scenario.intake,
            "periods": [list(terms) for terms in problem.periods],
            # Periods are named by number in input files (commitments.csv) and here: 1, 2, ...
            "period_terms": {str(p): list(terms) for p, terms in enumerate(problem.periods, start=1)},
            "weeks_per_term": problem.scenario.weeks_per_term,
        },
        "groups_per_term": list(problem.scenario.groups),
        "dual": {
            "groups_per_term": list(problem.scenario.dual),
            "max_company_hours": problem.scenario.max_company_hours,
            "company_hours_per_period": list(result.company_hours),
        },
        "instructor_loads": [
            {
                "instructor_id": load.instructor_id,
                "name": load.name,
                "hours_per_period": list(load.hours_per_period),
                "committed_per_period": [load.committed_in(p) for p in range(len(load.hours_per_period))],
                "min_hours_per_term": load.floor,
                "max_hours_per_term": load.capacity,
                "sections": load.sections,
                "cost": load.cost,
            }
            for load in result.instructor_loads
            if load.sections
        ],
        "lab_use": [
            {
                "lab_id": lab.lab_id,
                "hours_per_period": list(lab.hours_per_period),
                "committed_per_period": [lab.total_in(p) - hours for p, hours in enumerate(lab.hours_per_period)],
                "max_hours_per_term": lab.capacity,
            }
            for lab in result.lab_uses
        ],
        "training": [
            {"instructor_id": t.instructor_id, "module_id": t.module_id, "cost": t.cost} for t in result.training
        ],
        "single_instructor_modules": dict(sorted(result.sole_teacher.items())),
        "stages": [
            {
                "objective": s.objective,
                "value": s.value,
                "bound": s.bound,
                "proven": s.proven,
                "found_by": s.engine.value if s.engine is not None else None,
                "solver_seconds": s.seconds,
            }
            for s in result.stages
        ],
        "catalog_source": catalog_source(problem),
        "catalog_fingerprint": catalog.fingerprint,
        "planner_version": planner.__version__,
        "ortools_version": result.solver.ortools_version,
        "solver_parameters": dict(sorted(result.solver.parameters.items())),
        "solver_seconds": result.solver.seconds,
    }


def _paths(result: PlanResult) -> list[dict[str, Any]]:
    """Per offered student path (with [tracks]; empty without): its hours and coverage per sector."""
    if not result.problem.has_tracks:
        return []
    totals = {s.sector_id: s.total_importance for s in result.sector_coverage}
    return [
        {
            "track": path.track_id,
            "term_hours": list(path.term_hours),
            "total_hours": path.total_hours,
            "coverage": path.coverage,
            "sector_coverage": [
                {
                    "sector_id": sector_id,
                    "covered_importance": covered,
                    "total_importance": totals[sector_id],
                    "coverage": covered / totals[sector_id] if totals[sector_id] else 1.0,
                }
                for sector_id, covered in zip(result.problem.sector_ids, path.covered, strict=True)
            ],
        }
        for path in result.paths
    ]
