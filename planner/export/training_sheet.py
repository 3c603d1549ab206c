"""The Training sheet: each bought qualification ranked by the coverage it adds, and the best
offers just beyond the budget.

"Coverage it adds" is computed on the plan, without re-solving: remove the bought qualification,
drop the modules whose sections it staffs (and, transitively, the modules that need those as
prerequisites), and recompute the plan's coverage score. That is what this plan, the one the
designer defends, loses without the training; a re-solve would instead answer a different
question (the best other plan) and would need the solver in the export layer. Offers not bought
are ranked by the coverage their module could add at most: the weighted demands it covers that the
plan leaves uncovered (an upper bound, since hour limits may not leave room for it).
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from planner.export import styles
from planner.export.cells import write_line, write_table
from planner.i18n import _
from planner.model import Training
from planner.result import PlanResult


def training_sheet(ws: Worksheet, result: PlanResult) -> None:
    ws.title = _("Training")
    budget = result.problem.scenario.training_budget
    spent = sum(t.cost for t in result.training)
    row = write_line(ws, 1, _("Training that buys coverage"), styles.TITLE)
    ws.freeze_panes = "A2"
    row = write_line(ws, row, _("Budget ${budget:,}; spent ${spent:,}.", budget=budget, spent=spent))
    row = write_line(ws, row, _("Bought, ranked by the coverage score the plan loses without it:"))
    bought = sorted(((coverage_added(result, t), t) for t in result.training), key=lambda x: (-x[0], x[1].cost))
    headers = [*_offer_headers(), _("Coverage added")]
    rows = [[*_offer_row(result, t), gain] for gain, t in bought]
    formats = {_("Cost"): styles.MONEY, _("Coverage added"): styles.COUNT}
    row = write_table(ws, row, 1, headers, rows, "TrainingBought", formats, _("None bought.")) + 1
    row = write_line(
        ws,
        row,
        _(
            "Just beyond the budget: offers costing more than what is left, "
            "by the coverage their module could add at most:"
        ),
    )
    beyond = beyond_budget(result)
    headers = [*_offer_headers(), _("Coverage it could add")]
    rows = [[*_offer_row(result, t), gain] for gain, t in beyond]
    formats = {_("Cost"): styles.MONEY, _("Coverage it could add"): styles.COUNT}
    none_text = _("No offer beyond the budget would add coverage.")
    write_table(ws, row, 1, headers, rows, "TrainingBeyond", formats, none_text)


def _offer_headers() -> list[str]:
    return [_("Instructor ID"), _("Instructor"), _("Module ID"), _("Module"), _("Cost")]


def _offer_row(result: PlanResult, offer: Training) -> list[object]:
    """An offer with the teacher's and the module's names beside their ids."""
    catalog = result.problem.catalog
    instructor = catalog.instructor_by_id.get(offer.instructor_id)
    module = catalog.module_by_id.get(offer.module_id)
    return [
        offer.instructor_id,
        instructor.name if instructor else None,
        offer.module_id,
        module.name if module else None,
        offer.cost,
    ]


def coverage_added(result: PlanResult, bought: Training) -> int:
    """The plan's coverage score minus its score without the modules this training staffs."""
    problem = result.problem
    lost = {
        p.module_id
        for p in result.placements
        if p.module_id == bought.module_id and bought.instructor_id in p.instructors
    }
    changed = True
    while changed:  # a module whose prerequisite is lost is lost too
        changed = False
        for m, q in problem.prerequisites:
            mid, qid = problem.candidates[m].module_id, problem.candidates[q].module_id
            if qid in lost and mid in result.taken and mid not in lost:
                lost.add(mid)
                changed = True
    return result.objectives["coverage"] - score_of(result, set(result.taken) - lost)


def beyond_budget(result: PlanResult, shown: int = 10) -> list[tuple[int, Training]]:
    """Offers not bought whose cost exceeds the budget left, by the coverage their module could add."""
    problem = result.problem
    left = problem.scenario.training_budget - sum(t.cost for t in result.training)
    roster = {i.instructor_id for i in problem.instructors}
    qualified = {(q.instructor_id, q.module_id) for q in problem.catalog.qualifications}
    taken = set(result.taken)
    base = result.objectives["coverage"]
    ranked = [
        (score_of(result, taken | {t.module_id}) - base, t)
        for t in problem.catalog.training
        if t.cost > left
        and t not in result.training
        and t.instructor_id in roster
        and (t.instructor_id, t.module_id) not in qualified
        and t.module_id in problem.index_of
    ]
    ranked = [(gain, t) for gain, t in ranked if gain > 0]
    ranked.sort(key=lambda x: (-x[0], x[1].cost, x[1].instructor_id, x[1].module_id))
    return ranked[:shown]


def score_of(result: PlanResult, modules: set[str]) -> int:
    """The coverage score (weight x importance of covered demands) of a set of modules."""
    index = result.problem.index_of
    taken = {index[m] for m in modules if m in index}
    return sum(row.weight for row in result.problem.demand_rows if taken.intersection(row.covering))
