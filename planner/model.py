"""Domain types: the catalog, the scenario, and the problem the optimizer solves.

Entities check their own fields in `__post_init__` (raising `ValueError` with a plain sentence);
`Problem.build` checks what spans catalog and scenario and precomputes integer indices, so the
optimizer never handles string ids. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from planner.catalog_model import LEVELS as LEVELS
from planner.catalog_model import Catalog as Catalog
from planner.catalog_model import Commitment as Commitment
from planner.catalog_model import Demand as Demand
from planner.catalog_model import Instructor as Instructor
from planner.catalog_model import Lab as Lab
from planner.catalog_model import LabCommitment as LabCommitment
from planner.catalog_model import Module as Module
from planner.catalog_model import ModuleLab as ModuleLab
from planner.catalog_model import ModuleSkill as ModuleSkill
from planner.catalog_model import Offer as Offer
from planner.catalog_model import Origin as Origin
from planner.catalog_model import Prerequisite as Prerequisite
from planner.catalog_model import Qualification as Qualification
from planner.catalog_model import Sector as Sector
from planner.catalog_model import Skill as Skill
from planner.catalog_model import Track as Track
from planner.catalog_model import TrackModule as TrackModule
from planner.catalog_model import Training as Training
from planner.errors import InputError, Issue
from planner.i18n import _
from planner.reasons import Reason
from planner.review_plan import Review
from planner.scenario_model import DEFAULT_OBJECTIVE as DEFAULT_OBJECTIVE
from planner.scenario_model import INTAKES as INTAKES
from planner.scenario_model import OBJECTIVES as OBJECTIVES
from planner.scenario_model import Scenario as Scenario
from planner.scenario_model import SectorGoal as SectorGoal
from planner.scenario_model import per_week as per_week
from planner.scenario_model import period_data as period_data

# --- the problem in integer form -------------------------------------------------------------


@dataclass(frozen=True)
class DemandRow:
    """A demand of a scenario sector, with the candidate modules that would cover it."""

    demand: Demand
    sector: int  # index into Problem.sector_ids
    weight: int  # effective sector weight x importance
    covering: tuple[int, ...]  # candidate indices teaching the skill at >= the level


@dataclass(frozen=True)
class Problem:
    """Catalog + scenario as indices. Candidate modules are numbered 0..n-1 in catalog order."""

    catalog: Catalog
    scenario: Scenario
    candidates: tuple[Module, ...]
    windows: tuple[tuple[int, int], ...]  # allowed terms per candidate, within 1..terms
    blocked: Mapping[int, Reason]  # candidate -> why it can never be taken
    prerequisites: tuple[tuple[int, int], ...]  # (module, prerequisite), both candidates
    sector_ids: tuple[str, ...]
    sector_weights: tuple[int, ...]
    min_coverage: tuple[Fraction, ...]
    demand_rows: tuple[DemandRow, ...]
    instructors: tuple[Instructor, ...]
    qualified: tuple[tuple[int, ...], ...]  # per candidate: instructor indices
    labs: tuple[Lab, ...] = ()
    module_labs: tuple[tuple[int, ...], ...] = ()  # per candidate: indices of the labs it needs
    review: Review | None = None  # the reviewed workbook's plan and decisions (planner plan --review)
    # Training the scenario's budget could buy (instructor not yet qualified, enough hours, cost
    # within budget), and per candidate how many roster instructors are qualified (min_qualified).
    offers: tuple[Offer, ...] = ()
    named_qualified: tuple[int, ...] = ()
    # Hours already taught or used for the campus's other careers: (instructor, period) and
    # (lab, period) as indices, periods from 0; absent keys are 0.
    committed: Mapping[tuple[int, int], int] = field(default_factory=dict)
    lab_committed: Mapping[tuple[int, int], int] = field(default_factory=dict)
    # Trayectos técnicos, only with [tracks] in the scenario: the candidate tracks (those of the
    # scenario's careers), per candidate module the index of its track (None: the common core),
    # and per track its candidate modules; a track with a module outside the candidates is closed.
    tracks: tuple[Track, ...] = ()
    track_of: tuple[int | None, ...] = ()
    track_members: tuple[tuple[int, ...], ...] = ()
    closed_tracks: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # track -> modules not candidates

    @property
    def terms(self) -> int:
        return self.scenario.terms

    @property
    def periods(self) -> tuple[tuple[int, ...], ...]:
        return self.scenario.periods

    @cached_property
    def period_of(self) -> dict[int, int]:
        """Term -> index of the period it runs in."""
        return {t: p for p, terms in enumerate(self.periods) for t in terms}

    def sections_in(self, t: int) -> int:
        """The groups of term t: each taken module of that term runs this many sections."""
        return self.scenario.groups[t - 1]

    @property
    def has_tracks(self) -> bool:
        return self.scenario.tracks_offer is not None

    def in_track(self, i: int) -> bool:
        return self.has_tracks and self.track_of[i] is not None

    def sections_of(self, i: int, t: int) -> int:
        """The sections of candidate i taken in term t: a track module runs its track's groups."""
        return self.scenario.track_groups if self.in_track(i) else self.sections_in(t)

    def dual_of(self, i: int, t: int) -> int:
        """The first this many sections of candidate i in term t are dual (a track has fewer groups)."""
        dual = self.dual_in(t)
        return min(dual, self.scenario.track_groups) if self.in_track(i) else dual

    @cached_property
    def paths(self) -> tuple[tuple[int | None, tuple[int, ...]], ...]:
        """Each student path as (track index, its candidate modules): the common core plus one
        track; without [tracks], one path of every candidate."""
        everyone = tuple(range(len(self.candidates)))
        if not self.has_tracks:
            return ((None, everyone),)
        core = tuple(i for i in everyone if self.track_of[i] is None)
        return tuple((r, tuple(sorted(core + members))) for r, members in enumerate(self.track_members))

    def dual_in(self, t: int) -> int:
        """The first this many sections of term t are dual groups."""
        return self.scenario.dual[t - 1]

    @property
    def most_sections(self) -> int:
        return max(*self.scenario.groups, self.scenario.track_groups if self.has_tracks else 1)

    def dual_hours(self, i: int) -> int:
        """Candidate i's company hours in a dual section (0 without dual groups in the scenario)."""
        return self.candidates[i].dual_hours if self.scenario.dual_groups is not None else 0

    def section_hours(self, i: int, t: int, section: int) -> int:
        """The hours section `section` (from 1) of candidate i, taken in term t, needs of its
        instructor and labs: a dual section leaves the company's part to the company."""
        dual = section <= self.dual_of(i, t)
        return self.hours[i] - (self.dual_hours(i) if dual else 0)

    def group_hours(self, i: int, t: int) -> int:
        """Candidate i's hours over all its sections in term t (what a lab it needs carries)."""
        return self.hours[i] * self.sections_of(i, t) - self.dual_hours(i) * self.dual_of(i, t)

    def company_hours(self, i: int, t: int) -> int:
        """The hours the partner companies give candidate i's dual sections in term t."""
        return self.dual_hours(i) * self.dual_of(i, t)

    @cached_property
    def hours(self) -> tuple[int, ...]:
        return tuple(m.hours for m in self.candidates)

    @cached_property
    def index_of(self) -> dict[str, int]:
        return {m.module_id: i for i, m in enumerate(self.candidates)}

    @cached_property
    def required(self) -> tuple[int, ...]:
        return tuple(self.index_of[m] for m in self.scenario.required_modules)

    @classmethod
    def build(cls, catalog: Catalog, scenario: Scenario, review: Review | None = None) -> Problem:
        """Check the scenario against the catalog and precompute the indices.

        Raises InputError listing every problem found (unknown ids, term windows that the
        scenario's term count contradicts, ...).
        """
        issues = _scenario_issues(catalog, scenario) + _commitment_issues(catalog, scenario)
        issues += _track_issues(catalog, scenario)
        if issues:
            raise InputError(issues)
        return _build(catalog, scenario, review)

    @classmethod
    def for_explaining(
        cls, catalog: Catalog, scenario: Scenario, review: Review | None = None, offers_within: int | None = None
    ) -> Problem:
        """The problem of inputs the explanation of an infeasible scenario tries (the scenario, or
        one number of it or of the catalog changed), built without the scenario checks that the
        inputs passed once. `offers_within` opens the training offers up to that cost, whatever the
        scenario's budget (the budget itself is then a requirement of its own)."""
        return _build(catalog, scenario, review, offers_within)


