"""Words of the review round trip and of the compare workbook, in the user's language."""

from __future__ import annotations

from planner.changes import ADDED, INSTRUCTOR, MOVED, REMOVED
from planner.i18n import _, ngettext
from planner.reasons import Reason


def decision_header() -> str:
    return _("Decision")


def decision_values() -> tuple[str, str]:
    """The drop-down's words: lock, drop (Spanish: fijar, quitar)."""
    return _("lock"), _("drop")


def decision_prompt() -> str:
    lock, drop = decision_values()
    return _(
        "{lock}: keep this module in this row's term (and teacher, if named). {drop}: take the module out. "
        "Then run planner plan SCENARIO --review with this file.",
        lock=lock,
        drop=drop,
    )


def decision_error() -> str:
    lock, drop = decision_values()
    return _("Choose {lock} or {drop}, or leave the cell empty.", lock=lock, drop=drop)


def changes_title() -> str:
    return _("Changes")


def changes_heading(file: str) -> str:
    return _("Changes against the reviewed workbook {file}", file=file)


def changes_summary(changes: int, decisions: int) -> str:
    return ngettext(
        "{count} change against the reviewed plan; every one of its {decisions} decisions holds.",
        "{count} changes against the reviewed plan; every one of its {decisions} decisions holds.",
        changes,
        decisions=decisions,
    )


def changes_headers() -> tuple[str, ...]:
    return (
        _("Change"),
        _("Module ID"),
        _("Module"),
        _("Term before"),
        _("Term now"),
        _("Instructor before"),
        _("Instructor now"),
        _("Reason"),
    )


def change_kind(kind: str) -> str:
    return {
        ADDED: _("module added"),
        REMOVED: _("module removed"),
        MOVED: _("module moved"),
        INSTRUCTOR: _("section changed instructor"),
    }[kind]


def change_reason(reason: Reason) -> str:
    if reason.code == "decision":
        rows = ", ".join(str(r) for r in reason.params["rows"])
        return ngettext(
            "decision on sheet {sheet}, row {rows}",
            "decision on sheet {sheet}, rows {rows}",
            len(reason.params["rows"]),
            sheet=reason.params["sheet"],
            rows=rows,
        )
    return _("re-optimised")


def no_changes() -> str:
    return _("The new plan is the reviewed plan: nothing changed.")


def decision_broken(reason: Reason) -> str:
    """A decision the plan breaks (the rule check), naming the row."""
    p = reason.params
    if reason.code == "decision_drop_broken":
        return _(
            "sheet {sheet} row {row}: {module} is dropped there but taken",
            sheet=p["sheet"],
            row=p["row"],
            module=p["module_id"],
        )
    if reason.code == "decision_lock_broken":
        return _(
            "sheet {sheet} row {row}: {module} is locked in term {term} but is not there",
            sheet=p["sheet"],
            row=p["row"],
            module=p["module_id"],
            term=p["term"],
        )
    return _(
        "sheet {sheet} row {row}: {instructor} does not teach the sections of {module} locked to them",
        sheet=p["sheet"],
        row=p["row"],
        module=p["module_id"],
        instructor=p["instructor_id"],
    )


# --- the compare workbook ---------------------------------------------------------------------


def compare_title() -> str:
    return _("Comparison")


def compare_heading(count: int) -> str:
    return ngettext("{count} plan side by side", "{count} plans side by side", count)


def different_scenarios() -> str:
    return _("These plans come from different scenarios: their figures answer different questions.")


def different_catalogs() -> str:
    return _("These plans were made with different catalogs (catalog fingerprints differ).")


def plans_headers() -> tuple[str, ...]:
    return (_("Plan file"), _("Scenario"), _("Plan status"), _("Catalog fingerprint"))


def objective_header() -> str:
    return _("Objective")


def objective_name(name: str) -> str:
    return {
        "coverage": _("coverage score"),
        "hours": _("total hours"),
        "balance": _("largest term (hours)"),
        "cost": _("staffing cost"),
        "changes": _("changes against the review"),
    }.get(name, name)


def coverage_title() -> str:
    return _("Coverage by sector")


def coverage_axis() -> str:
    return _("share of importance")


def sector_header() -> str:
    return _("Sector ID")


def modules_title() -> str:
    return _("Modules")


def module_header() -> str:
    return _("Module ID")


def module_name_header() -> str:
    return _("Module")


def instructor_name_header() -> str:
    return _("Instructor")


def against_first(name: str) -> str:
    return _("{plan} against the first", plan=name)


def compare_kind(first: int | None, term: int | None) -> str | None:
    if first == term:
        return None
    if first is None:
        return _("added")
    if term is None:
        return _("removed")
    return _("moved from term {before} to {after}", before=first, after=term)


def no_modules() -> str:
    return _("No plan takes any module.")


def loads_title() -> str:
    return _("Instructor loads")


def instructor_header() -> str:
    return _("Instructor ID")


def period_header() -> str:
    return _("Period")


def period_label(n: int) -> str:
    return _("period {number}", number=n)


def no_loads() -> str:
    return _("No plan names an instructor.")
