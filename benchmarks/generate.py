"""Synthetic catalogs at campus and national scale: a family of instances, the same for a given seed.

The shape follows DOMAIN-NOTES.md: module hours are multiples of an 18-week semester (54..126 h),
programmes run 6 terms, skills sit in the clusters of the proposed catalog (§2.4), instructors
have 144..360 h per term, and each module has 1-4 qualified instructors from its career. The
scenario's limits are set from the catalog so that they bind: the hour budget is well below what
covering every demand would take, terms are capped, some sectors have coverage floors, and only
part of the staff may teach.

The family (issue 11): four classes (campus and national, each without and with the staffing
model of version 2), each with several variants that differ in seed, density (skills per module),
instructor scarcity (share of the staff that may teach), window tightness and, with staffing,
concurrency (single or yearly intake). A third kind of class, `<scale>-v3` (issue 23), adds
version 3 on top of staffing: the teachers' and labs' hours committed to the campus's other
careers (up to a quarter of a contract, up to a third of a lab, per period), groups that shrink in
the later semesters, and dual training in semesters 5 and 6 for a third of the lab modules (half
their hours, rounded to 18, at the partner company) within a cap of company hours per period.
Without staffing an instance is a version-1 question:
single intake, no contract floors, costs or labs. With staffing: yearly or single intake, a
contract floor of 144 h (8 h/week over 18 weeks) per period, caps of 144..360 h per period, costs
of 150..450 pesos per hour, labs whose capacity binds for some modules, and a staffing budget.
Every instance was checked feasible with HiGHS (tests/benchmarks/test_family.py).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from fractions import Fraction

from benchmarks.files import Instance
from planner.model import (
    Catalog,
    Commitment,
    Demand,
    Instructor,
    Lab,
    LabCommitment,
    Module,
    ModuleLab,
    ModuleSkill,
    Prerequisite,
    Qualification,
    Scenario,
    Sector,
    SectorGoal,
    Skill,
)

HOURS = (54, 72, 90, 108, 126)  # 3..7 h a week over 18 weeks
CAPACITIES = (144, 180, 216, 252, 288, 324, 360)  # 8..20 h a week over 18 weeks
FLOOR = 144  # the contract floor with staffing: 8 h a week over 18 weeks
COSTS = range(150, 451, 10)  # pesos per hour
LAB_CAPACITIES = (108, 144, 216)  # hours per period and section: 1-3 modules; 126-h modules need more than 108
COST_SHARE = 0.8  # staffing budget: this share of (hour budget x sections x mean cost per hour)

# lab_id: name; a module needs a lab with probability LAB_SHARE (the lab picked by its career).
LABS = {
    "LAB-CR": "Cuarto limpio",
    "LAB-ATE": "Celda de prueba ATE",
    "LAB-WB": "Celda de alambrado (wire bonding)",
    "LAB-PLC": "Laboratorio de PLC y robótica",
    "LAB-MET": "Laboratorio de metrología",
    "LAB-QUI": "Laboratorio de química",
}
LAB_SHARE = 0.25

CLUSTERS = {
    "FND": "Foundations",
    "SAF": "Safety & contamination",
    "ELE": "Electrical & electronics",
    "MEC": "Mechatronics & equipment",
    "FAB": "Wafer fabrication",
    "ATP": "Assembly, test & packaging",
    "QUA": "Quality & continuous improvement",
    "DIG": "Digital manufacturing & data",
    "DES": "Chip & board design",
    "SCM": "Supply chain & environment",
}

# sector_id: (name, weight, clusters it mostly demands)
SECTORS = {
    "SEMI-BE": ("Semiconductores: ensamble, prueba y empaque", 5, ("ATP", "QUA", "ELE", "SAF")),
    "MED": ("Dispositivos médicos", 3, ("QUA", "SAF", "MEC", "FND")),
    "EMS": ("Manufactura electrónica", 2, ("ELE", "ATP", "DIG", "FND")),
    "SEMI-FE": ("Semiconductores: fabricación de obleas", 4, ("FAB", "SAF", "QUA", "FND")),
    "SEMI-DES": ("Semiconductores: diseño", 3, ("DES", "DIG", "ELE")),
    "ENV": ("Tecnologías ambientales", 1, ("SCM", "SAF", "FND")),
}

# career: (code, clusters its modules teach)
CAREERS = {
    "Electrónica Industrial": ("ELI", ("ELE", "ATP", "FND")),
    "Mecatrónica": ("MEC", ("MEC", "ELE", "DIG")),
    "Control de Calidad": ("CCA", ("QUA", "SAF", "FND")),
    "Química Industrial": ("QUI", ("FAB", "SAF", "SCM")),
    "Ciencia de Datos e Inteligencia Artificial": ("CDI", ("DIG", "DES", "FND")),
    "Autotrónica": ("AUT", ("ELE", "MEC", "QUA")),
    "Telecomunicaciones": ("TEL", ("ELE", "DES", "DIG")),
    "Mantenimiento de Sistemas Automáticos": ("MSA", ("MEC", "SAF", "DIG")),
    "Electromecánica Industrial": ("EMI", ("MEC", "ELE", "SAF")),
    "Informática": ("INF", ("DIG", "DES", "SCM")),
    "Máquinas-Herramienta": ("MHE", ("MEC", "QUA", "FND")),
    "Refrigeración y Climatización": ("RCL", ("MEC", "SCM", "SAF")),
}


@dataclass(frozen=True)
class Scale:
    name: str
    modules: int
    skills: int
    sectors: int
    instructors: int
    sections: int
    careers: int
    seed: int
    terms: int = 6
    max_used_share: float = 0.4  # of the staff that may teach
    budget_share: float = 0.65  # of the hours a greedy full cover needs
    coverage_floor: Fraction = Fraction(3, 4)  # min_coverage of the two lightest sectors


CAMPUS = Scale("campus", modules=300, skills=120, sectors=4, instructors=30, sections=2, careers=5, seed=2030)
NATIONAL = Scale("national", modules=1500, skills=300, sectors=6, instructors=80, sections=3, careers=12, seed=2150)
SCALES = {s.name: s for s in (CAMPUS, NATIONAL)}
# Small enough for both solvers to prove every stage in seconds: the agreement tests.
SMALL = Scale(
    "small",
    modules=40,
    skills=30,
    sectors=3,
    instructors=14,
    sections=2,
    careers=3,
    seed=77,
    budget_share=1.3,
    coverage_floor=Fraction(1, 2),
)


@dataclass(frozen=True)
class Variant:
    """How one member of a class differs from the others."""

    number: int  # 1-based; variant 1 without staffing is the original campus / national instance
    skills_per_module: int  # density: each module teaches 1..this many skills
    max_used_share: float  # scarcity: the share of the staff that may teach
    windows: tuple[float, float]  # draw below [0]: no window; below [1]: nominal term +-1; else exact
    intake: str  # concurrency, with staffing ("single" without: version-1 capacity per term)


VARIANTS = (
    Variant(1, 4, 0.4, (0.25, 0.85), "yearly"),
    Variant(2, 6, 0.5, (0.40, 0.90), "single"),
    Variant(3, 3, 0.45, (0.10, 0.60), "yearly"),
    Variant(4, 5, 0.35, (0.25, 0.85), "single"),
    Variant(5, 4, 0.5, (0.10, 0.60), "yearly"),
)
KINDS = ("", "-staffing", "-v3")  # version 1, version 2 staffing, version 3 (the campus as it runs)
CLASSES = tuple(f"{scale}{suffix}" for scale in SCALES for suffix in KINDS)
DUAL_SHARE = 1 / 3  # of the modules that need a lab: those a partner company can teach in part


def family(seeds: int = len(VARIANTS), only: tuple[str, ...] = CLASSES) -> list[str]:
    """Instance names of the family: '<class>-<variant>', e.g. 'campus-staffing-3'."""
    return [f"{cls}-{v.number}" for cls in only for v in VARIANTS[:seeds]]


def named(name: str) -> Instance:
    """The instance called `name` ('campus', 'national' or a family name)."""
    if name in SCALES:
        return instance(SCALES[name])
    cls, _, number = name.rpartition("-")
    if cls not in CLASSES or not number.isdigit() or not 1 <= int(number) <= len(VARIANTS):
        raise KeyError(name)
    scale, _, kind = cls.partition("-")
    variant = VARIANTS[int(number) - 1]
    if kind == "v3":
        return campus_instance(SCALES[scale], variant, name=name)
    return instance(SCALES[scale], variant, staffing=bool(kind), name=name)


def class_of(name: str) -> str:
    return name.rpartition("-")[0] if name not in SCALES else name


def instance(scale: Scale, variant: Variant = VARIANTS[0], staffing: bool = False, name: str | None = None) -> Instance:
    """The catalog and scenario of `scale` and `variant`, identical on every call."""
    seed = scale.seed + 1000 * (variant.number - 1) + (500 if staffing else 0)
    rng = random.Random(seed)
    catalog = synthetic_catalog(scale, rng, variant, seed)
    if staffing:
        catalog = with_staffing(catalog, scale, rng)
    scenario = binding_scenario(scale, catalog, variant, staffing, seed)
    return Instance(name or scale.name, "synthetic", catalog, scenario, seed=seed)


def campus_instance(scale: Scale, variant: Variant = VARIANTS[0], name: str | None = None) -> Instance:
    """A staffing instance with version 3 on top: commitments, shrinking groups, dual training."""
    staffed = instance(scale, variant, staffing=True)
    seed = (staffed.seed or 0) + 250
    rng = random.Random(seed)
    scenario = staffed.scenario
    periods = len(scenario.periods)
    catalog = staffed.catalog
    commitments = tuple(
        Commitment(i.instructor_id, p, hours)
        for i in catalog.instructors
        for p in range(1, periods + 1)
        if (hours := 18 * rng.randint(0, i.max_hours_per_term // 4 // 18))
    )
    lab_commitments = tuple(
        LabCommitment(lab.lab_id, p, hours)
        for lab in catalog.labs
        for p in range(1, periods + 1)
        if (hours := 18 * rng.randint(0, lab.max_hours_per_term // 3 // 18))
    )
    with_lab = {ml.module_id for ml in catalog.module_labs}
    modules = tuple(
        replace(m, dual_hours=18 * (m.hours // 36)) if m.module_id in with_lab and rng.random() < DUAL_SHARE else m
        for m in catalog.modules
    )
    most = scale.sections
    groups = tuple(most if t <= 4 else max(1, most - 1) for t in range(1, scale.terms + 1))
    dual = tuple(1 if t >= 5 else 0 for t in range(1, scale.terms + 1))
    company = sum(m.dual_hours for m in modules)
    scenario = replace(
        scenario,
        name=f"Synthetic {scale.name} campus as it runs (seed {seed})",
        sections=groups,
        dual_groups=dual,
        max_company_hours=_round_to_18(company / 4),
    )
    catalog = replace(catalog, modules=modules, commitments=commitments, lab_commitments=lab_commitments)
    return Instance(name or f"{scale.name}-v3", "synthetic", catalog, scenario, seed=seed)


def synthetic_catalog(scale: Scale, rng: random.Random, variant: Variant = VARIANTS[0], seed: int = 0) -> Catalog:
    careers = list(CAREERS)[: scale.careers]
    sectors = tuple(Sector(sid, name, weight) for sid, (name, weight, _) in list(SECTORS.items())[: scale.sectors])
    skills = _skills(scale)
    modules, module_skills, nominal = _modules(scale, careers, skills, rng, variant)
    prerequisites = _prerequisites(modules, nominal, rng)
    instructors, qualifications = _staff(scale, careers, modules, rng)
    return Catalog(
        sectors=sectors,
        skills=skills,
        demands=_demands(sectors, skills, module_skills, rng),
        modules=modules,
        module_skills=module_skills,
        prerequisites=prerequisites,
        instructors=instructors,
        qualifications=qualifications,
        source=f"synthetic {scale.name} (seed {seed or scale.seed})",
    )


def _skills(scale: Scale) -> tuple[Skill, ...]:
    clusters = list(CLUSTERS)
    out = []
    for n in range(scale.skills):
        cluster = clusters[n % len(clusters)]
        number = n // len(clusters) + 1
        out.append(Skill(f"{cluster}-{number:03d}", f"{CLUSTERS[cluster]} {number}", CLUSTERS[cluster]))
    return tuple(out)


def _modules(scale: Scale, careers: list[str], skills: tuple[Skill, ...], rng: random.Random, variant: Variant):
    """Modules with a nominal term; later terms teach at higher levels, as a programme deepens."""
    by_cluster: dict[str, list[Skill]] = {}
    for skill in skills:
        by_cluster.setdefault(skill.skill_id.split("-")[0], []).append(skill)
    modules, module_skills, nominal = [], [], []
    for n in range(scale.modules):
        career = rng.choice(careers)
        code, clusters = CAREERS[career]
        term = rng.randint(1, scale.terms)
        earliest, latest = _window(term, scale.terms, rng, variant.windows)
        module_id = f"M-{code}-{n + 1:04d}"
        modules.append(Module(module_id, f"Módulo {code} {n + 1}", career, rng.choice(HOURS), earliest, latest))
        nominal.append(term)
        pool = [s for c in clusters for s in by_cluster[c]]
        taught = rng.sample(pool, rng.randint(1, variant.skills_per_module))
        if rng.random() < 0.1:
            taught.append(rng.choice(skills))
        for skill in {s.skill_id: s for s in taught}.values():
            level = min(3, max(1, 1 + (term - 1) // 2 + rng.choice((-1, 0, 0, 1))))
            module_skills.append(ModuleSkill(module_id, skill.skill_id, level))
    return tuple(modules), tuple(module_skills), nominal


def _window(term: int, terms: int, rng: random.Random, shares: tuple[float, float]) -> tuple[int | None, int | None]:
    draw = rng.random()
    if draw < shares[0]:
        return None, None  # offered in any term
    if draw < shares[1]:
        return max(1, term - 1), min(terms, term + 1)
    return term, term


def _prerequisites(modules: tuple[Module, ...], nominal: list[int], rng: random.Random):
    """Prerequisites point to earlier-term modules of the same career, so the graph has no cycle."""
    by_career: dict[str, list[int]] = {}
    for i, module in enumerate(modules):
        by_career.setdefault(module.career, []).append(i)
    out = []
    for i, module in enumerate(modules):
        if nominal[i] == 1 or rng.random() >= 0.35:
            continue
        latest = module.latest_term or 99
        earlier = [
            j for j in by_career[module.career] if nominal[j] < nominal[i] and (modules[j].earliest_term or 1) < latest
        ]
        for j in rng.sample(earlier, min(len(earlier), 1 if rng.random() < 0.7 else 2)):
            out.append(Prerequisite(module.module_id, modules[j].module_id))
    return tuple(out)


def _staff(scale: Scale, careers: list[str], modules: tuple[Module, ...], rng: random.Random):
    instructors = tuple(
        Instructor(f"D{n + 1:03d}", f"Docente {n + 1} ({careers[n % len(careers)]})", rng.choice(CAPACITIES))
        for n in range(scale.instructors)
    )
    home = {
        c: [i.instructor_id for n, i in enumerate(instructors) if n % len(careers) == k] for k, c in enumerate(careers)
    }
    qualifications: list[Qualification] = []
    for module in modules:
        wanted = rng.randint(1, 4)
        chosen = rng.sample(home[module.career], min(wanted, len(home[module.career])))
        # A career with few instructors borrows from the rest of the staff.
        others = [i.instructor_id for i in instructors if i.instructor_id not in chosen]
        chosen += rng.sample(others, wanted - len(chosen))
        qualifications.extend(Qualification(i, module.module_id) for i in sorted(chosen))
    return instructors, tuple(qualifications)


def _demands(sectors, skills, module_skills, rng: random.Random) -> tuple[Demand, ...]:
    """Each sector demands about a quarter of the skills, mostly from its own clusters."""
    best_level: dict[str, int] = {}
    for ms in module_skills:
        best_level[ms.skill_id] = max(best_level.get(ms.skill_id, 0), ms.level)
    out = []
    for sector in sectors:
        focus = set(SECTORS[sector.sector_id][2])
        own = [s for s in skills if s.skill_id.split("-")[0] in focus]
        rest = [s for s in skills if s.skill_id.split("-")[0] not in focus]
        count = len(skills) // 4
        chosen = rng.sample(own, min(len(own), count * 4 // 5))
        chosen += rng.sample(rest, count - len(chosen))
        for skill in chosen:
            # Demand no more than some module teaches: uncoverable demands would only pad the gaps.
            level = min(rng.choice((1, 1, 2, 2, 2, 3)), best_level.get(skill.skill_id, 3))
            out.append(Demand(sector.sector_id, skill.skill_id, level, rng.randint(1, 5)))
    return tuple(out)


def with_staffing(catalog: Catalog, scale: Scale, rng: random.Random) -> Catalog:
    """Version 2 staffing on top of a catalog: contract floors, costs per hour, labs."""
    instructors = tuple(
        replace(i, min_hours_per_term=FLOOR, cost_per_hour=rng.choice(COSTS)) for i in catalog.instructors
    )
    labs = tuple(
        Lab(lab_id, name, scale.sections * rng.choice(LAB_CAPACITIES))
        for lab_id, name in list(LABS.items())[: 4 if scale.careers <= 6 else len(LABS)]
    )
    careers = sorted({m.career for m in catalog.modules})
    module_labs = tuple(
        ModuleLab(m.module_id, labs[careers.index(m.career) % len(labs)].lab_id)
        for m in catalog.modules
        if rng.random() < LAB_SHARE
    )
    return replace(catalog, instructors=instructors, labs=labs, module_labs=module_labs)


def binding_scenario(
    scale: Scale, catalog: Catalog, variant: Variant = VARIANTS[0], staffing: bool = False, seed: int = 0
) -> Scenario:
    """Limits derived from the catalog so that each one constrains the optimum."""
    full = _greedy_full_cover_hours(catalog)
    total_max = _round_to_18(scale.budget_share * full)
    per_term = total_max / scale.terms
    weakest = [s.sector_id for s in sorted(catalog.sectors, key=lambda s: s.weight)[:2]]
    goals = tuple(
        SectorGoal(s.sector_id, scale.coverage_floor if s.sector_id in weakest else Fraction(0))
        for s in catalog.sectors
    )
    share = variant.max_used_share if variant.number > 1 or staffing else scale.max_used_share
    scenario = Scenario(
        name=f"Synthetic {scale.name} catalog (seed {seed or scale.seed})",
        terms=scale.terms,
        sections=scale.sections,
        total_hours_max=total_max,
        term_hours_min=_round_to_18(0.5 * per_term),
        term_hours_max=_round_to_18(1.05 * per_term),
        modules_per_term_max=math.ceil(1.1 * per_term / 90),
        max_instructors_used=math.ceil(share * scale.instructors),
        sectors=goals,
        intake="single",
    )
    if not staffing:
        return scenario
    mean_cost = sum(i.cost_per_hour for i in catalog.instructors) / len(catalog.instructors)
    return replace(
        scenario,
        name=f"Synthetic {scale.name} catalog with staffing (seed {seed})",
        intake=variant.intake,
        objective=("coverage", "hours", "cost"),
        max_cost=1000 * round(COST_SHARE * total_max * scale.sections * mean_cost / 1000),
    )


def _round_to_18(hours: float) -> int:
    return max(18, 18 * round(hours / 18))


def _greedy_full_cover_hours(catalog: Catalog) -> int:
    """Hours a greedy cover of every coverable demand takes (most weight per hour first)."""
    sector_weight = {s.sector_id: s.weight for s in catalog.sectors}
    weight = [sector_weight[d.sector_id] * d.importance for d in catalog.demands]
    by_skill: dict[str, list[int]] = {}
    for n, d in enumerate(catalog.demands):
        by_skill.setdefault(d.skill_id, []).append(n)
    covers: dict[str, set[int]] = {m.module_id: set() for m in catalog.modules}
    for ms in catalog.module_skills:
        covers[ms.module_id].update(n for n in by_skill.get(ms.skill_id, ()) if catalog.demands[n].level <= ms.level)
    hours = {m.module_id: m.hours for m in catalog.modules}
    open_demands = set().union(*covers.values())
    total = 0
    while open_demands:
        best = max(covers, key=lambda m: sum(weight[n] for n in covers[m] & open_demands) / hours[m])
        total += hours[best]
        open_demands -= covers[best]
    return total
