"""The Summary's plain sentences: how much of each sector's needs the plan covers, and why the rest stays open."""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

from planner.gaps import Gap
from planner.i18n import _, ngettext
from planner.result import PlanResult, SectorCoverage

# The order causes are listed in: from the catalog's limits to the plan's choices.
CAUSES = (
    "no_module",
    "not_candidate",
    "no_instructor",
    "blocked",
    "hour_limits",
    "lab_full",
    "instructor_hours",
    "staff_or_budget",
    "prerequisites",
    "track_not_offered",
    "trade_off",
)


# Gap reason codes (planner.result) by the cause an administrator acts on.
_CAUSE_OF_CODE = {
    "not_taught": "no_module",
    "no_candidate": "not_candidate",
    "total_hours_full": "hour_limits",
    "terms_full": "hour_limits",
    "lab_full": "lab_full",
    "instructor_full": "instructor_hours",
    "instructor_limit_reached": "staff_or_budget",
    "budget_reached": "staff_or_budget",
    "prerequisites_missing": "prerequisites",
    "track_not_offered": "track_not_offered",
}
_NO_TEACHER = {"no_qualified_instructor", "too_few_qualified", "no_instructor_with_hours"}


def gap_cause(gap: Gap) -> str:
    """The cause of a gap, one of CAUSES, from its reason's code."""
    code = gap.reason.code
    if code == "uncoverable":  # every covering module is blocked: by staffing, or by something else
        whys = {m["why"]["code"] for m in gap.reason.params["modules"]}
        return "no_instructor" if whys & _NO_TEACHER else "blocked"
    return _CAUSE_OF_CODE.get(code, "trade_off")


def cause_sentence(cause: str, count: int) -> str:
    """How many open needs a cause explains, as one line under its sector's sentence."""
    if cause == "no_module":
        return _("{count} because no module of the catalog teaches the skill at the level needed.", count=count)
    if cause == "not_candidate":
        return _("{count} because the modules that teach it are not candidates in this scenario.", count=count)
    if cause == "no_instructor":
        return _("{count} because no instructor can teach the module.", count=count)
    if cause == "blocked":
        return _("{count} because the module cannot be taken (a prerequisite is missing).", count=count)
    if cause == "hour_limits":
        return _("{count} because adding the module would break a limit on hours or modules.", count=count)
    if cause == "lab_full":
        return _("{count} because the lab the module needs is full.", count=count)
    if cause == "instructor_hours":
        return _("{count} because the instructors who can teach the module have no hours left.", count=count)
    if cause == "staff_or_budget":
        return _("{count} because adding the module would break the instructor limit or the budget.", count=count)
    if cause == "prerequisites":
        return _("{count} because the module's prerequisites are not in the plan.", count=count)
    if cause == "track_not_offered":
        return _("{count} because the module's track (trayecto) is not among those offered.", count=count)
    return _("{count} because the objectives' order gave priority to other modules.", count=count)


def coverage_sentences(result: PlanResult) -> list[tuple[str, str]]:
    """Per sector: what share of its needs is covered, how many stay open and why.

    Each line comes with its kind: "sentence", "cause" (indented under its sector) or "alert".
    """
    gaps_by_sector: dict[str, list[Gap]] = {}
    for gap in result.gaps:
        gaps_by_sector.setdefault(gap.demand.sector_id, []).append(gap)
    lines: list[tuple[str, str]] = []
    for sector in result.sector_coverage:
        gaps = gaps_by_sector.get(sector.sector_id, [])
        lines.append((_sector_sentence(sector, len(gaps)), "sentence"))
        causes = Counter(gap_cause(gap) for gap in gaps)
        lines.extend((cause_sentence(cause, causes[cause]), "cause") for cause in CAUSES if causes[cause])
        if not sector.met:
            goal = _percent(sector.min_coverage)
            text = _("The goal for the {sector} sector is {goal}%, so it is not met.", sector=sector.name, goal=goal)
            lines.append((text, "alert"))
    return lines


def _sector_sentence(sector: SectorCoverage, open_needs: int) -> str:
    if sector.total_importance == 0:
        return _("The {sector} sector states no needs.", sector=sector.name)
    percent = _percent(sector.ratio)
    if open_needs == 0:
        return _(
            "{percent}% of what the {sector} sector needs is covered; no need remains open.",
            percent=percent,
            sector=sector.name,
        )
    return ngettext(
        "{percent}% of what the {sector} sector needs is covered; {count} need remains open.",
        "{percent}% of what the {sector} sector needs is covered; {count} needs remain open.",
        open_needs,
        percent=percent,
        sector=sector.name,
    )


def _percent(share: Fraction) -> int:
    """A whole percentage, rounded down: a plan with open needs never reads as 100 %."""
    return math.floor(share * 100)
