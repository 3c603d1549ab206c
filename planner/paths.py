"""Student paths (trayectos técnicos): what one student takes, recomputed from the plan itself.

With `[tracks]` a student takes the modules of no track (the common core) and one offered track;
term hours, module counts, the total and the sector floors hold on every such path, coverage is
summed over them and balance is their heaviest term (PLANNER-SPEC.md, "Trayectos técnicos").
Without tracks the one path is the whole plan. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

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


def path_violations(problem: Problem, path: StudentPath) -> list[Reason]:
    """Rule 3 (term hours, module counts, total) and rule 5's floors on one path."""
    scenario = problem.scenario
    said = {"track": path.track_id} if path.track_id is not None else {}
    out = []
    for t, (hours, count) in enumerate(zip(path.term_hours, path.term_counts, strict=True), start=1):
        if hours < scenario.term_hours_min:
            out.append(Reason("term_hours_low", {"term": t, "hours": hours, "limit": scenario.term_hours_min, **said}))
        if scenario.term_hours_max is not None and hours > scenario.term_hours_max:
            out.append(Reason("term_hours_high", {"term": t, "hours": hours, "limit": scenario.term_hours_max, **said}))
        if count < scenario.modules_per_term_min:
            limit = scenario.modules_per_term_min
            out.append(Reason("term_modules_low", {"term": t, "count": count, "limit": limit, **said}))
        if scenario.modules_per_term_max is not None and count > scenario.modules_per_term_max:
            limit = scenario.modules_per_term_max
            out.append(Reason("term_modules_high", {"term": t, "count": count, "limit": limit, **said}))
    if scenario.total_hours_max is not None and path.total_hours > scenario.total_hours_max:
        out.append(Reason("total_hours_high", {"hours": path.total_hours, "limit": scenario.total_hours_max, **said}))
    return out + _floor_violations(problem, path)


def _floor_violations(problem: Problem, path: StudentPath) -> list[Reason]:
    totals = [0] * len(problem.sector_ids)
    for row in problem.demand_rows:
        totals[row.sector] += row.demand.importance
    out = []
    for k, sector_id in enumerate(problem.sector_ids):
        floor, total = problem.min_coverage[k], totals[k]
        if total and Fraction(path.covered[k], total) < floor:
            params = {"sector": sector_id, "covered": path.covered[k], "total": total}
            params |= {"floor": [floor.numerator, floor.denominator]}
            out.append(Reason("sector_below_floor", params | ({"track": path.track_id} if path.track_id else {})))
    return out


def track_violations(problem: Problem, taken: Mapping[str, int]) -> list[Reason]:
    """Exactly tracks.offer candidate tracks offered, each whole: every one of its modules taken."""
    offer = problem.scenario.tracks_offer
    if offer is None:
        return []
    offered = offered_tracks(problem, taken)
    out = []
    if len(offered) != offer:
        out.append(Reason("tracks_offered_wrong", {"count": len(offered), "offer": offer, "tracks": list(offered)}))
    members: dict[str, list[str]] = {}
    for tm in problem.catalog.track_modules:
        members.setdefault(tm.track_id, []).append(tm.module_id)
    candidates = {r.track_id for r in problem.tracks}
    for track_id in offered:
        if track_id not in candidates:
            out.append(Reason("track_not_candidate_offered", {"track": track_id}))
        missing = [m for m in members.get(track_id, []) if m not in taken]
        if missing:
            out.append(Reason("track_incomplete", {"track": track_id, "modules": missing}))
    return out


def track_gap_reason(problem: Problem, module: int, offered: tuple[str, ...]) -> Reason | None:
    """Why a candidate track module is not taken: its track is not among the offered ones."""
    r = problem.track_of[module] if problem.has_tracks else None
    if r is None or r < 0 or problem.tracks[r].track_id in offered:
        return None  # the core, a track of another career (blocked), or an offered track
    track = problem.tracks[r]
    params = {"module": problem.candidates[module].module_id, "track": track.track_id}
    return Reason("track_not_offered", params | {"offer": problem.scenario.tracks_offer, "offered": list(offered)})
