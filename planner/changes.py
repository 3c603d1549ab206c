"""What a plan changed against the reviewed plan, and the decisions it must keep, as data.

`plan_changes` lists each module added, removed or moved, and each section that changed
instructor, with its reason (a decision row, or re-optimised), one row per unit of the `changes`
objective; `decision_violations` is the independent check that every
decision holds. Standard library only; words live in planner/words/review.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from planner.reasons import Reason
from planner.review_plan import DROP, LOCK, Review, ReviewRow

ADDED = "added"
REMOVED = "removed"
MOVED = "moved"
INSTRUCTOR = "instructor"


@dataclass(frozen=True)
class Change:
    """One change against the reviewed plan: `kind` is added, removed, moved or instructor."""

    kind: str
    module_id: str
    term_before: int | None
    term_now: int | None
    instructor_before: str | None = None
    instructor_now: str | None = None
    reason: Reason = Reason("reoptimised")


def plan_changes(
    review: Review | None, terms: dict[str, int], teachers: dict[str, tuple[str | None, ...]]
) -> list[Change]:
    """The changes from the reviewed plan to a plan given as module -> term and module -> the
    instructor of each section. Empty without a review."""
    if review is None:
        return []
    out: list[Change] = []
    before = review.terms
    for module_id in sorted(set(before) | set(terms)):
        was, now = before.get(module_id), terms.get(module_id)
        if was == now:
            out.extend(_instructor_changes(review, module_id, now, teachers.get(module_id, ())))
            continue
        kind = ADDED if was is None else REMOVED if now is None else MOVED
        out.append(Change(kind, module_id, was, now, reason=_module_reason(review, module_id, kind)))
        if kind == MOVED:
            out.extend(_instructor_changes(review, module_id, now, teachers.get(module_id, ())))
    return out


def _module_reason(review: Review, module_id: str, kind: str) -> Reason:
    wanted = DROP if kind == REMOVED else LOCK
    rows = [r.row for r in review.decisions if r.module_id == module_id and r.decision == wanted]
    return Reason("decision", {"sheet": review.sheet, "rows": rows}) if rows else Reason("reoptimised")


def _instructor_changes(review: Review, module_id: str, term: int | None, now: Iterable[str | None]) -> list[Change]:
    """Sections the reviewed plan gave an instructor and this plan does not, each paired with an
    instructor this plan gives a section the reviewed plan did not (None when there is none)."""
    reviewed = Counter({k: n for (m, k), n in review.sections.items() if m == module_id})
    current = Counter(k for k in now if k)
    lost = sorted((reviewed - current).elements())
    gained = sorted((current - reviewed).elements())
    out = []
    for n, who in enumerate(lost):
        new = gained[n] if n < len(gained) else None
        rows = [
            r.row
            for r in review.decisions
            if r.module_id == module_id and r.decision == LOCK and r.instructor_id == new
        ]
        reason = Reason("decision", {"sheet": review.sheet, "rows": rows}) if new and rows else Reason("reoptimised")
        out.append(Change(INSTRUCTOR, module_id, term, term, who, new, reason))
    return out


def decision_violations(
    review: Review | None,
    terms: dict[str, int],
    teachers: dict[str, tuple[str | None, ...]],
    track_modules: dict[str, str] | None = None,
) -> list[Reason]:
    """Every decision the plan breaks, as reasons naming the sheet and row; `track_modules` (module
    -> track) for the decisions on whole tracks."""
    if review is None:
        return []
    out = _track_violations(review, terms, track_modules or {})
    for r in review.decisions:
        broken = _module_violation(review, r, terms, teachers)
        if broken:
            out.append(broken)
    return out


def _track_violations(review: Review, terms: dict[str, int], track_modules: dict[str, str]) -> list[Reason]:
    """The decisions on whole tracks the plan breaks: a locked track not fully offered, a dropped
    one partly offered."""
    out = []
    for d in review.tracks:
        modules = [m for m, track in track_modules.items() if track == d.track_id]
        kept = all(m in terms for m in modules) if d.decision == LOCK else not any(m in terms for m in modules)
        if not kept:
            code = "decision_track_lock_broken" if d.decision == LOCK else "decision_track_drop_broken"
            out.append(Reason(code, {"sheet": review.sheet, "row": d.row, "track_id": d.track_id}))
    return out


def _module_violation(
    review: Review, r: ReviewRow, terms: dict[str, int], teachers: dict[str, tuple[str | None, ...]]
) -> Reason | None:
    """How the plan breaks one decision on a module (dropped yet planned, locked elsewhere, or its
    instructor given fewer sections than locked); None when it keeps it."""
    where = {"sheet": review.sheet, "row": r.row, "module_id": r.module_id}
    if r.decision == DROP and r.module_id in terms:
        return Reason("decision_drop_broken", where)
    if r.decision == LOCK and terms.get(r.module_id) != r.term:
        return Reason("decision_lock_broken", where | {"term": r.term})
    if r.decision == LOCK and r.instructor_id:
        taught = sum(1 for k in teachers.get(r.module_id, ()) if k == r.instructor_id)
        if taught < review.lock_rank(r):
            return Reason("decision_instructor_broken", where | {"instructor_id": r.instructor_id})
    return None