def _scenario_issues(catalog: Catalog, scenario: Scenario) -> list[Issue]:
    file = scenario.file_name
    issues: list[Issue] = []
    known = catalog.module_by_id
    for key in ("required_modules", "excluded_modules"):
        for module_id in getattr(scenario, key):
            if module_id not in known:
                issues.append(
                    Issue(file, _("module '{module_id}' is not in the catalog.", module_id=module_id), column=key)
                )
    for module_id in sorted(set(scenario.required_modules) & set(scenario.excluded_modules)):
        issues.append(
            Issue(
                file,
                _("module '{module_id}' is both required and excluded.", module_id=module_id),
                column="excluded_modules",
            )
        )
    for career in scenario.careers or ():
        if career not in catalog.careers:
            issues.append(
                Issue(file, _("career '{career}' has no module in the catalog.", career=career), column="careers")
            )
    for goal in scenario.sectors or ():
        if goal.sector_id not in catalog.sector_by_id:
            issues.append(
                Issue(
                    file,
                    _("sector '{sector_id}' is not in the catalog.", sector_id=goal.sector_id),
                    column=f"sectors.{goal.sector_id}",
                )
            )
    for module in _candidates(catalog, scenario):
        if module.earliest_term is not None and module.earliest_term > scenario.terms:
            where = module.origin
            issues.append(
                Issue(
                    where.file if where else "modules.csv",
                    _(
                        "module {module_id} cannot start before term {earliest_term}, but scenario {file} "
                        "has only {terms} terms; exclude the module or raise terms.",
                        module_id=module.module_id,
                        earliest_term=module.earliest_term,
                        file=file,
                        terms=scenario.terms,
                    ),
                    row=where.row if where else None,
                    column="earliest_term",
                )
            )
    return issues


