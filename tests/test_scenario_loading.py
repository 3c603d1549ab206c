"""Scenario loading: strict keys and types, exact coverage fractions, paths relative to the file."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.model import DEFAULT_OBJECTIVE, SectorGoal
from planner.scenario import load_scenario

FIXTURES = Path(__file__).parent / "fixtures"


def write(tmp_path: Path, body: str, name: str = "backend.toml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def issues_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    return [str(issue) for issue in caught.value.issues]


MINIMAL = 'name = "Back-end"\nterms = 6\n'


def test_tiny_scenario_maps_every_key():
    scenario = load_scenario(FIXTURES / "tiny.toml")

    assert scenario.name == "Tiny semiconductor back-end plan"
    assert scenario.terms == 3
    assert scenario.catalog == (FIXTURES / "tiny_catalog").resolve()
    assert scenario.term_hours_max == 270
    assert scenario.time_limit_seconds == 10.0
    assert scenario.sectors == (
        SectorGoal("semi", Fraction(4, 5), 5),
        SectorGoal("med", Fraction(1, 2), None),
    )
    assert scenario.path == FIXTURES / "tiny.toml"


def test_full_scenario_maps_to_the_dataclass(tmp_path):
    path = write(
        tmp_path,
        MINIMAL
        + """
sections = 2
careers = ["Electrónica Industrial"]
required_modules = ["MCEL-02"]
excluded_modules = ["IECO-02"]
objective = ["hours", "coverage"]
time_limit_seconds = 2.5

[hours]
total_max = 2400
term_min = 54
term_max = 600

[modules_per_term]
min = 1
max = 10

