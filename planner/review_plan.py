"""A reviewed plan as domain data: every row of the returned Plan sheet, and its decisions.

An administrator reviews the workbook in Excel and sends it back (`planner plan --review`). Each
row of its Plan sheet is one section of a module in a term, as edited; a row may carry a decision:
`lock` (Spanish `fijar`: the module is taken in the row's term, and the row's instructor, if any,
teaches one of its sections) or `drop` (`quitar`: the module is not taken). The loader
(planner/review.py) has checked every id and term. Standard library only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

LOCK = "lock"
DROP = "drop"
DECISIONS = (LOCK, DROP)
# The Plan sheet's pinned headers and decision words, in either language (PLANNER-SPEC.md): a
# reviewed workbook comes back in the language it was written in.
PLAN_HEADERS = {
    "term": ("Semestre", "Term"),
    "module_id": ("Clave", "Module ID"),
    "instructor_id": ("Clave docente", "Instructor ID"),
    "decision": ("Decisión", "Decision"),
}
MARKER_SHEET = "planner_export"  # the export's very hidden marker sheet: marker, catalog fingerprint
MARKER = "planner-export"
DECISION_WORDS = {"fijar": LOCK, "lock": LOCK, "quitar": DROP, "drop": DROP}


@dataclass(frozen=True)
class ReviewRow:
    """One row of the reviewed Plan sheet: a section of a module in a term, and its decision."""

    row: int  # spreadsheet row (header = 1)
    module_id: str
    term: int
    instructor_id: str | None = None
    decision: str | None = None  # LOCK, DROP or None

    def __post_init__(self) -> None:
        if self.decision is not None and self.decision not in DECISIONS:
            raise ValueError(f"decision '{self.decision}' is not one of {', '.join(DECISIONS)}.")


@dataclass(frozen=True)
class TrackDecision:
    """A row of the reviewed Plan sheet whose `Clave` names a track (trayecto técnico): `lock`
    offers the whole track, `drop` takes none of its modules."""

    row: int
    track_id: str
    decision: str


@dataclass(frozen=True)
class Review:
    """The reviewed plan (every row, dropped ones included) and the decisions on it."""

    rows: tuple[ReviewRow, ...]
    file: str = "review.xlsx"
    sheet: str = "Plan"
    tracks: tuple[TrackDecision, ...] = ()

    @cached_property
    def decisions(self) -> tuple[ReviewRow, ...]:
        return tuple(r for r in self.rows if r.decision is not None)

    @cached_property
    def locked_modules(self) -> set[str]:
        return {r.module_id for r in self.rows if r.decision == LOCK}

    @cached_property
    def terms(self) -> dict[str, int]:
        """Each module's term in the reviewed plan: a locked row's term, else the term most of its
        rows give (the first such row's on a tie), since sections of a module run in one term."""
        out: dict[str, int] = {}
        for module_id in dict.fromkeys(r.module_id for r in self.rows):
            rows = [r for r in self.rows if r.module_id == module_id]
            locked = [r.term for r in rows if r.decision == LOCK]
            if locked:
                out[module_id] = locked[0]
                continue
            counts = Counter(r.term for r in rows)
            out[module_id] = max(counts, key=lambda t: (counts[t], -next(i for i, r in enumerate(rows) if r.term == t)))
        return out

    @cached_property
    def sections(self) -> dict[tuple[str, str], int]:
        """(module, instructor) -> sections the reviewed plan gives that instructor."""
        return dict(Counter((r.module_id, r.instructor_id) for r in self.rows if r.instructor_id))

    def lock_rank(self, row: ReviewRow) -> int:
        """How many lock rows of this module name this row's instructor, up to and including it:
        the row holds when the instructor teaches at least that many sections."""
        return sum(
            1
            for r in self.decisions
            if r.decision == LOCK
            and r.module_id == row.module_id
            and r.instructor_id == row.instructor_id
            and r.row <= row.row
        )