def candidate_tracks(catalog: Catalog, scenario: Scenario) -> tuple[Track, ...]:
    """The tracks a scenario with [tracks] chooses from: those of its careers (every track without
    `careers`)."""
    careers = set(scenario.careers) if scenario.careers is not None else None
    return tuple(r for r in catalog.tracks if careers is None or r.career in careers)


def _track_issues(catalog: Catalog, scenario: Scenario) -> list[Issue]:
    """`offer` within the candidate tracks; no track module among the required ones."""
    if scenario.tracks_offer is None:
        return []
    file = scenario.file_name
    issues: list[Issue] = []
    tracks = candidate_tracks(catalog, scenario)
    if scenario.tracks_offer > len(tracks):
        issues.append(
            Issue(
                file,
                _(
                    "tracks.offer is {offer}, but the scenario's careers have {count} tracks ({items}).",
                    offer=scenario.tracks_offer,
                    count=len(tracks),
                    items=", ".join(r.track_id for r in tracks) or "-",
                ),
                column="tracks.offer",
            )
        )
    for module_id in scenario.required_modules:
        track = catalog.track_of.get(module_id)
        if track is not None:
            text = _(
                "module {module_id} belongs to track {track}, which is taken exactly when the track is offered: "
                "remove it from required_modules (or from track_modules.csv to make it common core).",
                module_id=module_id,
                track=track,
            )
            issues.append(Issue(file, text, column="required_modules"))
    return issues


