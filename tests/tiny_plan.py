"""The tiny plan the workbook tests write, built in code: two sectors, six skills, five modules, two
instructors and a lab, with names that look like formulas on purpose."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from planner.builder import CatalogBuilder
from planner.model import Catalog, Problem, Scenario, SectorGoal
from planner.result import Placement, PlanResult, SolverInfo, Stage, Status

FORMULA_NAME = "=SUM(A1)"


def tiny_catalog(with_instructors: bool = True) -> Catalog:
    """Two sectors, six skills, five modules; names that look like formulas on purpose."""
    built = (
        CatalogBuilder()
        .add_sector("semi", "Semiconductores", 3)
        .add_sector("med", "Dispositivos médicos", 1)
        .add_skill("S1", "Cleanroom protocol", "fab")
        .add_skill("S2", "Wire bonding", "packaging")
        .add_skill("S3", "SPC", "quality")
        .add_skill("S4", "@x injected", "quality")
        .add_skill("S5", "Soldadura", "assembly")
        .add_skill("S6", "Metrología", "quality")
        .add_demand("semi", "S1", 2, 3)
        .add_demand("semi", "S2", 2, 2)
        .add_demand("semi", "S3", 1, 1)
        .add_demand("med", "S4", 1, 2)
        .add_demand("med", "S5", 2, 1)
        .add_demand("med", "S6", 3, 2)
        .add_lab("WB", 200, "Wire bonder")
        .add_module("M1", 60, "Cleanroom basics", "Electrónica Industrial", teaches={"S1": 2})
        .add_module(
            "M2",
            80,
            FORMULA_NAME,
            "Electrónica Industrial",
            teaches={"S2": 3, "S4": 1},
            labs=["WB"],
            extra={"status": "new"},
        )
        .add_module("M3", 40, "Statistical process control", "Electrónica Industrial", teaches={"S3": 2})
        .add_prerequisite("M3", "M1")
        .add_module("M4", 60, "-Soldadura", "Mecatrónica", teaches={"S5": 2})
        .add_module("M5", 100, "Metrología avanzada", "Mecatrónica", teaches={"S6": 3})
    )
    if with_instructors:
        built.add_instructor(
            "I1", 200, min_hours=80, cost_per_hour=200, name="Ana López", qualified_for=["M1", "M2", "M3"]
        )
        built.add_instructor("I2", 300, cost_per_hour=250, name="+Beto Ruiz", qualified_for=["M2", "M4"])
    return replace(built.build(source="tests/tiny"), fingerprint="sha256:0123abcd")


def tiny_result(with_instructors: bool = True, placements: tuple[Placement, ...] | None = None) -> PlanResult:
    """A proven plan of the tiny catalog over three terms in two sections (no placements: an empty plan)."""
    scenario = Scenario(
        name="Técnico en semiconductores",
        terms=3,
        sections=2,
        total_hours_max=400,
        sectors=(SectorGoal("semi", Fraction(1, 2), weight=5), SectorGoal("med")),
    )
    problem = Problem.build(tiny_catalog(with_instructors), scenario)
    if placements is None:
        teachers = {"M1": "I1", "M2": "I2", "M3": "I1", "M4": "I2"}
        terms = {"M1": 1, "M2": 1, "M3": 2, "M4": 3}
        placements = tuple(
            Placement(m, terms[m], (teachers[m] if with_instructors else None,) * 2) for m in ("M3", "M1", "M4", "M2")
        )
    return PlanResult(
        problem,
        Status.OPTIMAL,
        placements=placements,
        stages=(Stage("coverage", 22, 22, True, 0.1), Stage("hours", 240, 240, True, 0.2)),
        solver=SolverInfo("9.15", {"num_workers": "2"}, 0.3),
    )


def with_catalog_columns(result: PlanResult) -> PlanResult:
    """The same plan over a catalog that has the optional `nucleo` and `credits` module columns."""
    extra = {"M1": {"nucleo": "Profesional", "credits": "9"}, "M2": {"nucleo": "Básico", "credits": "7.5"}}
    catalog = result.problem.catalog
    modules = tuple(replace(m, extra={**m.extra, **extra.get(m.module_id, {})}) for m in catalog.modules)
    problem = Problem.build(replace(catalog, modules=modules), result.problem.scenario)
    return PlanResult(problem, result.status, result.placements, result.stages, result.solver)
