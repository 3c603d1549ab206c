"""The national rollout in words: why a campus was not planned, and the campus statuses."""

from __future__ import annotations

from planner.errors import InfeasibleError, InputError, NoPlanFoundError, PlannerError
from planner.i18n import _
from planner.words.conflicts import infeasibility


def failure(error: PlannerError) -> str:
    """One campus's failure as one line of text: its kind, then the details the error carries."""
    if isinstance(error, InputError):
        return _("invalid input: {details}", details="; ".join(str(issue) for issue in error.issues))
    if isinstance(error, InfeasibleError):
        return _("infeasible: {details}", details=" ".join(line.strip() for line in infeasibility(error)))
    if isinstance(error, NoPlanFoundError):
        return _("no plan found within the time limit: {details}", details=str(error))
    return str(error)


def status_word(status: str) -> str:
    """planned | skipped | failed, as the workbook and the summary show it."""
    words = {
        "planned": _("planned"),
        "skipped": _("current (skipped)"),
        "failed": _("not planned"),
    }
    return words.get(status, status)