[instructors]
max_used = 12
""",
    )

    scenario = load_scenario(path)

    assert (scenario.sections, scenario.careers) == (2, ("Electrónica Industrial",))
    assert (scenario.required_modules, scenario.excluded_modules) == (("MCEL-02",), ("IECO-02",))
    assert scenario.objective == ("hours", "coverage")
    assert scenario.time_limit_seconds == 2.5
    assert (scenario.total_hours_max, scenario.term_hours_min, scenario.term_hours_max) == (2400, 54, 600)
    assert (scenario.modules_per_term_min, scenario.modules_per_term_max) == (1, 10)
    assert scenario.max_instructors_used == 12


def test_absent_keys_take_the_defaults(tmp_path):
    scenario = load_scenario(write(tmp_path, MINIMAL))

    assert scenario.sections == 1
    assert scenario.catalog is None and scenario.careers is None and scenario.sectors is None
    assert scenario.objective == DEFAULT_OBJECTIVE
    assert scenario.term_hours_min == 0 and scenario.term_hours_max is None
    # Version 2: a cohort a year, so odd and even terms each run together.
    assert scenario.intake == "yearly" and scenario.weeks_per_term == 18
    assert (scenario.campus, scenario.max_cost, scenario.min_qualified) == (None, None, 1)


def test_catalog_is_resolved_relative_to_the_scenario_file(tmp_path, monkeypatch):
    path = write(tmp_path, MINIMAL + 'catalog = "../catalog"\n', name="seeds/backend.toml")
    monkeypatch.chdir(path.parent.parent.parent)  # anywhere but the scenario's folder

    scenario = load_scenario(Path(tmp_path.name) / "seeds" / "backend.toml")

    assert scenario.catalog == (tmp_path / "catalog").resolve()
    assert scenario.catalog.is_absolute()


@pytest.mark.parametrize(
    ("written", "exact"),
    [
        ("0.8", Fraction(4, 5)),
        ("0.3", Fraction(3, 10)),
        ("1", Fraction(1)),
        ("0", Fraction(0)),
        ("0.35", Fraction(7, 20)),
    ],
)
def test_min_coverage_is_the_exact_decimal_the_user_wrote(tmp_path, written, exact):
    path = write(tmp_path, MINIMAL + f"[sectors.semi]\nmin_coverage = {written}\n")

    (goal,) = load_scenario(path).sectors

    assert goal.min_coverage == exact


def test_unknown_key_suggests_the_nearest_known_one(tmp_path):
    path = write(tmp_path, MINIMAL + "[hours]\nterm_maxx = 600\n")

    assert issues_of(path) == ["backend.toml, hours.term_maxx: unknown key 'term_maxx'; did you mean 'term_max'?"]


def test_unknown_keys_are_reported_at_every_level(tmp_path):
    path = write(tmp_path, MINIMAL + 'colour = "red"\nsecton = 2\n[sectors.semi]\nminimum = 0.5\n')

    colour, secton, minimum = issues_of(path)

    assert colour.startswith(
        "backend.toml, colour: unknown key 'colour'; the keys here are name, catalog, campus, terms,"
    )
    assert secton == "backend.toml, secton: unknown key 'secton'; did you mean 'sections'?"
    assert minimum == (
        "backend.toml, sectors.semi.minimum: unknown key 'minimum'; the keys here are min_coverage, weight."
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("terms = 6.5", "backend.toml, terms: must be a whole number, not 6.5."),
        ("terms = true", "backend.toml, terms: must be a whole number, not true."),
        ('terms = "6"', 'backend.toml, terms: must be a whole number, not "6".'),
        ("terms = 0", "backend.toml, terms: must be at least 1, not 0."),
        ("sections = 0", "backend.toml, sections: must be at least 1, not 0."),
        ("name = 5", "backend.toml, name: must be non-empty text in quotes, not 5."),
        (
            'careers = "Mecatrónica"',
            'backend.toml, careers: must be a list of non-empty texts in quotes, not "Mecatrónica".',
        ),
        ('required_modules = ["M1", "M1"]', "backend.toml, required_modules: 'M1' is listed more than once."),
        (
            "time_limit_seconds = 0",
            "backend.toml, time_limit_seconds: must be a positive number of seconds, not 0.",
        ),
        (
            "time_limit_seconds = inf",
            "backend.toml, time_limit_seconds: must be a positive number of seconds, not inf.",
        ),
        (
            "objective = []",
            "backend.toml, objective: must name at least one of coverage, hours, balance, cost, changes.",
        ),
        (
            'objective = ["hour"]',
            "backend.toml, objective: 'hour' is not an objective; did you mean 'hours'?",
        ),
        ('objective = ["hours", "hours"]', "backend.toml, objective: 'hours' is listed more than once."),
        ("hours = 600", "backend.toml, hours: must be a table ([hours]), not 600."),
        ("[hours]\nterm_min = -1", "backend.toml, hours.term_min: must be at least 0, not -1."),
        (
            "[hours]\nterm_min = 300\nterm_max = 200",
            "backend.toml, hours.term_min: hours.term_min = 300 is more than hours.term_max = 200.",
        ),
        (
            "[modules_per_term]\nmax = 2.0",
            "backend.toml, modules_per_term.max: must be a whole number, not 2.0.",
        ),
        (
            "[instructors]\nmax_used = false",
            "backend.toml, instructors.max_used: must be a whole number, not false.",
        ),
        (
            "[sectors.semi]\nmin_coverage = 80",
            "backend.toml, sectors.semi.min_coverage: must be a number from 0 to 1 (0.8 = 80%), not 80.",
        ),
        (
            "[sectors.semi]\nmin_coverage = true",
            "backend.toml, sectors.semi.min_coverage: must be a number from 0 to 1 (0.8 = 80%), not true.",
        ),
        ("[sectors.semi]\nweight = 0", "backend.toml, sectors.semi.weight: must be at least 1, not 0."),
        (
            '[calendar]\nintake = "yearl"',
            "backend.toml, calendar.intake: 'yearl' is not an intake; did you mean 'yearly'?",
        ),
        (
            '[calendar]\nintake = "monthly"',
            "backend.toml, calendar.intake: 'monthly' is not an intake; use yearly, every_term, single.",
        ),
        ("[calendar]\nweeks_per_term = 0", "backend.toml, calendar.weeks_per_term: must be at least 1, not 0."),
        ("[instructors]\nmin_qualified = 0", "backend.toml, instructors.min_qualified: must be at least 1, not 0."),
        ("[budget]\nmax_cost = -1", "backend.toml, budget.max_cost: must be at least 0, not -1."),
        ("[budget]\nmax_cots = 5", "backend.toml, budget.max_cots: unknown key 'max_cots'; did you mean 'max_cost'?"),
        ("[sectors]\nsemi = 5", "backend.toml, sectors.semi: must be a table ([sectors.semi]), not 5."),
        (
            "[sectors]",
            "backend.toml, sectors: lists no sector; add [sectors.<sector_id>] tables or remove [sectors].",
        ),
    ],
)
def test_wrong_values_name_the_key_and_the_value(tmp_path, line, expected):
    key = line.split(" ")[0]
    kept = [given for given in MINIMAL.splitlines() if not given.startswith(key + " ")]  # `line` replaces it

    assert issues_of(write(tmp_path, "\n".join([*kept, line]) + "\n")) == [expected]


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, 'terms = 6.5\nobjetive = ["hours"]\n[hours]\nterm_maxx = 1\n')

    assert issues_of(path) == [
        "backend.toml, objetive: unknown key 'objetive'; did you mean 'objective'?",
        "backend.toml, hours.term_maxx: unknown key 'term_maxx'; did you mean 'term_max'?",
        "backend.toml, name: this required key is missing.",
        "backend.toml, terms: must be a whole number, not 6.5.",
    ]


def test_invalid_toml_reports_where(tmp_path):
    (issue,) = issues_of(write(tmp_path, MINIMAL + "[hours\nterm_max = 1\n"))

    assert issue.startswith("backend.toml: this is not valid TOML: ")
    assert "line 3" in issue


def test_missing_file_is_an_input_error(tmp_path):
    assert issues_of(tmp_path / "absent.toml") == [
        f"absent.toml: the scenario file {tmp_path / 'absent.toml'} does not exist."
    ]


def test_a_file_that_is_not_utf8_is_an_input_error(tmp_path):
    path = tmp_path / "backend.toml"
    path.write_bytes('name = "Electrónica"\nterms = 6\n'.encode("latin-1"))

    assert issues_of(path) == ["backend.toml: the file is not UTF-8 text; save it as UTF-8."]


def test_numbers_too_large_for_any_plan_are_refused(tmp_path):
    assert issues_of(write(tmp_path, 'name = "x"\nterms = 2000000\n')) == [
        "backend.toml, terms: 2000000 is more than 24, the most this planner accepts."
    ]
    (issue,) = issues_of(write(tmp_path, 'name = "x"\nterms = ' + "9" * 5000 + "\n"))
    assert issue.startswith("backend.toml: this is not valid TOML: ")


def test_a_campus_scenario_nested_too_deeply_is_that_campus_input_error(tmp_path):
    # A rollout reads each campus through load_scenario with its overrides: the error is the campus's.
    path = write(tmp_path, 'name = "x"\nterms = 3\nnotes = ' + "[" * 30_000 + "]" * 30_000 + "\n")

    with pytest.raises(InputError) as caught:
        load_scenario(path, overrides={"sections": 2}, source="backend.toml [bc-tijuana]")

    assert [str(issue) for issue in caught.value.issues] == [
        "backend.toml: this is not valid TOML: its values are nested too deeply."
    ]


def test_an_override_above_the_real_limit_names_that_limit(tmp_path):
    path = write(tmp_path, 'name = "x"\nterms = 3\n')

    with pytest.raises(InputError) as caught:
        load_scenario(path, overrides={"terms": 30}, source="backend.toml [bc-tijuana]")

    assert [str(issue) for issue in caught.value.issues] == [
        "backend.toml [bc-tijuana], terms: 30 is more than 24, the most this planner accepts."
    ]