def _commitment_issues(catalog: Catalog, scenario: Scenario) -> list[Issue]:
    """Commitments must name one of the scenario's periods, and no instructor may be committed
    beyond its contract's cap (the campus would already be over contract)."""
    issues: list[Issue] = []
    periods = len(scenario.periods)
    totals: dict[tuple[str, int], tuple[int, Origin | None]] = {}
    rows: list[Commitment | LabCommitment] = [*catalog.commitments, *catalog.lab_commitments]
    for c in rows:
        if c.period > periods:
            where = c.origin
            issues.append(
                Issue(
                    where.file if where else "commitments.csv",
                    _(
                        "there is no period {period}: scenario {file} has {count} (numbered from 1).",
                        period=c.period,
                        file=scenario.file_name,
                        count=periods,
                    ),
                    row=where.row if where else None,
                    column="period",
                )
            )
    caps = {("instructor", i.instructor_id): i.max_hours_per_term for i in catalog.instructors}
    caps |= {("lab", lab.lab_id): lab.max_hours_per_term for lab in catalog.labs}
    for what, who, c in [("instructor", c.instructor_id, c) for c in catalog.commitments] + [
        ("lab", lc.lab_id, lc) for lc in catalog.lab_commitments
    ]:
        hours, _origin = totals.get((f"{what} {who}", c.period), (0, None))
        totals[f"{what} {who}", c.period] = (hours + c.hours, c.origin)
    for (named, period), (hours, where) in sorted(totals.items()):
        what, who = named.split(" ", 1)
        cap = caps.get((what, who))
        if cap is not None and hours > cap:
            if what == "instructor":
                text = _(
                    "instructor {instructor_id} is committed {hours} hours in period {period}, above the "
                    "contract's cap of {cap}: the campus is already over contract.",
                    instructor_id=who,
                    hours=hours,
                    period=period,
                    cap=cap,
                )
            else:
                text = _(
                    "lab {lab_id} is committed {hours} hours in period {period}, above its {cap} hours.",
                    lab_id=who,
                    hours=hours,
                    period=period,
                    cap=cap,
                )
            issues.append(
                Issue(
                    where.file if where else "commitments.csv", text, row=where.row if where else None, column="hours"
                )
            )
    return issues


