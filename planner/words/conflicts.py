"""Conflicts of an infeasible scenario, their relaxations and the limits that bind a plan, in words."""

from __future__ import annotations

from typing import Any

from planner.conflicts import Conflict
from planner.errors import InfeasibleError
from planner.i18n import _, ngettext
from planner.words.reasons import say


def infeasibility(error: InfeasibleError) -> list[str]:
    """The explanation of an infeasible scenario: each conflict, its requirements and its fix."""
    return conflict_lines(error.found, error.complete)


def conflict_lines(found: tuple[Conflict, ...], complete: bool) -> list[str]:
    """The whole report: a heading, each conflict with its requirements and its relaxation."""
    if not found:
        return [
            _("No plan satisfies this scenario (proven)."),
            _("The conflicting requirements could not be isolated within the time limit; raise --time-limit."),
        ]
    lines = [
        ngettext(
            "No plan satisfies this scenario: {count} conflict.",
            "No plan satisfies this scenario: {count} conflicts that share no requirement.",
            len(found),
        )
    ]
    for number, conflict in enumerate(found, start=1):
        if len(conflict.requirements) == 1:
            lines.append(_("Conflict {number}: this requirement cannot be met as it stands:", number=number))
        elif conflict.minimal:
            lines.append(
                _("Conflict {number}: these requirements cannot all hold together (any fewer can):", number=number)
            )
        else:
            lines.append(_("Conflict {number}: these requirements cannot all hold together:", number=number))
        described = conflict.described or (None,) * len(conflict.requirements)
        for key, facts, what in zip(conflict.requirements, conflict.facts, described, strict=True):
            lines.append("  - " + (say(what) if what is not None else requirement_text(key.as_dict(), facts)))
        lines.extend(f"      {say(reason)}" for reason in conflict.evidence)
        lines.append("    " + relaxation_text(conflict.relaxation))
        lines.extend("    " + alternative_text(other) for other in conflict.alternatives)
    if not complete:
        lines.append(_("There may be more conflicts: the search stopped at the limit of five or of time."))
    return lines


def requirement_text(req: dict[str, Any], facts: dict[str, Any]) -> str:
    """One requirement, from its kind, identifying fields and figures."""
    kind = req["kind"]
    p = {**req, **facts}
    texts = {
        "required_module": lambda: _("required module {module_id} ({hours} h, terms {first}-{last})", **p),
        "excluded_module": lambda: _("excluded module {module_id}", **p),
        "term_min": lambda: _("hours.term_min = {limit} h in term {term}", **p),
        "term_max": lambda: _("hours.term_max = {limit} h in term {term}", **p),
        "total_max": lambda: _("hours.total_max = {limit} h", **p),
        "modules_per_term_min": lambda: _("modules_per_term.min = {limit} in term {term}", **p),
        "modules_per_term_max": lambda: _("modules_per_term.max = {limit} in term {term}", **p),
        "min_coverage": lambda: _(
            "sector {sector_id} needs min_coverage {share} of its demand importance",
            sector_id=p["sector_id"],
            share=_percent(p.get("limit", 0)),
        ),
        "max_used": lambda: _("instructors.max_used = {limit}", **p),
        "max_cost": lambda: _("budget.max_cost = {limit}", **p),
        "training_budget": lambda: _("training.budget = {limit}", **p),
        "instructor_capacity": lambda: _(
            "contract of instructor {instructor_id}: at most {limit} h per term in period {period} (terms {terms})",
            **(p | {"terms": _listed(p.get("terms", ()))}),
        ),
        "instructor_floor": lambda: _(
            "contract floor of instructor {instructor_id}: at least {limit} h per term in period {period} "
            "(terms {terms}) when teaching",
            **(p | {"terms": _listed(p.get("terms", ()))}),
        ),
        "lab_capacity": lambda: _(
            "lab {lab_id}: at most {limit} h in period {period} (terms {terms})",
            **(p | {"terms": _listed(p.get("terms", ()))}),
        ),
        "instructor_commitment": lambda: _(
            "instructor {instructor_id} already teaches {limit} h in period {period} (terms {terms}) for the "
            "campus's other careers",
            **(p | {"terms": _listed(p.get("terms", ()))}),
        ),
        "sections": lambda: _("sections = {limit} groups in term {term}", **p),
        "tracks_offer": lambda: _("tracks.offer = {limit}: exactly this many tracks offered", **p),
        "max_company_hours": lambda: _(
            "dual.max_company_hours = {limit} h in period {period} (terms {terms})",
            **(p | {"terms": _listed(p.get("terms", ()))}),
        ),
        "decision": lambda: _("decision on sheet {sheet} row {row}", sheet=p["sheet"], row=p["row"]),
    }
    if kind in texts:
        return texts[kind]()
    fields = ", ".join(f"{k} {v}" for k, v in req.items() if k != "kind")
    return _("requirement {kind} ({fields})", kind=kind, fields=fields)


