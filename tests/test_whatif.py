"""What-if: every conflict of an infeasible scenario with its smallest verified fix, what binds a
feasible plan, and training that buys coverage."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from planner.builder import CatalogBuilder
from planner.catalog import load_catalog
from planner.errors import InfeasibleError
from planner.model import (
    Catalog,
    Problem,
    Scenario,
    SectorGoal,
)
from planner.optimize import solve
from planner.optimize.explain import bindings
from planner.options import SolveOptions
from planner.planning import load_problem
from tests.helpers import run_in_english

ROOT = Path(__file__).resolve().parent.parent
TINY_CATALOG = ROOT / "tests" / "fixtures" / "tiny_catalog"
LIMIT = SolveOptions(time_limit=20)


# Two conflicts that share nothing: C and D (90 h each) may only go in term 2, above term_max 150;
# sector s wants all of its importance, but skill Z is taught by no module (at most 1/2).
# B is 21 h so hours count in whole hours (gcd 1), and one unit less is one hour less.
def demanded_by_s(*skills: tuple[str, str] | tuple[str, str, int]) -> CatalogBuilder:
    """Sector s demanding each skill (id, name[, importance]) at level 1; skills in cluster c."""
    built = CatalogBuilder().add_sector("s", "S")
    for skill_id, name, *importance in skills:
        built.add_skill(skill_id, name, "c").add_demand("s", skill_id, 1, *importance)
    return built


TWO = (
    demanded_by_s(("X", "x"), ("Z", "z"))
    .add_module("B", 21, career="c", teaches={"X": 1})
    .add_module("C", 90, career="c", earliest_term=2, latest_term=2)
    .add_module("D", 90, career="c", earliest_term=2, latest_term=2)
    .build()
)
TWO_SCENARIO = Scenario(
    name="two", terms=3, required_modules=("C", "D"), term_hours_max=150, sectors=(SectorGoal("s", Fraction(1)),)
)


def explained(catalog: Catalog, scenario: Scenario) -> InfeasibleError:
    with pytest.raises(InfeasibleError) as caught:
        solve(Problem.build(catalog, scenario), LIMIT)
    return caught.value


def feasible(catalog: Catalog, scenario: Scenario) -> bool:
    try:
        solve(Problem.build(catalog, scenario), LIMIT)
    except InfeasibleError:
        return False
    return True


def test_two_planted_conflicts_are_both_reported_disjoint_with_enough_and_smallest_fixes():
    error = explained(TWO, TWO_SCENARIO)
    found = error.found
    kinds = [{key.kind for key in c.requirements} for c in found]
    assert kinds == [{"min_coverage"}, {"required_module", "term_max"}]
    first, second = ({key for key in c.requirements} for c in found)
    assert not first & second
    coverage, hours = (c.relaxation for c in found)
    assert coverage == {"kind": "min_coverage", "sector_id": "s", "from": 1.0, "to": 0.5}
    assert hours == {"kind": "term_max", "from": 150, "to": 180}

    def with_fixes(floor: Fraction, term_max: int) -> Scenario:
        return replace(TWO_SCENARIO, term_hours_max=term_max, sectors=(SectorGoal("s", floor),))

    # enough: both fixes together make the scenario feasible; each alone leaves only the other conflict
    assert feasible(TWO, with_fixes(Fraction(1, 2), 180))
    left = explained(TWO, with_fixes(Fraction(1, 2), 150)).found
    assert [c.relaxation for c in left] == [hours]
    left = explained(TWO, with_fixes(Fraction(1), 180)).found
    assert [c.relaxation for c in left] == [coverage]
    # smallest: one unit less than either fix is still infeasible
    assert not feasible(TWO, with_fixes(Fraction(1, 2), 179))
    assert not feasible(TWO, with_fixes(Fraction(51, 100), 180))


def test_an_exclusion_can_be_part_of_a_conflict_and_dropped():
    # B needs A first, A is excluded and B required: the exclusion is named and dropping it is the fix.
    cat = (
        demanded_by_s(("X", "x"))
        .add_module("A", 10, career="c")
        .add_module("B", 10, career="c", prerequisites=["A"])
        .build()
    )
    (conflict,) = explained(cat, Scenario(name="x", terms=2, required_modules=("B",), excluded_modules=("A",))).found
    assert [key.as_dict() for key in conflict.requirements] == [
        {"kind": "excluded_module", "module_id": "A"},
        {"kind": "required_module", "module_id": "B"},
    ]
    assert conflict.relaxation is not None and conflict.relaxation["drop"] is True
    fixed = Scenario(name="x", terms=2, required_modules=("B",))
    if conflict.relaxation["kind"] == "required_module":
        fixed = Scenario(name="x", terms=2, excluded_modules=("A",))
    assert feasible(cat, fixed)


def scenario_file(folder: Path, body: str) -> Path:
    path = folder / "scenario.toml"
    path.write_text(f'name = "T"\ncatalog = "{TINY_CATALOG.as_posix()}"\nterms = 3\n{body}', encoding="utf-8")
    return path


def test_an_infeasible_plan_with_json_writes_the_conflicts_report_and_no_workbook(tmp_path):
    scenario = scenario_file(tmp_path, 'required_modules = ["SEEN-01"]\n[hours]\ntotal_max = 100\n')
    out = tmp_path / "out"
    out.mkdir()
    result = run_in_english("plan", scenario, "--out", out / "p.xlsx", "--json", out / "p.json")
    assert result.exit_code == 3
    assert "Fix: raise hours.total_max from 100 to 144" in " ".join(result.stderr.split())
    assert sorted(p.name for p in out.iterdir()) == ["p.json"]
    report = json.loads((out / "p.json").read_text(encoding="utf-8"))
    assert report["status"] == "INFEASIBLE"
    (conflict,) = report["conflicts"]
    assert conflict["requirements"] == [{"kind": "required_module", "module_id": "SEEN-01"}, {"kind": "total_max"}]
    assert conflict["relaxation"] == {"kind": "total_max", "from": 100, "to": 144}


def test_explain_lists_a_binding_limit_with_a_positive_gain(tmp_path):
    scenario = scenario_file(tmp_path, "[hours]\ntotal_max = 126\n")
    result = run_in_english("explain", scenario, "--json", tmp_path / "b.json")
    assert result.exit_code == 0, result.output
    assert "hours.total_max: from 126 to 144 raises coverage by" in result.stdout
    report = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    binding = report["binding"]
    assert binding and all(b["coverage_gain"] > 0 for b in binding)
    # the gain is what one more unit buys: the plan of the relaxed scenario covers that much more
    problem = load_problem(scenario)
    base = solve(problem, LIMIT).objectives["coverage"]
    relaxed = Problem.build(problem.catalog, replace(problem.scenario, total_hours_max=144))
    assert solve(relaxed, LIMIT).objectives["coverage"] - base == binding[0]["coverage_gain"]


def test_explain_on_an_infeasible_scenario_gives_the_conflicts(tmp_path):
    scenario = scenario_file(tmp_path, 'required_modules = ["SEEN-01"]\n[hours]\ntotal_max = 100\n')
    result = run_in_english("explain", scenario)
    assert result.exit_code == 3
    assert "hours.total_max = 100 h" in result.stderr


def test_the_partner_companies_hours_bind_when_a_dual_module_needs_more():
    # W's two groups are dual, each learning 54 of its 108 h at a company: 108 company hours a
    # period. With 90 the module is left out; one step more (the fewest company hours of a dual
    # module, 54) lets it in.
    dual = demanded_by_s(("X", "x")).add_module("W", 108, career="c", teaches={"X": 1}, dual_hours=54)
    catalog = dual.add_instructor("A", 400, qualified_for=["W"]).build()
    scenario = Scenario("s", terms=1, sections=2, dual_groups=(2,), max_company_hours=90, intake="single")
    found, complete = bindings(Problem.build(catalog, scenario), 20)
    assert complete
    assert [(b.limit, b.current, b.relaxed, b.gain) for b in found] == [({"kind": "max_company_hours"}, 90, 144, 1)]


def test_bindings_are_empty_when_nothing_binds():
    problem = Problem.build(TWO, Scenario(name="free", terms=3))
    found, complete = bindings(problem, 20)
    assert found == [] and complete


SEED = ROOT / "seeds" / "semiconductor_backend_baja.toml"


def test_training_buys_the_reliability_testing_offer_when_the_budget_allows():
    # The seed as it was before dual training and tracks: the company hours would change which
    # modules fit, and with tracks final test and encapsulation were required modules (80 % floor).
    problem = load_problem(SEED)
    scenario = problem.scenario
    assert scenario.sectors is not None
    before = replace(
        scenario,
        dual_groups=None,
        max_company_hours=None,
        tracks_offer=None,
        required_modules=(*scenario.required_modules, "POPF-00", "EMEA-00"),
        sectors=tuple(
            replace(g, min_coverage=Fraction(4, 5)) if g.sector_id == "semi-be" else g for g in scenario.sectors
        ),
    )
    problem = Problem.build(problem.catalog, before)
    assert "ATP-REL" in {g.demand.skill_id for g in solve(problem, SolveOptions(time_limit=60)).gaps}
    funded = Problem.build(problem.catalog, replace(problem.scenario, training_budget=300_000))
    result = solve(funded, SolveOptions(time_limit=60))
    assert result.violations() == []
    assert {t.module_id for t in result.training} >= {"PCBI-00"}
    assert "ATP-REL" not in {g.demand.skill_id for g in result.gaps if g.demand.sector_id == "semi-be"}
    assert sum(t.cost for t in result.training) <= 300_000
    assert result.stages[-1].objective == "training"
    assert result.stages[-1].value == sum(t.cost for t in result.training)


def test_a_campus_training_file_replaces_the_catalogs():
    campus = ROOT / "catalog" / "campuses" / "bc-mexicali"
    catalog = load_catalog(ROOT / "catalog", campus)
    rows = (campus / "training.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [f"{t.instructor_id},{t.module_id},{t.cost}" for t in catalog.training] == [r for r in rows if r]


def test_buying_training_is_offered_as_a_verified_fix():
    # Only M teaches X, and nobody is qualified for M; training I0 for it costs 500. The floor of
    # 100% conflicts with the training budget of 0: lowering the floor to 1/2 is the smaller change,
    # and raising the budget to exactly 500 the alternative.
    cat = (
        demanded_by_s(("X", "x"), ("Y", "y"))
        .add_module("M", 10, career="c", teaches={"X": 1})
        .add_module("N", 10, career="c", teaches={"Y": 1})
        .add_instructor("I0", 40, name="i0", qualified_for=["N"])
        .add_training("I0", "M", 500)
        .build()
    )
    scen = Scenario(name="t", terms=2, sectors=(SectorGoal("s", Fraction(1)),))
    (conflict,) = explained(cat, scen).found
    assert {key.kind for key in conflict.requirements} == {"min_coverage", "training_budget"}
    assert conflict.relaxation == {"kind": "min_coverage", "sector_id": "s", "from": 1.0, "to": 0.5}
    assert conflict.alternatives == ({"kind": "training_budget", "from": 0, "to": 500},)
    assert feasible(cat, replace(scen, training_budget=500))
    assert not feasible(cat, replace(scen, training_budget=499))


def test_a_number_behind_several_members_is_offered_once():
    # Three 10-h modules, each teaching one demanded skill, and two terms of at most 10 h: the
    # 100% floor conflicts with the cap of both terms. The cap is one number (hours.term_max), so
    # raising it is one alternative, not one per term.
    built = demanded_by_s(*((x, x) for x in "XYZ"))
    for x in "XYZ":
        built.add_module(x + "M", 10, name=x, career="c", teaches={x: 1})
    cat = built.build()
    scen = Scenario(name="t", terms=2, term_hours_max=10, sectors=(SectorGoal("s", Fraction(1)),))
    (conflict,) = explained(cat, scen).found
    assert [key.kind for key in conflict.requirements].count("term_max") == 2
    assert conflict.relaxation["kind"] == "min_coverage"
    assert conflict.alternatives == ({"kind": "term_max", "from": 10, "to": 20},)


def training_catalog() -> Catalog:
    """M (weight 3) and N (weight 1) can only be taught after training; P is worth 2 and on offer too."""
    return (
        demanded_by_s(("X", "x", 3), ("Y", "y", 1), ("Z", "z", 2))
        .add_module("M", 10, career="c", teaches={"X": 1})
        .add_module("N", 10, career="c", teaches={"Y": 1})
        .add_module("P", 10, career="c", teaches={"Z": 1})
        .add_instructor("I0", 40, name="i0")
        .add_training("I0", "M", 300)
        .add_training("I0", "N", 100)
        .add_training("I0", "P", 450)
        .build()
    )


def test_training_is_ranked_by_coverage_added_and_the_next_offers_are_listed():
    from planner.export.plan_file import plan_document
    from planner.export.training_sheet import beyond_budget, coverage_added
    from planner.export.workbook import build_workbook

    result = solve(Problem.build(training_catalog(), Scenario(name="t", terms=1, training_budget=500)), LIMIT)
    # 500 buys M + N (coverage 4) rather than P alone (2) or M alone (3)
    assert sorted(t.module_id for t in result.training) == ["M", "N"]
    assert plan_document(result)["training"] == [
        {"instructor_id": "I0", "module_id": "M", "cost": 300},
        {"instructor_id": "I0", "module_id": "N", "cost": 100},
    ]
    assert {t.module_id: coverage_added(result, t) for t in result.training} == {"M": 3, "N": 1}
    assert [(gain, t.module_id) for gain, t in beyond_budget(result)] == [(2, "P")]
    sheet = build_workbook(result)["Training"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    # Instructor id and name, module id and name, cost, coverage.
    assert ["I0", "i0", "M", "M", 300, 3] in values and ["I0", "i0", "P", "P", 450, 2] in values


def test_without_a_budget_nothing_is_bought_and_the_plan_is_unchanged():
    result = solve(Problem.build(training_catalog(), Scenario(name="t", terms=1)), LIMIT)
    assert result.training == () and result.placements == ()
    assert [s.objective for s in result.stages] == ["coverage", "hours", "balance"]