def _committed(catalog: Catalog) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Committed hours per (instructor, period) and (lab, period), as indices from 0."""
    inst = {i.instructor_id: k for k, i in enumerate(catalog.instructors)}
    labs = {lab.lab_id: n for n, lab in enumerate(catalog.labs)}
    teachers: dict[tuple[int, int], int] = {}
    rooms: dict[tuple[int, int], int] = {}
    for c in catalog.commitments:
        key = (inst[c.instructor_id], c.period - 1)
        teachers[key] = teachers.get(key, 0) + c.hours
    for lc in catalog.lab_commitments:
        key = (labs[lc.lab_id], lc.period - 1)
        rooms[key] = rooms.get(key, 0) + lc.hours
    return teachers, rooms


def _candidates(catalog: Catalog, scenario: Scenario, review: Review | None = None) -> list[Module]:
    careers = set(scenario.careers) if scenario.careers is not None else None
    required = set(scenario.required_modules) | (review.locked_modules if review else set())
    excluded = set(scenario.excluded_modules)
    return [
        m
        for m in catalog.modules
        if m.module_id not in excluded and (careers is None or m.career in careers or m.module_id in required)
    ]


def _build(
    catalog: Catalog, scenario: Scenario, review: Review | None = None, offers_within: int | None = None
) -> Problem:
    candidates = _candidates(catalog, scenario, review)
    index = {m.module_id: i for i, m in enumerate(candidates)}
    windows = tuple(
        (max(1, m.earliest_term or 1), min(scenario.terms, m.latest_term or scenario.terms)) for m in candidates
    )
    blocked: dict[int, Reason] = {}
    prerequisites = _prerequisites(catalog, index, blocked)
    budget = scenario.training_budget if offers_within is None else offers_within
    offers = _offers(catalog, budget, candidates, index, any(scenario.dual))
    instructors, qualified, named = _qualified(catalog, scenario, candidates, index, blocked, offers)
    committed, lab_committed = _committed(catalog)
    labs, module_labs = _labs(catalog, scenario, candidates, (index, windows, lab_committed), blocked)
    tracks = _tracks(catalog, scenario, candidates, blocked)  # before: a dependant of a track module is blocked too
    _block_dependants(candidates, prerequisites, blocked)
    goals = scenario.sectors
    if goals is None:
        goals = tuple(SectorGoal(s.sector_id) for s in catalog.sectors)
    weights = tuple(g.weight if g.weight is not None else catalog.sector_by_id[g.sector_id].weight for g in goals)
    return Problem(
        catalog=catalog,
        scenario=scenario,
        candidates=tuple(candidates),
        windows=windows,
        blocked=blocked,
        prerequisites=prerequisites,
        sector_ids=tuple(g.sector_id for g in goals),
        sector_weights=weights,
        min_coverage=tuple(g.min_coverage for g in goals),
        demand_rows=_demand_rows(catalog, index, tuple(g.sector_id for g in goals), weights),
        instructors=instructors,
        qualified=qualified,
        labs=labs,
        module_labs=module_labs,
        review=review,
        offers=offers,
        named_qualified=named,
        committed=committed,
        lab_committed=lab_committed,
        **tracks,
    )


def _tracks(catalog: Catalog, scenario: Scenario, candidates: list[Module], blocked: dict[int, Reason]) -> dict:
    """The Problem's track fields (none without [tracks]). A module of a track the scenario's
    careers do not offer is never taken."""
    if scenario.tracks_offer is None:
        return {}
    tracks = candidate_tracks(catalog, scenario)
    number = {r.track_id: n for n, r in enumerate(tracks)}
    index = {m.module_id: i for i, m in enumerate(candidates)}
    track_of: list[int | None] = [None] * len(candidates)
    members: list[list[int]] = [[] for _ in tracks]
    closed: dict[int, list[str]] = {}
    for tm in catalog.track_modules:
        i, r = index.get(tm.module_id), number.get(tm.track_id)
        if r is not None and i is None:
            closed.setdefault(r, []).append(tm.module_id)
        elif i is not None and r is None:
            blocked.setdefault(i, Reason("track_not_candidate", {"track": tm.track_id}))
            track_of[i] = -1
        elif i is not None and r is not None:
            track_of[i] = r
            members[r].append(i)
    return {
        "tracks": tracks,
        "track_of": tuple(track_of),
        "track_members": tuple(tuple(m) for m in members),
        "closed_tracks": {r: tuple(ids) for r, ids in closed.items()},
    }


def _prerequisites(catalog: Catalog, index: dict[str, int], blocked: dict[int, Reason]) -> tuple[tuple[int, int], ...]:
    """(module, prerequisite) pairs among the candidates; blocks a module whose prerequisite is not one."""
    pairs: list[tuple[int, int]] = []
    for p in catalog.prerequisites:
        if p.module_id not in index:
            continue
        if p.prerequisite_id in index:
            pairs.append((index[p.module_id], index[p.prerequisite_id]))
        else:
            blocked[index[p.module_id]] = Reason("prerequisite_not_candidate", {"prerequisite": p.prerequisite_id})
    return tuple(pairs)


def _block_dependants(
    candidates: list[Module], prerequisites: tuple[tuple[int, int], ...], blocked: dict[int, Reason]
) -> None:
    """A module is also blocked when a prerequisite is blocked (transitively)."""
    changed = True
    while changed:
        changed = False
        for module, prerequisite in prerequisites:
            if prerequisite in blocked and module not in blocked:
                blocked[module] = Reason("prerequisite_blocked", {"prerequisite": candidates[prerequisite].module_id})
                changed = True


def _demand_rows(
    catalog: Catalog, index: dict[str, int], sector_ids: tuple[str, ...], weights: tuple[int, ...]
) -> tuple[DemandRow, ...]:
    """The scenario sectors' demands, each with its weight and the candidates that would cover it."""
    sector_index = {s: k for k, s in enumerate(sector_ids)}
    teaches: dict[str, list[tuple[int, int]]] = {}
    for ms in catalog.module_skills:
        if ms.module_id in index:
            teaches.setdefault(ms.skill_id, []).append((index[ms.module_id], ms.level))
    return tuple(
        DemandRow(
            demand=d,
            sector=sector_index[d.sector_id],
            weight=weights[sector_index[d.sector_id]] * d.importance,
            covering=tuple(sorted({m for m, level in teaches.get(d.skill_id, []) if level >= d.level})),
        )
        for d in catalog.demands
        if d.sector_id in sector_index
    )


def _offers(
    catalog: Catalog, budget: int, candidates: list[Module], index: dict[str, int], dual: bool = False
) -> tuple[Offer, ...]:
    """The training offers this scenario may buy; none without a budget.

    An offer is left out when its instructor is not on the roster, is already qualified, could not
    teach the module's hours anyway, or when it alone costs more than the budget.
    """
    if budget <= 0:
        return ()
    inst_index = {i.instructor_id: k for k, i in enumerate(catalog.instructors)}
    known = {(q.instructor_id, q.module_id) for q in catalog.qualifications}
    offers = []
    for t in catalog.training:
        k, i = inst_index.get(t.instructor_id), index.get(t.module_id)
        if k is None or i is None or (t.instructor_id, t.module_id) in known or t.cost > budget:
            continue
        if catalog.instructors[k].max_hours_per_term >= _least_section_hours(candidates[i], dual):
            offers.append(Offer(k, i, t.cost, t))
    return tuple(offers)


