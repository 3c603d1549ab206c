"""The workbook's own words for things the files name by key: statuses, objectives, periods,
limits, solver parameters and the catalog's module status, in the workbook's language."""

from __future__ import annotations

from planner.i18n import _
from planner.model import Scenario
from planner.result import Status


def status_words(status: Status) -> str:
    if status is Status.OPTIMAL:
        return _("Optimal: proven to be the best plan possible")
    return _("Feasible: the best plan found within the time limit; a better one may exist")


def status_name(status: str | None) -> str | None:
    """A plan file's status (OPTIMAL, FEASIBLE) as one word of the workbook's language."""
    names = {"OPTIMAL": _("optimal"), "FEASIBLE": _("feasible"), "INFEASIBLE": _("infeasible")}
    return names.get(status, status) if status else status


def objective_word(key: str) -> str:
    """An objective of the scenario as a reader says it."""
    words = {
        "coverage": _("coverage"),
        "hours": _("hours"),
        "balance": _("balance"),
        "cost": _("cost"),
        "changes": _("changes"),
        "training": _("training"),
    }
    return words.get(key, key)


def yes_no(value: bool) -> str:
    return answers()[0 if value else 1]


def answers() -> tuple[str, str]:
    """The words of yes/no columns; one message, since "no" alone reads the same in Spanish."""
    yes, no = _("yes/no").split("/")
    return yes, no


def module_status(value: str | None) -> str | None:
    """The catalog's `status` of a module (verified, assumed, proposed) in the reader's words."""
    if value is None:
        return None
    words = {"verified": _("verified"), "assumed": _("assumed"), "proposed": _("proposed"), "existing": _("existing")}
    return words.get(value.strip().lower(), value)


def groups_text(scenario: Scenario) -> int | str:
    """The scenario's groups as it writes them: one number, or one per semester ("2, 2, 2, 2, 1, 1")."""
    sections = scenario.sections
    return sections if isinstance(sections, int) else ", ".join(map(str, sections))


def period_name(scenario: Scenario, p: int) -> str:
    """A period's one name in every sheet: "Autumn (1, 3, 5)" (Spanish: "Agosto–enero (1, 3, 5)")."""
    terms = scenario.periods[p]
    return period_named(scenario.intake, p, terms)


def period_named(intake: str, p: int, terms: tuple[int, ...] | list[int]) -> str:
    if intake == "single":
        return _("Term {term}", term=terms[0])
    listed = ", ".join(map(str, terms))
    if intake == "every_term":
        return _("All terms ({terms})", terms=listed)
    return _("Autumn ({terms})", terms=listed) if p == 0 else _("Spring ({terms})", terms=listed)


def limit_name(key: str) -> str:
    """A scenario limit by what it limits, not by its key in the file."""
    names = {
        "budget.max_cost": _("staffing budget"),
        "total_max": _("maximum total hours"),
        "hours.total_max": _("maximum total hours"),
        "hours.term_min": _("minimum hours per term"),
        "hours.term_max": _("maximum hours per term"),
        "modules_per_term.min": _("minimum modules per term"),
        "modules_per_term.max": _("maximum modules per term"),
        "instructors.max_used": _("maximum instructors used"),
        "training.budget": _("training budget"),
        "dual.max_company_hours": _("maximum company hours per period"),
    }
    return names.get(key, key)


def parameter_name(key: str) -> str:
    """A solver setting by what it does."""
    names = {
        "interleave_batch_size": _("searches per batch (interleaved search)"),
        "interleave_search": _("interleaved, reproducible search"),
        "max_deterministic_time": _("work limit per stage (deterministic seconds)"),
        "num_workers": _("parallel searches"),
        "random_seed": _("random seed"),
        "time_limit_seconds": _("time limit (seconds)"),
    }
    return names.get(key, key)


def parameter_value(key: str, value: str) -> str:
    """A solver setting's value in words: true/false as yes/no."""
    if value in ("True", "False"):
        return yes_no(value == "True")
    return value