def relaxation_text(relaxation: dict[str, Any] | None) -> str:
    """The one change that removes the conflict, verified by re-solving."""
    if relaxation is None:
        return _("No single change was found within the time limit to remove this conflict.")
    what = _number_name(relaxation)
    if relaxation.get("drop"):
        return _("Fix: drop {what} (verified by solving again).", what=what)
    old, new = relaxation["from"], relaxation["to"]
    if _greater(new, old):
        return _(
            "Fix: raise {what} from {old} to {new}, the smallest change that removes it (verified by solving again).",
            what=what,
            old=old,
            new=new,
        )
    return _(
        "Fix: lower {what} from {old} to {new}, the smallest change that removes it (verified by solving again).",
        what=what,
        old=old,
        new=new,
    )


def alternative_text(relaxation: dict[str, Any]) -> str:
    """Another change that also removes the conflict (verified), for the designer to weigh."""
    what, old, new = _number_name(relaxation), relaxation["from"], relaxation["to"]
    if _greater(new, old):
        return _("Or: raise {what} from {old} to {new} (also verified).", what=what, old=old, new=new)
    return _("Or: lower {what} from {old} to {new} (also verified).", what=what, old=old, new=new)


def _greater(a: Any, b: Any) -> bool:
    return bool(a > b)


def _number_name(r: dict[str, Any]) -> str:
    names = {
        "required_module": lambda: _("the requirement of module {module_id}", **r),
        "excluded_module": lambda: _("the exclusion of module {module_id}", **r),
        "term_min": lambda: "hours.term_min",
        "term_max": lambda: "hours.term_max",
        "total_max": lambda: "hours.total_max",
        "modules_per_term_min": lambda: "modules_per_term.min",
        "modules_per_term_max": lambda: "modules_per_term.max",
        "min_coverage": lambda: _("min_coverage of sector {sector_id}", **r),
        "max_used": lambda: "instructors.max_used",
        "max_cost": lambda: "budget.max_cost",
        "training_budget": lambda: "training.budget",
        "instructor_capacity": lambda: _("max_hours_per_term of instructor {instructor_id}", **r),
        "instructor_floor": lambda: _("min_hours_per_term of instructor {instructor_id}", **r),
        "lab_capacity": lambda: _("max_hours_per_term of lab {lab_id}", **r),
        "instructor_commitment": lambda: _(
            "the committed hours of instructor {instructor_id} in period {period} (commitments.csv)", **r
        ),
        "sections": lambda: _("the groups of term {term} (sections)", **r),
        "max_company_hours": lambda: "dual.max_company_hours",
        "tracks_offer": lambda: "tracks.offer",
        "decision": lambda: _("the decision on sheet {sheet} row {row}", sheet=r["sheet"], row=r["row"]),
    }
    if r["kind"] in names:
        return names[r["kind"]]()
    return _("requirement {kind}", kind=r["kind"])


def binding_lines(found: list[Any], complete: bool) -> list[str]:
    """What binds a feasible plan: each limit, one step looser, and the coverage it buys."""
    if not found:
        lines = [_("No single limit, relaxed by one step, raises the best coverage score.")]
    else:
        lines = [_("Limits that bind the plan (relaxed by one step, the best coverage score rises):")]
        for b in found:
            lines.append(
                "  - "
                + _(
                    "{what}: from {old} to {new} raises coverage by {gain}",
                    what=_number_name(b.limit),
                    old=b.current,
                    new=b.relaxed,
                    gain=b.gain,
                )
                + ("" if b.proven else " " + _("(at least; not proven optimal)"))
            )
    if not complete:
        lines.append(_("The time limit passed before every limit was tried; raise --time-limit for the rest."))
    return lines


def _listed(terms: Any) -> str:
    return ", ".join(str(t) for t in terms)


def _percent(value: float) -> str:
    return f"{value:.0%}"