def _qualified(
    catalog: Catalog,
    scenario: Scenario,
    candidates: list[Module],
    index: dict[str, int],
    blocked: dict[int, Reason],
    offers: tuple[Offer, ...] = (),
) -> tuple[tuple[Instructor, ...], tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """The roster, per candidate the instructors who may teach it, and how many of the roster are
    qualified; blocks the modules nobody can teach, even with the training the budget could buy."""
    instructors = catalog.instructors
    inst_index = {i.instructor_id: k for k, i in enumerate(instructors)}
    qualified: list[list[int]] = [[] for _ in candidates]
    named: list[int] = [0] * len(candidates)
    for q in catalog.qualifications:
        if q.module_id in index and q.instructor_id in inst_index:
            k = inst_index[q.instructor_id]
            named[index[q.module_id]] += 1
            if instructors[k].max_hours_per_term >= _least_section_hours(
                candidates[index[q.module_id]], any(scenario.dual)
            ):
                qualified[index[q.module_id]].append(k)
    buyable = [0] * len(candidates)
    for offer in offers:
        buyable[offer.module] += 1
    if instructors:
        need = scenario.min_qualified
        for i, teachers in enumerate(qualified):
            if named[i] + buyable[i] == 0:
                blocked.setdefault(i, Reason("no_qualified_instructor"))
            elif named[i] + buyable[i] < need:
                blocked.setdefault(i, Reason("too_few_qualified", {"count": named[i], "needed": need}))
            elif not teachers and not buyable[i]:
                blocked.setdefault(i, Reason("no_instructor_with_hours"))
    return instructors, tuple(tuple(q) for q in qualified), tuple(named)


def _least_section_hours(module: Module, dual: bool) -> int:
    """The fewest hours one section of the module can need of its instructor (a dual one, if any)."""
    return module.hours - (module.dual_hours if dual else 0)


def _groups(scenario: Scenario, in_track: bool, t: int) -> tuple[int, int]:
    """(groups, dual groups) of a module taken in term t: a track module runs its track's groups."""
    groups, dual = scenario.groups[t - 1], scenario.dual[t - 1]
    if scenario.tracks_offer is not None and in_track:
        return scenario.track_groups, min(dual, scenario.track_groups)
    return groups, dual


def _labs(
    catalog: Catalog,
    scenario: Scenario,
    candidates: list[Module],
    where: tuple[dict[str, int], tuple[tuple[int, int], ...], dict[tuple[int, int], int]],
    blocked: dict[int, Reason],
) -> tuple[tuple[Lab, ...], tuple[tuple[int, ...], ...]]:
    """The labs and, per candidate, the labs it needs (the loader has checked every lab id).

    A module whose sections alone need more of a lab than the lab has free (its capacity less the
    other careers' commitments) in every term of its window can never be taken.
    `where` holds the candidates' index, their term windows and the labs' committed hours.
    """
    index, windows, committed = where
    labs = catalog.labs
    lab_index = {lab.lab_id: n for n, lab in enumerate(labs)}
    needs: list[list[int]] = [[] for _ in candidates]
    for ml in catalog.module_labs:
        if ml.module_id in index:
            needs[index[ml.module_id]].append(lab_index[ml.lab_id])
    periods = scenario.periods
    period_of = {t: p for p, terms in enumerate(periods) for t in terms}
    dual = any(scenario.dual)
    for i, needed in enumerate(needs):
        module = candidates[i]
        lo, hi = windows[i]
        for n in needed:
            # (excess, need, free, groups) of each term the module could run in; the least excess is said.
            fits = [
                (need - free, need, free, groups)
                for t in range(lo, hi + 1)
                for groups, dual_groups in [_groups(scenario, module.module_id in catalog.track_of, t)]
                for need in [module.hours * groups - (module.dual_hours if dual else 0) * dual_groups]
                for free in [labs[n].max_hours_per_term - committed.get((n, period_of[t]), 0)]
            ]
            best = min(fits, default=None)
            if best is not None and best[0] > 0:
                _excess, need, free, groups = best
                blocked.setdefault(
                    i,
                    Reason("lab_too_small", {"lab": labs[n].lab_id, "capacity": free, "groups": groups, "hours": need}),
                )
    return labs, tuple(tuple(n) for n in needs)
