"""Student paths (trayectos técnicos): what one student takes, recomputed from the plan itself.

With `[tracks]` a student takes the modules of no track (the common core) and one offered track;
term hours, module counts, the total and the sector floors hold on every such path, coverage is
summed over them and balance is their heaviest term (PLANNER-SPEC.md, "Trayectos técnicos").
Without tracks the one path is the whole plan. These figures are the plan's for the plan file and
the workbook; the rule checker (planner/rules.py) counts its own. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.model import Problem
from planner.reasons import Reason


@dataclass(frozen=True)
class StudentPath:
    """One path: its track (None: the whole plan, without tracks) and its figures."""

    track_id: str | None
    modules: frozenset[str]
    term_hours: tuple[int, ...]
    term_counts: tuple[int, ...]
    covered: tuple[int, ...]  # per scenario sector: covered importance
    coverage: int  # weighted covered importance (the coverage objective's share)

    @property
    def total_hours(self) -> int:
        return sum(self.term_hours)


def offered_tracks(problem: Problem, taken: Mapping[str, int]) -> tuple[str, ...]:
    """The candidate tracks the plan offers: those with a module taken, in catalog order."""
    if not problem.has_tracks:
        return ()
    track_of = problem.catalog.track_of
    offered = {track_of[m] for m in taken if m in track_of}
    return tuple(r.track_id for r in problem.catalog.tracks if r.track_id in offered)


def student_paths(problem: Problem, taken: Mapping[str, int]) -> tuple[StudentPath, ...]:
    """Every offered path of the plan (`taken`: module id -> term); one without tracks."""
    if not problem.has_tracks:
        return (_path(problem, None, set(taken), taken),)
    track_of = problem.catalog.track_of
    core = {m for m in taken if m not in track_of}
    return tuple(
        _path(problem, r, core | {m for m in taken if track_of.get(m) == r}, taken)
        for r in offered_tracks(problem, taken)
    )


def _path(problem: Problem, track: str | None, modules: set[str], taken: Mapping[str, int]) -> StudentPath:
    hours = [0] * problem.terms
    counts = [0] * problem.terms
    for m in modules:
        t = taken[m]
        if 1 <= t <= problem.terms:
            hours[t - 1] += problem.catalog.module_by_id[m].hours
            counts[t - 1] += 1
    levels: dict[str, int] = {}
    for ms in problem.catalog.module_skills:
        if ms.module_id in modules:
            levels[ms.skill_id] = max(levels.get(ms.skill_id, 0), ms.level)
    covered = [0] * len(problem.sector_ids)
    score = 0
    for row in problem.demand_rows:
        if levels.get(row.demand.skill_id, 0) >= row.demand.level:
            covered[row.sector] += row.demand.importance
            score += row.weight
    return StudentPath(track, frozenset(modules), tuple(hours), tuple(counts), tuple(covered), score)


def track_gap_reason(problem: Problem, module: int, offered: tuple[str, ...]) -> Reason | None:
    """Why a candidate track module is not taken: its track is not among the offered ones."""
    r = problem.track_of[module] if problem.has_tracks else None
    if r is None or r < 0 or problem.tracks[r].track_id in offered:
        return None  # the core, a track of another career (blocked), or an offered track
    track = problem.tracks[r]
    params = {"module": problem.candidates[module].module_id, "track": track.track_id}
    return Reason("track_not_offered", params | {"offer": problem.scenario.tracks_offer, "offered": list(offered)})
