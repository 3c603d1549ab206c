"""Catalogs and scenarios built in code, for library users, tests and benchmarks.

    catalog = (
        CatalogBuilder()
        .add_sector("semi", weight=2)
        .add_demand("semi", "ESD", level=2, importance=3)
        .add_module("ESD-01", hours=90, teaches={"ESD": 2})
        .add_instructor("DOC-01", max_hours=200, qualified_for=["ESD-01"])
        .build()
    )
    problem = Problem.build(catalog, ScenarioBuilder(terms=2).require("ESD-01").build())

Each `add_` call builds the entity at once, so a field out of range raises its ValueError there;
skills named by a demand or a module are added for you. The catalog is not checked across tables
(unknown ids, cycles) the way the loader checks files: Problem.build checks what the scenario needs.
Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from planner.model import (
    Catalog,
    Demand,
    Instructor,
    Lab,
    Module,
    ModuleLab,
    ModuleSkill,
    Prerequisite,
    Qualification,
    Scenario,
    Sector,
    SectorGoal,
    Skill,
    Training,
)


class CatalogBuilder:
    """Adds sectors, skills, demands, modules, instructors and labs, in the order they are given."""

    def __init__(self) -> None:
        self.sectors: list[Sector] = []
        self.skills: dict[str, Skill] = {}
        self.demands: list[Demand] = []
        self.modules: list[Module] = []
        self.module_skills: list[ModuleSkill] = []
        self.prerequisites: list[Prerequisite] = []
        self.instructors: list[Instructor] = []
        self.qualifications: list[Qualification] = []
        self.labs: list[Lab] = []
        self.module_labs: list[ModuleLab] = []
        self.training: list[Training] = []

    def add_sector(self, sector_id: str, name: str | None = None, weight: int = 1) -> CatalogBuilder:
        self.sectors.append(Sector(sector_id, name or sector_id, weight))
        return self

    def add_skill(self, skill_id: str, name: str | None = None, cluster: str = "") -> CatalogBuilder:
        self.skills[skill_id] = Skill(skill_id, name or skill_id, cluster)
        return self

    def add_demand(self, sector_id: str, skill_id: str, level: int = 1, importance: int = 1) -> CatalogBuilder:
        self._skill(skill_id)
        self.demands.append(Demand(sector_id, skill_id, level, importance))
        return self

    def add_module(
        self,
        module_id: str,
        hours: int,
        name: str | None = None,
        career: str = "E",
        earliest_term: int | None = None,
        latest_term: int | None = None,
        teaches: Mapping[str, int] | None = None,
        prerequisites: Iterable[str] = (),
        labs: Iterable[str] = (),
        extra: Mapping[str, str] | None = None,
        dual_hours: int = 0,
    ) -> CatalogBuilder:
        """A module; `teaches` maps skill -> level, `prerequisites` and `labs` name their ids, `extra`
        holds the optional columns a catalog file may add (status, nucleo, credits); `dual_hours`
        are learnt at a partner company by a dual group."""
        terms = (earliest_term, latest_term)
        module = Module(module_id, name or module_id, career, hours, *terms, dual_hours, extra or {})
        self.modules.append(module)
        for skill_id, level in (teaches or {}).items():
            self.add_teaching(module_id, skill_id, level)
        for prerequisite in prerequisites:
            self.add_prerequisite(module_id, prerequisite)
        for lab_id in labs:
            self.module_labs.append(ModuleLab(module_id, lab_id))
        return self

    def add_teaching(self, module_id: str, skill_id: str, level: int) -> CatalogBuilder:
        self._skill(skill_id)
        self.module_skills.append(ModuleSkill(module_id, skill_id, level))
        return self

    def add_prerequisite(self, module_id: str, prerequisite_id: str) -> CatalogBuilder:
        self.prerequisites.append(Prerequisite(module_id, prerequisite_id))
        return self

    def add_instructor(
        self,
        instructor_id: str,
        max_hours: int,
        min_hours: int = 0,
        cost_per_hour: int = 0,
        name: str | None = None,
        qualified_for: Iterable[str] = (),
    ) -> CatalogBuilder:
        """An instructor's contract (hours per period) and the modules they are qualified for."""
        self.instructors.append(Instructor(instructor_id, name or instructor_id, max_hours, min_hours, cost_per_hour))
        for module_id in qualified_for:
            self.add_qualification(instructor_id, module_id)
        return self

    def add_qualification(self, instructor_id: str, module_id: str) -> CatalogBuilder:
        self.qualifications.append(Qualification(instructor_id, module_id))
        return self

    def add_lab(self, lab_id: str, max_hours: int, name: str | None = None) -> CatalogBuilder:
        self.labs.append(Lab(lab_id, name or lab_id, max_hours))
        return self

    def add_training(self, instructor_id: str, module_id: str, cost: int) -> CatalogBuilder:
        """A qualification that can be bought."""
        self.training.append(Training(instructor_id, module_id, cost))
        return self

    def _skill(self, skill_id: str) -> None:
        if skill_id not in self.skills:
            self.add_skill(skill_id)

    def build(self, source: str = "catalog") -> Catalog:
        return Catalog(
            sectors=tuple(self.sectors),
            skills=tuple(self.skills.values()),
            demands=tuple(self.demands),
            modules=tuple(self.modules),
            module_skills=tuple(self.module_skills),
            prerequisites=tuple(self.prerequisites),
            instructors=tuple(self.instructors),
            qualifications=tuple(self.qualifications),
            labs=tuple(self.labs),
            module_labs=tuple(self.module_labs),
            training=tuple(self.training),
            source=source,
        )


class ScenarioBuilder:
    """A scenario: its terms, then the modules it requires or excludes, its sector goals and any
    other scenario field by name (`set(total_hours_max=300, intake="single")`)."""

    def __init__(self, terms: int, name: str = "scenario") -> None:
        self.scenario = Scenario(name=name, terms=terms)
        self.goals: list[SectorGoal] = []

    def require(self, *module_ids: str) -> ScenarioBuilder:
        return self.set(required_modules=(*self.scenario.required_modules, *module_ids))

    def exclude(self, *module_ids: str) -> ScenarioBuilder:
        return self.set(excluded_modules=(*self.scenario.excluded_modules, *module_ids))

    def add_sector(
        self, sector_id: str, min_coverage: Fraction = Fraction(0), weight: int | None = None
    ) -> ScenarioBuilder:
        """A priority sector; naming any leaves the catalog's other sectors out of the scenario."""
        self.goals.append(SectorGoal(sector_id, Fraction(min_coverage), weight))
        return self

    def set(self, **fields: Any) -> ScenarioBuilder:
        self.scenario = replace(self.scenario, **fields)
        return self

    def build(self) -> Scenario:
        return replace(self.scenario, sectors=tuple(self.goals)) if self.goals else self.scenario
