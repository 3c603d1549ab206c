"""The converters of published instances, the catalog writer and the synthetic generator."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import generate, published
from benchmarks.files import write_instance
from planner.catalog import load_catalog
from planner.scenario import load_scenario

pytestmark = pytest.mark.benchmark


@pytest.mark.parametrize(("name", "courses", "pairs"), [(n, c, p) for n, (_, c, p) in published.BACP.items()])
def test_bacp_parser_reads_every_course_and_pair(name: str, courses: int, pairs: int) -> None:
    data = published.parse_bacp((published.DATA / "bacp" / f"{name}.dat").read_text())
    assert (len(data.courses), len(data.credits), len(data.prerequisites)) == (courses, courses, pairs)
    assert (data.load_min, data.load_max, data.courses_min, data.courses_max) == (10, 24, 2, 10)


def test_bacp_parser_survives_missing_commas_and_unclosed_comments() -> None:
    text = """p=3; a=1; /* closed */
    b=9; /* never closed
    c=0; d=5;
    courses = {x, y, z};
    credit = [1, 2, 3];
    prereq = {<y, x> <z,y>,<z , x>};"""
    data = published.parse_bacp(text)
    assert (data.terms, data.load_min, data.load_max, data.courses_min, data.courses_max) == (3, 1, 9, 0, 5)
    assert data.prerequisites == (("y", "x"), ("z", "y"), ("z", "x"))


def test_scp_parser_reads_rows_and_costs() -> None:
    data = published.parse_scp("3 4\n 5 1 1 2\n 2 1 2\n 1 3\n 3 2 3 4\n")
    assert data.costs == (5, 1, 1, 2)
    assert data.rows == ((0, 1), (2,), (1, 2, 3))


def load_back(scenario_path: Path):
    """Catalog and scenario read by the real loaders; xfail while they cannot read version 2
    (the synthetic instances state their intake, in [calendar])."""
    from planner.errors import InputError

    try:
        return load_catalog(scenario_path.parent / "catalog"), load_scenario(scenario_path)
    except InputError as error:
        pytest.xfail(f"the loaders do not read version 2 yet: {error}")


def test_written_catalog_loads_back_unchanged(tmp_path: Path) -> None:
    instance = generate.instance(generate.CAMPUS)
    scenario_path = write_instance(instance, tmp_path)
    catalog, scenario = load_back(scenario_path)
    for table in (
        "sectors",
        "skills",
        "demands",
        "modules",
        "module_skills",
        "prerequisites",
        "instructors",
        "qualifications",
    ):
        assert getattr(catalog, table) == getattr(instance.catalog, table), table
    expected = instance.scenario
    assert (scenario.terms, scenario.sections, scenario.objective) == (
        expected.terms,
        expected.sections,
        expected.objective,
    )
    assert scenario.sectors == expected.sectors
    assert (scenario.total_hours_max, scenario.term_hours_min, scenario.term_hours_max) == (
        expected.total_hours_max,
        expected.term_hours_min,
        expected.term_hours_max,
    )
    assert (scenario.max_instructors_used, scenario.intake) == (expected.max_instructors_used, expected.intake)


def test_written_staffing_instance_loads_back_unchanged(tmp_path: Path) -> None:
    """Floors, costs, labs, intake and budget survive the files (once the loaders read version 2)."""
    instance = generate.named("campus-staffing-1")
    catalog, scenario = load_back(write_instance(instance, tmp_path))
    for table in ("instructors", "labs", "module_labs"):
        assert getattr(catalog, table) == getattr(instance.catalog, table), table
    expected = instance.scenario
    assert (scenario.intake, scenario.max_cost, scenario.objective) == (
        expected.intake,
        expected.max_cost,
        expected.objective,
    )


def test_generator_is_deterministic() -> None:
    assert generate.instance(generate.CAMPUS) == generate.instance(generate.CAMPUS)
