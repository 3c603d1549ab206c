"""The catalog and seed scenarios shipped in the repository load, hang together and meet the floors
promised for them (catalog/SOURCES.md explains where the data comes from).

The loader already refuses unknown ids, duplicates and cycles; these tests add what a curriculum
designer expects of *this* data: CONALEP-style codes, 18-week hours, 8-20 h instructor contracts,
prerequisites that fit their semester windows, and gaps that are deliberate.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from planner.catalog import load_catalog
from planner.errors import InfeasibleError
from planner.model import Catalog, Problem
from planner.optimize import solve
from planner.result import PlanResult
from planner.scenario import load_scenario
from planner.words.conflicts import infeasibility
from planner.words.reasons import say

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"
CAMPUSES = CATALOG / "campuses"
SEEDS = sorted((ROOT / "seeds").glob("*.toml"))
CAMPUS_SEEDS = sorted((ROOT / "seeds" / "campuses").glob("*.toml"))
COMMON_CORE = "Núcleo común"
WEEKS_PER_TERM = 18


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG)


def qualified_modules(catalog: Catalog) -> set[str]:
    return {q.module_id for q in catalog.qualifications}


def test_catalog_meets_the_size_floors(catalog: Catalog) -> None:
    careers = {m.career for m in catalog.modules} - {COMMON_CORE}
    assert len(catalog.sectors) >= 5
    assert len(catalog.skills) >= 60
    assert len({s.cluster for s in catalog.skills}) >= 8
    assert len(catalog.demands) >= 150
    assert len(catalog.modules) >= 120
    assert len(careers) >= 6
    assert len(catalog.module_skills) >= 300
    assert len(catalog.prerequisites) >= 40
    assert len(catalog.instructors) >= 20
    assert len(catalog.qualifications) >= 150


def test_semiconductor_sector_is_split_in_three(catalog: Catalog) -> None:
    assert {"semi-fe", "semi-be", "semi-des", "med", "ems"} <= set(catalog.sector_by_id)


def test_each_sector_needs_a_skill_at_most_once(catalog: Catalog) -> None:
    pairs = Counter((d.sector_id, d.skill_id) for d in catalog.demands)
    assert [pair for pair, n in pairs.items() if n > 1] == []


def test_skill_ids_follow_the_cluster_prefix_and_name_a_basis(catalog: Catalog) -> None:
    skills = {s.skill_id for s in catalog.skills}
    assert [s for s in skills if not re.fullmatch(r"[A-Z]{3}-[A-Z0-9]+", s)] == []
    text = (CATALOG / "skills.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "skill_id,name,cluster,basis"


def test_every_demand_can_be_met_by_some_module(catalog: Catalog) -> None:
    best: dict[str, int] = {}
    for ms in catalog.module_skills:
        best[ms.skill_id] = max(best.get(ms.skill_id, 0), ms.level)
    unreachable = [(d.sector_id, d.skill_id) for d in catalog.demands if best.get(d.skill_id, 0) < d.level]
    assert unreachable == []


def test_module_codes_hours_and_status_follow_conalep_conventions(catalog: Catalog) -> None:
    for module in catalog.modules:
        assert re.fullmatch(r"[A-Z]{4}-\d{2}", module.module_id), module.module_id
        # Whole hours per week over an 18-week semester; the map's shortest module (Ética)
        # has 2 h/week, 36 h.
        assert module.hours in (36, 54, 72, 90, 108, 126), module.module_id
        assert module.earliest_term is not None and module.latest_term is not None
        assert 1 <= module.earliest_term <= module.latest_term <= 6, module.module_id
        assert module.extra.get("status") in ("verified", "assumed", "proposed"), module.module_id


def test_semiconductor_track_modules_are_proposed(catalog: Catalog) -> None:
    semiconductor = [m for m in catalog.modules if m.career == "Semiconductores"]
    assert len(semiconductor) >= 10
    assert {m.extra["status"] for m in semiconductor} == {"proposed"}


def test_prerequisites_fit_in_their_semester_windows(catalog: Catalog) -> None:
    """Following every prerequisite chain, each module can still start before its latest term."""
    modules = catalog.module_by_id
    needs: dict[str, list[str]] = {}
    for p in catalog.prerequisites:
        needs.setdefault(p.module_id, []).append(p.prerequisite_id)
    start: dict[str, int] = {}

    def earliest(module_id: str) -> int:
        if module_id not in start:
            own = modules[module_id].earliest_term or 1
            start[module_id] = max([own] + [earliest(p) + 1 for p in needs.get(module_id, [])])
        return start[module_id]

    late = [m for m in modules if earliest(m) > (modules[m].latest_term or 6)]
    assert late == []


def test_instructors_have_8_to_20_hour_contracts(catalog: Catalog) -> None:
    for instructor in catalog.instructors:
        weekly, rest = divmod(instructor.max_hours_per_term, WEEKS_PER_TERM)
        assert rest == 0 and 8 <= weekly <= 20, instructor.instructor_id
    for path in [CATALOG / "instructors.csv", *sorted(CAMPUSES.glob("*/instructors.csv"))]:
        for row in read_csv(path):
            cap, floor, cost = (int(row[c]) for c in ("max_hours_per_term", "min_hours_per_term", "cost_per_hour"))
            weekly, rest = divmod(cap, WEEKS_PER_TERM)
            assert rest == 0 and 8 <= weekly <= 20, (path, row["instructor_id"])
            assert floor == min(8 * WEEKS_PER_TERM, cap), (path, row["instructor_id"])
            assert 70 <= cost <= 200, (path, row["instructor_id"])


def test_most_modules_have_a_qualified_instructor_but_some_are_training_needs(catalog: Catalog) -> None:
    qualified = qualified_modules(catalog)
    assert len(qualified) >= 0.7 * len(catalog.modules)
    untaught_proposed = [m for m in catalog.modules if m.extra["status"] == "proposed" and m.module_id not in qualified]
    assert len(untaught_proposed) >= 3


def test_back_end_lab_modules_can_be_taught(catalog: Catalog) -> None:
    """The main seed's point is an ATP track, so its core labs must have instructors."""
    assert {"LDUA-00", "POPF-00", "EMEA-00", "OMES-00"} <= qualified_modules(catalog)


