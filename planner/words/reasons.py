"""Reasons (blocked modules, gaps, broken rules, infeasibility) in the user's language.

The domain layer hands over `Reason(code, params)`; each code has one wording here, so an
uncoverable demand, say, reads the same in the CLI, the workbook and the plan file. A reason
inside another one (why a module is blocked) travels as a plain dict `{"code", "params"}`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

from planner.i18n import _, ngettext
from planner.model import per_week
from planner.reasons import Reason

Params = Mapping[str, Any]


def say(reason: Reason | Mapping[str, Any]) -> str:
    """One reason as a sentence (without a final period) in the current language."""
    if not isinstance(reason, Reason):
        reason = Reason(reason["code"], dict(reason.get("params", {})))
    wording = _WORDINGS.get(reason.code)
    if wording is None:
        raise KeyError(f"no wording for reason code '{reason.code}'")
    if reason.params.get("track") and reason.code in _ON_A_PATH:
        return _("{text} on the path of track {track}", text=wording(reason.params), track=reason.params["track"])
    return wording(reason.params)


# Broken rules that hold per student path when the scenario offers tracks.
_ON_A_PATH = {
    "term_hours_low",
    "term_hours_high",
    "term_modules_low",
    "term_modules_high",
    "total_hours_high",
    "sector_below_floor",
}


def listed(items: Iterable[object]) -> str:
    """Items as a list in running text: "1, 3, 5" in English, "1, 3 y 5" in Spanish."""
    words = [str(item) for item in items]
    if len(words) < 2:
        return "".join(words)
    # TRANSLATORS: joins the last item of a list to the ones before it ("1, 3" + "5").
    return _("{head}, {last}", head=", ".join(words[:-1]), last=words[-1])


def period(data: Params) -> str:
    """A period as a campus says it: "the autumn period (terms 1, 3, 5)"."""
    terms = list(data["terms"])
    if data["intake"] == "single":
        return _("term {term}", term=terms[0])
    if data["intake"] == "every_term":
        return _("every period (terms {terms} run together)", terms=listed(terms))
    if data["season"] == 0:
        return ngettext(
            "the autumn period (term {terms})", "the autumn period (terms {terms})", len(terms), terms=listed(terms)
        )
    return ngettext(
        "the spring period (term {terms})", "the spring period (terms {terms})", len(terms), terms=listed(terms)
    )


def weekly(hours: int, weeks: int) -> str:
    """Contract hours as campuses state them: "12 h/week (216 h per term)"."""
    return _("{weekly} h/week ({hours} h per term)", weekly=per_week(hours, weeks), hours=hours)


def share(numerator: int, denominator: int) -> str:
    """A coverage floor as the user wrote it: a whole percent, else the exact fraction."""
    value = Fraction(numerator, denominator)
    percent = value * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{value.numerator}/{value.denominator} ({float(value):.2%})"


# --- why a candidate module can never be taken (Problem.blocked) --------------------------------


def _blocked_words() -> dict[str, Callable[[Params], str]]:
    return {
        "prerequisite_not_candidate": lambda p: _(
            "its prerequisite {prerequisite} is not a candidate", prerequisite=p["prerequisite"]
        ),
        "prerequisite_blocked": lambda p: _(
            "its prerequisite {prerequisite} cannot be taken", prerequisite=p["prerequisite"]
        ),
        "no_qualified_instructor": lambda p: _("no qualified instructor"),
        "track_not_candidate": lambda p: _(
            "it belongs to track {track}, which is not of the scenario's careers", track=p["track"]
        ),
        "too_few_qualified": lambda p: ngettext(
            "only {count} instructor of the roster can teach it; min_qualified is {needed}",
            "only {count} instructors of the roster can teach it; min_qualified is {needed}",
            p["count"],
            needed=p["needed"],
        ),
        "no_instructor_with_hours": lambda p: _("no qualified instructor has enough hours per term to teach it"),
        "lab_too_small": lambda p: ngettext(
            "lab {lab} has {capacity} h per term; its {groups} group needs {hours} h",
            "lab {lab} has {capacity} h per term; its {groups} groups need {hours} h",
            p["groups"],
            lab=p["lab"],
            capacity=p["capacity"],
            groups=p["groups"],
            hours=p["hours"],
        ),
    }


# --- why a demand is not covered (Gap.reason, and the infeasibility evidence) ------------------


def _uncoverable(p: Params) -> str:
    modules = p["modules"]
    whys = [say(m["why"]) for m in modules]
    if len(set(whys)) == 1:
        return ngettext(
            "skill {skill} at level {level} is taught only by {modules}, which cannot be taken ({why})",
            "skill {skill} at level {level} is taught only by {modules}, which cannot be taken ({why})",
            len(modules),
            skill=p["skill"],
            level=p["level"],
            modules=listed(m["module"] for m in modules),
            why=whys[0],
        )
    named = "; ".join(f"{m['module']} ({why})" for m, why in zip(modules, whys, strict=True))
    return _(
        "skill {skill} at level {level} is taught only by modules that cannot be taken: {named}",
        skill=p["skill"],
        level=p["level"],
        named=named,
    )


def _gap_words() -> dict[str, Callable[[Params], str]]:
    return {
        "not_taught": lambda p: _(
            "no module in the catalog teaches {skill} at level {level}", skill=p["skill"], level=p["level"]
        ),
        "no_candidate": lambda p: _(
            "skill {skill} at level {level} is taught by no candidate module ({modules} not candidates in this "
            "scenario)",
            skill=p["skill"],
            level=p["level"],
            modules=listed(p["modules"]),
        ),
        "uncoverable": _uncoverable,
        "total_hours_full": lambda p: _(
            "adding {module} ({hours} h) would exceed the maximum total hours, {limit} h (the plan uses {used} h)",
            module=p["module"],
            hours=p["hours"],
            limit=p["limit"],
            used=p["used"],
        ),
        "terms_full": lambda p: _(
            "adding {module} ({hours} h) would break the hour or module-count limit of terms {first}-{last}",
            module=p["module"],
            hours=p["hours"],
            first=p["first"],
            last=p["last"],
        ),
        "lab_full": lambda p: _(
            "lab {lab} ({name}) is full in {period}: adding {module} needs {need} h there, and {free} h of "
            "{capacity} are free",
            lab=p["lab"],
            name=p["name"],
            period=period(p["period"]),
            module=p["module"],
            need=p["need"],
            free=p["free"],
            capacity=p["capacity"],
        ),
        "instructor_full": lambda p: ngettext(
            "{instructor}, the least loaded instructor qualified for {module}, would teach {would} h/week in "
            "{period} with its {groups} group; the contract allows {allowed}",
            "{instructor}, the least loaded instructor qualified for {module}, would teach {would} h/week in "
            "{period} with its {groups} groups; the contract allows {allowed}",
            p["groups"],
            instructor=p["instructor"],
            module=p["module"],
            groups=p["groups"],
            period=period(p["period"]),
            would=per_week(p["would"], p["weeks"]),
            allowed=per_week(p["capacity"], p["weeks"]),
        ),
        "instructor_limit_reached": lambda p: _(
            "adding {module} would need more instructors than the maximum used, {limit}",
            module=p["module"],
            limit=p["limit"],
        ),
        "budget_reached": lambda p: _(
            "adding {module} would cost at least {extra} more in staff, and the plan already costs {cost} of "
            "the staffing budget, {budget}",
            module=p["module"],
            extra=p["extra"],
            cost=p["cost"],
            budget=p["budget"],
        ),
        "prerequisites_missing": lambda p: _(
            "adding {module} would also need its prerequisites {modules}, which are not in the plan",
            module=p["module"],
            modules=listed(p["modules"]),
        ),
        "objective_order": lambda p: _(
            "adding {module} ({hours} h) would worsen '{objective}', which comes first in the objective order",
            module=p["module"],
            hours=p["hours"],
            objective=p["objective"],
        ),
        "better_modules": lambda p: _(
            "adding {module} ({hours} h) would mean dropping modules that cover more within the same limits",
            module=p["module"],
            hours=p["hours"],
        ),
        "search_time": lambda p: _(
            "the search found no room for {module} ({hours} h) within the time limit",
            module=p["module"],
            hours=p["hours"],
        ),
    }


# --- rules a plan breaks (PlanResult.violations) ------------------------------------------------


def _violation_words() -> dict[str, Callable[[Params], str]]:
    return {
        "taken_twice": lambda p: _("module {module} is taken more than once", module=p["module"]),
        "not_candidate": lambda p: _("module {module} is not a candidate", module=p["module"]),
        "outside_window": lambda p: _(
            "module {module} is in term {term}, outside its window {first}-{last}",
            module=p["module"],
            term=p["term"],
            first=p["first"],
            last=p["last"],
        ),
        "wrong_sections": lambda p: _(
            "module {module} has {count} sections, not {needed}",
            module=p["module"],
            count=p["count"],
            needed=p["needed"],
        ),
        "instructor_without_roster": lambda p: _(
            "module {module} names an instructor but the catalog has none", module=p["module"]
        ),
        "unqualified_instructor": lambda p: _(
            "section {section} of {module} is taught by {instructor}, who is not qualified for it",
            section=p["section"],
            module=p["module"],
            instructor=p["instructor"],
        ),
        "required_missing": lambda p: _("required module {module} is not taken", module=p["module"]),
        "excluded_taken": lambda p: _("excluded module {module} is taken", module=p["module"]),
        "prerequisite_order": lambda p: _(
            "module {module} is not preceded by its prerequisite {prerequisite}",
            module=p["module"],
            prerequisite=p["prerequisite"],
        ),
        "term_hours_low": lambda p: _(
            "term {term} has {hours} h, below the minimum hours per term, {limit}",
            term=p["term"],
            hours=p["hours"],
            limit=p["limit"],
        ),
        "term_hours_high": lambda p: _(
            "term {term} has {hours} h, above the maximum hours per term, {limit}",
            term=p["term"],
            hours=p["hours"],
            limit=p["limit"],
        ),
        "term_modules_low": lambda p: _(
            "term {term} has {count} modules, below the minimum modules per term, {limit}",
            term=p["term"],
            count=p["count"],
            limit=p["limit"],
        ),
        "term_modules_high": lambda p: _(
            "term {term} has {count} modules, above the maximum modules per term, {limit}",
            term=p["term"],
            count=p["count"],
            limit=p["limit"],
        ),
        "total_hours_high": lambda p: _(
            "the plan has {hours} h, above the maximum total hours, {limit}", hours=p["hours"], limit=p["limit"]
        ),
        "instructors_high": lambda p: _(
            "{count} instructors teach, above the maximum of instructors used, {limit}",
            count=p["count"],
            limit=p["limit"],
        ),
        "cost_high": lambda p: _(
            "the plan's staffing cost {cost} is above the staffing budget, {limit}", cost=p["cost"], limit=p["limit"]
        ),
        "instructor_over": lambda p: _(
            "instructor {instructor} teaches {hours} h in {period}, above {limit}",
            instructor=p["instructor"],
            hours=p["hours"],
            period=period(p["period"]),
            limit=p["limit"],
        ),
        "instructor_under": lambda p: _(
            "instructor {instructor} teaches {hours} h in {period}, below {limit}",
            instructor=p["instructor"],
            hours=p["hours"],
            period=period(p["period"]),
            limit=p["limit"],
        ),
        "lab_over": lambda p: _(
            "lab {lab} is used {hours} h in {period}, above {limit}",
            lab=p["lab"],
            hours=p["hours"],
            period=period(p["period"]),
            limit=p["limit"],
        ),
        "company_hours_over": lambda p: _(
            "the partner companies give {hours} h in {period}, above dual.max_company_hours {limit}",
            hours=p["hours"],
            period=period(p["period"]),
            limit=p["limit"],
        ),
        "sector_below_floor": lambda p: _(
            "sector {sector} coverage {covered}/{total} is below {floor}",
            sector=p["sector"],
            covered=p["covered"],
            total=p["total"],
            floor=share(*p["floor"]),
        ),
        "track_module_not_candidate": lambda p: _(
            "track {track} can never be offered: its module {module} is not a candidate of the scenario",
            track=p["track"],
            module=p["module"],
        ),
        "track_module_blocked": lambda p: _(
            "track {track} can never be offered: its module {module} cannot be taken, since {why}",
            track=p["track"],
            module=p["module"],
            why=say(p["why"]),
        ),
        "track_not_offered": lambda p: _(
            "{module} belongs to track {track}, which the plan does not offer (tracks.offer = {offer}: {offered})",
            module=p["module"],
            track=p["track"],
            offer=p["offer"],
            offered=listed(p["offered"]),
        ),
        "tracks_offered_wrong": lambda p: _(
            "the plan offers {count} tracks ({tracks}), but tracks.offer is {offer}",
            count=p["count"],
            tracks=listed(p["tracks"]) or "-",
            offer=p["offer"],
        ),
        "track_incomplete": lambda p: _(
            "track {track} is offered without its modules {modules}", track=p["track"], modules=listed(p["modules"])
        ),
        "track_not_candidate_offered": lambda p: _(
            "track {track} is offered, but it is not of the scenario's careers", track=p["track"]
        ),
    }


# --- the requirements an infeasible scenario cannot meet together (explain.py) -----------------


def _requirement_words() -> dict[str, Callable[[Params], str]]:
    def in_terms(text: str, terms: list[int]) -> str:
        return ngettext(
            "{requirement} in term {terms}",
            "{requirement} in terms {terms}",
            len(terms),
            requirement=text,
            terms=listed(sorted(terms)),
        )

    return {
        "no_plan_unisolated": lambda p: _(
            "No plan satisfies this scenario (proven), but the conflicting requirements could not be isolated "
            "within the time limit; raise --time-limit to get them named."
        ),
        "no_plan_one": lambda p: _(
            "No plan satisfies this scenario. This requirement cannot be met, whatever else is relaxed:"
        ),
        "no_plan_together": lambda p: (
            _(
                "No plan satisfies this scenario. These requirements cannot all hold together (drop any one of them "
                "and the rest can):"
            )
            if p["minimal"]
            else _("No plan satisfies this scenario. These requirements cannot all hold together:")
        ),
        "required_module": lambda p: _(
            "required module {module} ({hours} h, terms {first}-{last})",
            module=p["module"],
            hours=p["hours"],
            first=p["first"],
            last=p["last"],
        ),
        "term_min": lambda p: in_terms(_("hours.term_min = {hours} h", hours=p["hours"]), p["terms"]),
        "term_max": lambda p: in_terms(_("hours.term_max = {hours} h", hours=p["hours"]), p["terms"]),
        "modules_min": lambda p: in_terms(_("modules_per_term.min = {count}", count=p["count"]), p["terms"]),
        "modules_max": lambda p: in_terms(_("modules_per_term.max = {count}", count=p["count"]), p["terms"]),
        "total_max": lambda p: _("hours.total_max = {hours} h", hours=p["hours"]),
        "max_used": lambda p: _("instructors.max_used = {limit}", limit=p["limit"]),
        "max_cost": lambda p: _("budget.max_cost = {budget}", budget=p["budget"]),
        "instructor_floor": lambda p: _(
            "contract floor of instructor {instructor}: at least {hours} in {period} when teaching",
            instructor=p["instructor"],
            hours=weekly(p["hours"], p["weeks"]),
            period=period(p["period"]),
        ),
        "instructor_capacity": lambda p: _(
            "contract of instructor {instructor}: at most {hours} in {period}",
            instructor=p["instructor"],
            hours=weekly(p["hours"], p["weeks"]),
            period=period(p["period"]),
        ),
        "lab_capacity": lambda p: _(
            "lab {lab} ({name}): at most {hours} h in {period}",
            lab=p["lab"],
            name=p["name"],
            hours=p["hours"],
            period=period(p["period"]),
        ),
        "instructor_commitment": lambda p: _(
            "instructor {instructor} already teaches {hours} h in {period} for the campus's other careers",
            instructor=p["instructor"],
            hours=p["hours"],
            period=period(p["period"]),
        ),
        "sections": lambda p: _("{groups} groups in term {term} (sections)", groups=p["groups"], term=p["term"]),
        "max_company_hours": lambda p: _(
            "dual.max_company_hours = {hours} h in {period}", hours=p["hours"], period=period(p["period"])
        ),
        "coverage_floor": lambda p: _(
            "sector {sector} needs min_coverage {floor} of its demand importance",
            sector=p["sector"],
            floor=share(*p["floor"]),
        ),
        "tracks_offer": lambda p: _(
            "tracks.offer = {offer}: exactly this many of the tracks {tracks} are offered",
            offer=p["offer"],
            tracks=listed(p["tracks"]),
        ),
        "never_taken": lambda p: _("it can never be taken, since {why}", why=say(p["why"])),
        "coverage_unreachable": lambda p: _(
            "at most {reachable}/{total} ({percent}) is reachable, since these demands cannot be covered:",
            reachable=p["reachable"],
            total=p["total"],
            percent=f"{p['reachable'] / p['total']:.0%}",
        ),
        "more_uncoverable": lambda p: _("... and {count} more (see planner validate --scenario)", count=p["count"]),
    }


def _decision_words() -> dict[str, Callable[[Params], str]]:
    """Review decisions: as requirements of an infeasible set, and as rules a plan breaks."""
    from planner.words import review

    def requirement(p: Params) -> str:
        if p.get("track"):
            return _(
                "decision on sheet {sheet} row {row}: {decision} track {track}",
                sheet=p["sheet"],
                row=p["row"],
                decision=_("lock") if p["decision"] == "lock" else _("drop"),
                track=p["track"],
            )
        if p["decision"] == "drop":
            return _(
                "decision on sheet {sheet} row {row}: drop {module}", sheet=p["sheet"], row=p["row"], module=p["module"]
            )
        if p.get("instructor"):
            return _(
                "decision on sheet {sheet} row {row}: lock {module} in term {term} taught by {instructor}",
                sheet=p["sheet"],
                row=p["row"],
                module=p["module"],
                term=p["term"],
                instructor=p["instructor"],
            )
        return _(
            "decision on sheet {sheet} row {row}: lock {module} in term {term}",
            sheet=p["sheet"],
            row=p["row"],
            module=p["module"],
            term=p["term"],
        )

    broken = {
        code: (lambda p, code=code: review.decision_broken(Reason(code, dict(p))))
        for code in ("decision_drop_broken", "decision_lock_broken", "decision_instructor_broken")
    }
    tracks = {
        "decision_track_lock_broken": lambda p: _(
            "sheet {sheet} row {row} locks track {track_id}, but the plan does not take all its modules", **p
        ),
        "decision_track_drop_broken": lambda p: _(
            "sheet {sheet} row {row} drops track {track_id}, but the plan takes one of its modules", **p
        ),
    }
    return {"decision": requirement, **broken, **tracks}


def _training_words() -> dict[str, Callable[[Params], str]]:
    return {
        "needs_training": lambda p: _(
            "{module} needs training (training.csv) that this plan does not buy", module=p["module"]
        ),
        "training_not_offered": lambda p: _(
            "training of {instructor} for {module} is not offered at cost {cost}",
            instructor=p["instructor"],
            module=p["module"],
            cost=p["cost"],
        ),
        "too_few_qualified_taken": lambda p: _(
            "module {module} has fewer than min_qualified {needed} qualified instructors",
            module=p["module"],
            needed=p["needed"],
        ),
        "training_over_budget": lambda p: _(
            "training bought costs {spent}, above training.budget {budget}", spent=p["spent"], budget=p["budget"]
        ),
        "excluded_module": lambda p: _("excluded module {module}", module=p["module"]),
        "training_budget": lambda p: _("training.budget = {budget}", budget=p["budget"]),
    }


_WORDINGS: dict[str, Callable[[Params], str]] = {
    **_training_words(),
    **_decision_words(),
    **_blocked_words(),
    **_gap_words(),
    **_violation_words(),
    **_requirement_words(),
}