def test_the_promised_seeds_are_shipped() -> None:
    names = {path.stem for path in SEEDS}
    assert {
        "semiconductor_backend_baja",
        "design_validation_jalisco",
        "medical_devices_baja",
        "instructor_shortage",
    } <= names
    assert any("infeasible" in name for name in names)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_loads_and_builds_a_problem(path: Path, catalog: Catalog) -> None:
    scenario = load_scenario(path)
    assert scenario.catalog is not None and scenario.catalog.resolve() == CATALOG
    assert scenario.terms == 6
    assert scenario.time_limit_seconds == 60
    problem = Problem.build(catalog, scenario)
    assert len(problem.candidates) > len(scenario.required_modules)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_starts_by_stating_its_planning_question(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Planning question")


# --- solving the two seeds the README leads with (a few seconds each) -------------------------


def solve_seed(name: str, catalog: Catalog) -> PlanResult:
    return solve(Problem.build(catalog, load_scenario(ROOT / "seeds" / f"{name}.toml")))


def test_main_seed_gives_a_sensible_back_end_track(catalog: Catalog) -> None:
    result = solve_seed("semiconductor_backend_baja", catalog)
    assert result.status.value == "OPTIMAL"
    assert result.violations() == []
    # the back-end labs are the point of the track: cleanroom, die attach / wire bonding, test,
    # encapsulation, equipment maintenance
    assert {"PCLC-00", "LDUA-00", "POPF-00", "EMEA-00", "OMES-00"} <= set(result.taken)
    back_end = next(s for s in result.sector_coverage if s.sector_id == "semi-be")
    assert back_end.ratio >= 0.8
    # reliability testing is a training need: its only module has no instructor on the roster
    gaps = {g.demand.skill_id: say(g.reason) for g in result.gaps if g.demand.sector_id == "semi-be"}
    assert "instructor" in gaps["ATP-REL"]


def test_infeasible_seed_says_the_fab_modules_have_no_instructor(catalog: Catalog) -> None:
    with pytest.raises(InfeasibleError) as caught:
        solve_seed("infeasible_frontend_fab", catalog)
    message = "\n".join(infeasibility(caught.value))
    assert "semi-fe" in message
    assert "PFOB-00" in message and "instructor" in message


@pytest.mark.parametrize("name", ["design_validation_jalisco", "medical_devices_baja", "instructor_shortage"])
def test_every_other_feasible_seed_is_solved_to_a_proven_optimum(name: str, catalog: Catalog) -> None:
    result = solve_seed(name, catalog)
    assert result.status.value == "OPTIMAL"
    assert result.violations() == []
    assert [s.value for s in result.stages] == [result.objectives[o] for o in result.problem.scenario.objective]


# --- version 2 data: provenance, labs, training, campuses ------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_module_provenance_is_recorded(catalog: Catalog) -> None:
    """`verified` means code, name and hours were read on a public page, whose address is kept.

    Issue 12 asked for 20 verified modules; only the ten below could be checked with their hours
    (see catalog/SOURCES.md). Raise the floor as more official guides are read.
    """
    verified = [m for m in catalog.modules if m.extra["status"] == "verified"]
    assert {m.module_id for m in verified} == VERIFIED_MODULES
    for module in catalog.modules:
        source = module.extra.get("source") or ""
        assert module.extra.get("credits", "").isdigit(), module.module_id
        if module.extra["status"] == "verified":
            assert source.startswith("https://"), module.module_id
            assert "hours" in module.extra["checked"], module.module_id
        if source:
            assert module.extra["status"] != "proposed", module.module_id
    official = {
        module_id: (module.hours, module.earliest_term, module.latest_term)
        for module_id, module in catalog.module_by_id.items()
        if module_id in VERIFIED_MODULES
    }
    assert official == VERIFIED_MODULES_OFFICIAL_DATA


# Hours and semester as the public guides print them (catalog/SOURCES.md gives each address).
VERIFIED_MODULES_OFFICIAL_DATA = {
    "COIN-04": (90, 1, 1),
    "APRE-04": (72, 1, 1),
    "ININ-03": (54, 1, 1),
    "AMAE-04": (72, 1, 1),
    "DECI-04": (54, 4, 4),
    "CAIN-03": (54, 2, 2),
    "CPIN-03": (54, 4, 4),
    "PBAS-03": (126, 2, 3),  # Informática's 2023 guide: "Semestre(s): 2° y 3°"
    "ASIN-03": (72, 3, 3),  # Informática's 2023 programme: "Semestre(s): 3°"
    "ACRS-00": (72, 5, 5),  # Ciencia de datos e IA's 2022 guide: "Semestre: Quinto"
}
VERIFIED_MODULES = set(VERIFIED_MODULES_OFFICIAL_DATA)

# CONALEP's mapa curricular (2020) prints the common core's names, hours, credits and semesters
# but no codes (catalog/SOURCES.md, "The official mapa curricular"): rows read on it say so.
MAPA_CURRICULAR = "https://github.com/acamacho0723/dags-etl-23062025/blob/main/media/Mapa%20Curricular.pdf"
MAPA_CURRICULAR_DATA = {  # module: (hours, semester, credits) as printed
    "PIPM-03": (90, 1, 9),
    "MAEC-03": (90, 1, 9),
    "PROP-01": (72, 1, 7),
    "CAEP-02": (54, 2, 5),
    "RESA-00": (72, 2, 7),
    "MAPD-00": (54, 2, 5),
    "EMIN-00": (54, 2, 5),
    "AIND-02": (90, 4, 9),
    "IFFM-00": (72, 4, 7),
    "AING-02": (90, 5, 9),
    "AFEO-02": (72, 5, 7),
    "CENG-03": (54, 5, 5),
    "TADA-03": (90, 6, 9),
    "INCA-00": (54, 6, 5),
    "REDE-03": (90, 1, 9),
    "RAGR-00": (54, 3, 5),
    "CIIN-02": (54, 3, 5),
    "IBIO-02": (54, 3, 5),
    "ETIC-00": (36, 3, 4),
    "CFSP-00": (54, 5, 5),
    "FILO-00": (54, 6, 5),
    "RCOE-00": (72, 2, 7),
}
# The same map's Núcleo de Formación Profesional and trayectos técnicos of the Ciencia de Datos e IA
# career (rows of ours, codes ours but DMML-00's and ACRS-00's, which is verified on its guide).
MAPA_CURRICULAR_CAREER = {
    "DPCO-00": (126, 2, 13),
    "IRCO-00": (72, 2, 7),
    "IIPR-00": (72, 2, 7),
    "DPPR-00": (126, 3, 13),
    "SEDA-00": (108, 3, 11),
    "CMAE-00": (108, 3, 11),
    "GSNU-00": (90, 3, 9),
    "DASI-00": (90, 4, 9),
    "APDA-00": (90, 4, 9),
    "AMET-00": (90, 4, 9),
    "REPA-00": (126, 5, 13),
    "UHED-00": (72, 5, 7),
    "AMPR-00": (126, 6, 13),
    "PAPD-00": (90, 6, 9),
    "ALNA-00": (126, 6, 13),
    "ATDA-00": (90, 4, 9),
    "OIDA-00": (90, 5, 9),
    "GRDA-00": (90, 6, 9),
    "DMML-00": (90, 4, 9),
    "CAWE-00": (90, 5, 9),
    "ACAM-00": (90, 6, 9),
}
# On the map as núcleo básico of its career's area (Tecnología y Transporte): another area's
# careers take other science modules in semester 5, so the seeds leave these two free.
AREA_MODULES = {"AING-02", "AFEO-02"}


def test_rows_read_on_the_mapa_curricular_follow_it(catalog: Catalog) -> None:
    read_on_map = {
        m.module_id: (m.hours, (m.earliest_term, m.latest_term), int(m.extra["credits"]))
        for m in catalog.modules
        if m.extra.get("source") == MAPA_CURRICULAR
    }
    on_map = MAPA_CURRICULAR_DATA | MAPA_CURRICULAR_CAREER
    printed = {m: (hours, (term, term), credits) for m, (hours, term, credits) in on_map.items()}
    assert read_on_map == printed


@pytest.mark.parametrize("path", SEEDS + CAMPUS_SEEDS, ids=lambda p: p.stem)
def test_every_seed_takes_the_whole_common_core_of_the_map(path: Path) -> None:
    # A CONALEP student takes every common-core module; the first semester is nothing else
    # (eight modules, 630 h: the whole week of the map's 35 h).
    verified_first = {"COIN-04", "ININ-03", "APRE-04", "AMAE-04"}
    first = verified_first | {m for m, (_, term, _) in MAPA_CURRICULAR_DATA.items() if term == 1}
    assert len(first) == 8
    core = set(MAPA_CURRICULAR_DATA) - AREA_MODULES
    assert first | core <= set(load_scenario(path).required_modules)


def test_back_end_skills_of_issue_12_are_demanded_and_taught(catalog: Catalog) -> None:
    taught = {ms.skill_id for ms in catalog.module_skills}
    demanded = {d.skill_id for d in catalog.demands if d.sector_id == "semi-be"}
    assert {"ATP-WBT", "ATP-MSD", "ELE-SMT"} <= taught & demanded


def test_inflating_links_are_gone(catalog: Catalog) -> None:
    links = {(ms.module_id, ms.skill_id) for ms in catalog.module_skills}
    assert not links & {("MAPD-00", "DIG-PROG"), ("EMIN-00", "FND-DOC"), ("CENG-03", "FND-TEAM")}


def test_labs_and_training_refer_to_known_ids(catalog: Catalog) -> None:
    labs = {row["lab_id"] for row in read_csv(CATALOG / "labs.csv")}
    assert {"LAB-CLEAN", "LAB-BOND", "LAB-ATE", "LAB-SMT", "LAB-METRO", "LAB-PLC", "LAB-ELEC"} <= labs
    module_labs = read_csv(CATALOG / "module_labs.csv")
    assert {row["lab_id"] for row in module_labs} <= labs
    assert {row["module_id"] for row in module_labs} <= set(catalog.module_by_id)
    training = read_csv(CATALOG / "training.csv")
    assert len(training) >= 15
    instructors = {i.instructor_id for i in catalog.instructors}
    for row in training:
        assert row["instructor_id"] in instructors and row["module_id"] in catalog.module_by_id
        assert int(row["cost"]) > 0
    assert {"PCBI-00", "PFOB-00"} <= {row["module_id"] for row in training}


def test_campus_folders_hang_together(catalog: Catalog) -> None:
    campuses = read_csv(CAMPUSES / "campuses.csv")
    assert len(campuses) >= 8 and len({c["state"] for c in campuses}) >= 5
    lab_ids = {row["lab_id"] for row in read_csv(CATALOG / "labs.csv")}
    for campus in campuses:
        folder = CAMPUSES / campus["campus_id"]
        instructors = {row["instructor_id"] for row in read_csv(folder / "instructors.csv")}
        for row in read_csv(folder / "qualifications.csv"):
            assert row["instructor_id"] in instructors and row["module_id"] in catalog.module_by_id, row
        for row in read_csv(folder / "training.csv"):
            assert row["instructor_id"] in instructors and row["module_id"] in catalog.module_by_id, row
        labs = {row["lab_id"]: int(row["max_hours_per_term"]) for row in read_csv(folder / "labs.csv")}
        assert set(labs) <= lab_ids
        assert (ROOT / "seeds" / "campuses" / f"{campus['campus_id']}.toml").exists()


@pytest.mark.parametrize("path", CAMPUS_SEEDS, ids=lambda p: p.stem)
def test_campus_seed_names_its_campus_and_question(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith("# Planning question")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert (path.parent / data["campus"]).resolve().parent == CAMPUSES
    assert data["time_limit_seconds"] == 60 and data["terms"] == 6


@pytest.mark.parametrize("path", CAMPUS_SEEDS, ids=lambda p: p.stem)
def test_every_campus_seed_is_solved_to_a_proven_optimum(path: Path) -> None:
    scenario = load_scenario(path)
    result = solve(Problem.build(load_catalog(CATALOG), scenario))
    assert result.status.value == "OPTIMAL"
    assert result.violations() == []
