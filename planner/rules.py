"""The rule checker: judges a plan against every rule of the planning model (PLANNER-SPEC.md).

It reads the catalog and the scenario by id, from their own columns (module hours and term
bounds, prerequisites, the roster's contracts, qualifications, labs, careers, required and
excluded modules, min_qualified, the calendar's intake), and shares no derived structure with
`Problem.build` or the CP-SAT model: a mistake there shows up here as a broken rule, not as a
plan that both sides accept. The oracles enumerate candidates and terms from this reading too.
Standard library only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from planner.changes import decision_violations, plan_changes
from planner.model import Catalog, Scenario, Training, period_data
from planner.reasons import Reason
from planner.review_plan import Review


class Placed(Protocol):
    """A taken module as a plan states it (planner.result.Placement is one)."""

    @property
    def module_id(self) -> str: ...

    @property
    def term(self) -> int: ...

    @property
    def instructors(self) -> tuple[str | None, ...]: ...


@dataclass(frozen=True)
class Tally:
    """A plan's figures as the checker counts them: per term, per period, per sector."""

    term_hours: tuple[int, ...]  # index t-1 holds term t
    term_modules: tuple[int, ...]
    teaching: dict[str, tuple[int, ...]]  # instructor -> hours per period (the plan's, not the commitments)
    lab_hours: dict[str, tuple[int, ...]]  # lab -> hours per period (the plan's)
    company: tuple[int, ...]  # per period: the hours partner companies give the dual sections
    covered: dict[str, tuple[int, int]]  # scenario sector -> (covered importance, total importance)
    coverage: int  # sum of sector weight x importance over covered demands
    cost: int


def intake_periods(intake: str, terms: int) -> tuple[tuple[int, ...], ...]:
    """The terms that run together in each period: yearly intake runs odd terms in autumn and even
    terms in spring, a cohort every term runs all terms at once, a single cohort one term at a time."""
    if intake == "single":
        return tuple((t,) for t in range(1, terms + 1))
    if intake == "every_term":
        return (tuple(range(1, terms + 1)),)
    return tuple(p for p in (tuple(range(1, terms + 1, 2)), tuple(range(2, terms + 1, 2))) if p)


class RuleChecker:
    """The rules of one scenario (and its reviewed plan, if any), read from the catalog by id."""

    def __init__(self, catalog: Catalog, scenario: Scenario, review: Review | None = None) -> None:
        self.catalog = catalog
        self.scenario = scenario
        self.review = review
        self.periods = intake_periods(scenario.intake, scenario.terms)
        self.roster = {i.instructor_id: i for i in catalog.instructors}
        self._hours = {m.module_id: m.hours for m in catalog.modules}
        self._qualified: dict[str, set[str]] = defaultdict(set)
        for q in catalog.qualifications:
            if q.instructor_id in self.roster:
                self._qualified[q.module_id].add(q.instructor_id)
        self._labs: dict[str, list[str]] = defaultdict(list)
        for ml in catalog.module_labs:
            self._labs[ml.module_id].append(ml.lab_id)
        self._lab_capacity = {lab.lab_id: lab.max_hours_per_term for lab in catalog.labs}
        self._dual_hours = {m.module_id: m.dual_hours for m in catalog.modules}
        # Hours the campus's other careers already take, per instructor or lab and period (from 1).
        self.committed: dict[tuple[str, int], int] = defaultdict(int)
        for c in catalog.commitments:
            self.committed[c.instructor_id, c.period] += c.hours
        self.lab_committed: dict[tuple[str, int], int] = defaultdict(int)
        for lc in catalog.lab_commitments:
            self.lab_committed[lc.lab_id, lc.period] += lc.hours
        # Trayectos técnicos, with [tracks] only: each track module's track, and the tracks of the
        # scenario's careers (those it may offer).
        tracked = scenario.tracks_offer is not None
        self.track_of = {tm.module_id: tm.track_id for tm in catalog.track_modules} if tracked else {}
        careers = scenario.careers
        self.offerable = [t.track_id for t in catalog.tracks if careers is None or t.career in careers]

    # --- the scenario's rules, one reading each (the oracles and the agreement test use them) --

    def is_candidate(self, module_id: str) -> bool:
        """In the catalog, not excluded, and of a chosen career unless required or locked."""
        module = self.catalog.module_by_id.get(module_id)
        if module is None or module_id in self.scenario.excluded_modules:
            return False
        careers = self.scenario.careers
        locked = self.review.locked_modules if self.review else set()
        return careers is None or module.career in careers or module_id in {*self.scenario.required_modules, *locked}

    def allowed_terms(self, module_id: str) -> range:
        """The terms a module may run in: its earliest/latest term columns within 1..terms."""
        module = self.catalog.module_by_id[module_id]
        first = module.earliest_term if module.earliest_term is not None else 1
        last = module.latest_term if module.latest_term is not None else self.scenario.terms
        return range(max(first, 1), min(last, self.scenario.terms) + 1)

    def qualified(self, module_id: str) -> set[str]:
        """The roster instructors qualifications.csv names for the module (contracts aside)."""
        return set(self._qualified.get(module_id, ()))

    def groups(self, term: int) -> int:
        """The sections a module taken in `term` runs: the scenario's groups of that semester."""
        sections = self.scenario.sections
        return sections[term - 1] if isinstance(sections, tuple) else sections

    def sections(self, module_id: str, term: int) -> int:
        """The sections of a module taken in `term`: a track module runs its track's groups."""
        return self.scenario.track_groups if module_id in self.track_of else self.groups(term)

    def section_hours(self, module_id: str, term: int, section: int) -> int:
        """Hours a section needs of its instructor and labs: the first dual.groups sections of a
        term are dual (of a track module, at most its track's groups), and the partner company
        teaches the module's dual_hours of them."""
        dual = self.scenario.dual_groups
        first = 0 if dual is None else dual[term - 1]
        if module_id in self.track_of:
            first = min(first, self.scenario.track_groups)
        company = self._dual_hours.get(module_id, 0) if section <= first else 0
        return self._hours.get(module_id, 0) - company

    def labs_needed(self, module_id: str) -> list[str]:
        return list(self._labs.get(module_id, ()))

    def lab_capacity(self, lab_id: str) -> int:
        """A lab's hours per period; a lab the campus lacks has none."""
        return self._lab_capacity.get(lab_id, 0)

    def sector_goals(self) -> dict[str, tuple[int, Fraction]]:
        """Scenario sector -> (weight, coverage floor); every catalog sector when none is named."""
        weight = {s.sector_id: s.weight for s in self.catalog.sectors}
        if self.scenario.sectors is None:
            return {s: (w, Fraction(0)) for s, w in weight.items()}
        return {
            g.sector_id: (g.weight if g.weight is not None else weight[g.sector_id], g.min_coverage)
            for g in self.scenario.sectors
        }

    def covering(self, skill_id: str, level: int, modules: Iterable[str]) -> list[str]:
        """Those of `modules` that teach the skill at the level or above."""
        among = set(modules)
        return sorted(
            ms.module_id
            for ms in self.catalog.module_skills
            if ms.skill_id == skill_id and ms.level >= level and ms.module_id in among
        )

    # --- figures ----------------------------------------------------------------------------

    def tally(self, plan: Sequence[Placed]) -> Tally:
        terms = self.scenario.terms
        term_hours, term_modules = [0] * terms, [0] * terms
        teaching: dict[str, list[int]] = {k: [0] * len(self.periods) for k in self.roster}
        lab_hours: dict[str, list[int]] = {lab.lab_id: [0] * len(self.periods) for lab in self.catalog.labs}
        company = [0] * len(self.periods)
        cost = 0
        for p in plan:
            hours = self._hours.get(p.module_id, 0)
            if not 1 <= p.term <= terms:
                continue
            term_hours[p.term - 1] += hours
            term_modules[p.term - 1] += 1
            period = next(n for n, run in enumerate(self.periods) if p.term in run)
            school = [self.section_hours(p.module_id, p.term, s) for s in range(1, len(p.instructors) + 1)]
            company[period] += sum(hours - h for h in school)
            for who, taught in zip(p.instructors, school, strict=True):
                if who in teaching:
                    teaching[who][period] += taught
                    cost += taught * self.roster[who].cost_per_hour
            for lab_id in self._labs.get(p.module_id, ()):
                lab_hours.setdefault(lab_id, [0] * len(self.periods))[period] += sum(school)
        covered, coverage = self._coverage({p.module_id for p in plan})
        return Tally(
            term_hours=tuple(term_hours),
            term_modules=tuple(term_modules),
            teaching={k: tuple(v) for k, v in teaching.items()},
            lab_hours={k: tuple(v) for k, v in lab_hours.items()},
            company=tuple(company),
            covered=covered,
            coverage=coverage,
            cost=cost,
        )

    def _coverage(self, taken: set[str]) -> tuple[dict[str, tuple[int, int]], int]:
        goals = self.sector_goals()
        taught: dict[str, int] = {}  # skill -> highest level a taken module teaches it at
        for ms in self.catalog.module_skills:
            if ms.module_id in taken:
                taught[ms.skill_id] = max(taught.get(ms.skill_id, 0), ms.level)
        covered = {s: [0, 0] for s in goals}
        coverage = 0
        for d in self.catalog.demands:
            if d.sector_id not in goals:
                continue
            covered[d.sector_id][1] += d.importance
            if taught.get(d.skill_id, 0) >= d.level:
                covered[d.sector_id][0] += d.importance
                coverage += goals[d.sector_id][0] * d.importance
        return {s: (c, t) for s, (c, t) in covered.items()}, coverage

    def objectives(self, plan: Sequence[Placed]) -> dict[str, int]:
        """Every objective's value for the plan, `changes` when the plan has a review or ranks it."""
        tally = self.tally(plan)
        paths = self.paths(plan)  # with tracks: coverage summed, balance the heaviest, over the paths
        values = {
            "coverage": sum(path.coverage for _track, path in paths),
            "hours": sum(tally.term_hours),
            "balance": max((max(path.term_hours, default=0) for _track, path in paths), default=0),
            "cost": tally.cost,
        }
        if self.review is not None or "changes" in self.scenario.objective:
            values["changes"] = len(plan_changes(self.review, *_plan_maps(plan)))
        return values

    def offered(self, plan: Sequence[Placed]) -> list[str]:
        """The tracks a plan offers: those with a module taken, in catalog order ([tracks] only)."""
        taken = {self.track_of[p.module_id] for p in plan if p.module_id in self.track_of}
        return [t.track_id for t in self.catalog.tracks if t.track_id in taken]

    def paths(self, plan: Sequence[Placed]) -> list[tuple[str | None, Tally]]:
        """Each student path's figures: the common core and one offered track; without [tracks],
        the whole plan (track None)."""
        if self.scenario.tracks_offer is None:
            return [(None, self.tally(plan))]
        core = [p for p in plan if p.module_id not in self.track_of]
        return [
            (track, self.tally([*core, *(p for p in plan if self.track_of.get(p.module_id) == track)]))
            for track in self.offered(plan)
        ]

    # --- the rules --------------------------------------------------------------------------

    def violations(self, plan: Sequence[Placed], training: Sequence[Training] = ()) -> list[Reason]:
        """Every rule of the planning model that the plan breaks, as reasons (empty if valid).
        Rule 3's hours and counts and rule 5's floors hold on every student path."""
        tally = self.tally(plan)
        paths = self.paths(plan)
        return [
            *self._placement_violations(plan, training),
            *self._scenario_module_violations(plan),
            *self._prerequisite_violations(plan),
            *(r for track, path in paths for r in _on_path(track, self._term_violations(path))),
            *(r for track, path in paths for r in _on_path(track, self._path_total_violations(path))),
            *self._total_violations(plan, tally),
            *self._track_violations(plan),
            *self._training_violations(plan, training),
            *self._period_violations(tally),
            *decision_violations(self.review, *_plan_maps(plan), self.catalog.track_of),
            *(r for track, path in paths for r in _on_path(track, self._coverage_violations(path))),
        ]

    def _track_violations(self, plan: Sequence[Placed]) -> list[Reason]:
        """Exactly tracks.offer tracks of the scenario's careers offered, each with all its modules."""
        offer = self.scenario.tracks_offer
        if offer is None:
            return []
        offered = self.offered(plan)
        out = []
        if len(offered) != offer:
            out.append(Reason("tracks_offered_wrong", {"count": len(offered), "offer": offer, "tracks": offered}))
        taken = {p.module_id for p in plan}
        for track in offered:
            if track not in self.offerable:
                out.append(Reason("track_not_candidate_offered", {"track": track}))
            missing = [m for m, t in self.track_of.items() if t == track and m not in taken]
            if missing:
                out.append(Reason("track_incomplete", {"track": track, "modules": sorted(missing)}))
        return out

    def _path_total_violations(self, path: Tally) -> list[Reason]:
        """A student's total hours (the whole plan's without tracks) within total_max."""
        total, limit = sum(path.term_hours), self.scenario.total_hours_max
        return (
            [Reason("total_hours_high", {"hours": total, "limit": limit})]
            if limit is not None and total > limit
            else []
        )

    def _placement_violations(self, plan: Sequence[Placed], training: Sequence[Training]) -> list[Reason]:
        out: list[Reason] = []
        seen: set[str] = set()
        for p in plan:
            if p.module_id in seen:
                out.append(Reason("taken_twice", {"module": p.module_id}))
            seen.add(p.module_id)
            if not self.is_candidate(p.module_id):
                out.append(Reason("not_candidate", {"module": p.module_id}))
                continue
            terms = self.allowed_terms(p.module_id)
            if p.term not in terms:
                first, last = (terms[0], terms[-1]) if terms else (terms.start, terms.stop - 1)
                out.append(
                    Reason("outside_window", {"module": p.module_id, "term": p.term, "first": first, "last": last})
                )
            out.extend(self._section_violations(p, training))
        return out

    def _section_violations(self, p: Placed, training: Sequence[Training]) -> list[Reason]:
        """Rule 4: one instructor per section of the term's groups, qualified (or trained with bought training)."""
        sections = self.sections(p.module_id, p.term) if 1 <= p.term <= self.scenario.terms else len(p.instructors)
        if len(p.instructors) != sections:
            return [Reason("wrong_sections", {"module": p.module_id, "count": len(p.instructors), "needed": sections})]
        if not self.roster:
            return [Reason("instructor_without_roster", {"module": p.module_id})] if any(p.instructors) else []
        qualified = self.qualified(p.module_id) | {t.instructor_id for t in training if t.module_id == p.module_id}
        return [
            Reason("unqualified_instructor", {"section": s, "module": p.module_id, "instructor": who})
            for s, who in enumerate(p.instructors, start=1)
            if who not in qualified
        ]

    def _scenario_module_violations(self, plan: Sequence[Placed]) -> list[Reason]:
        taken = {p.module_id for p in plan}
        missing = [Reason("required_missing", {"module": m}) for m in self.scenario.required_modules if m not in taken]
        excluded = [Reason("excluded_taken", {"module": m}) for m in self.scenario.excluded_modules if m in taken]
        return missing + excluded

    def _prerequisite_violations(self, plan: Sequence[Placed]) -> list[Reason]:
        """Rule 2: a taken module's prerequisites are taken, each in a strictly earlier term."""
        term = {p.module_id: p.term for p in plan}
        return [
            Reason("prerequisite_order", {"module": q.module_id, "prerequisite": q.prerequisite_id})
            for q in self.catalog.prerequisites
            if q.module_id in term and (q.prerequisite_id not in term or term[q.prerequisite_id] >= term[q.module_id])
        ]

    def _term_violations(self, tally: Tally) -> list[Reason]:
        """Rule 3, per term: hours and module counts within the scenario's bounds."""
        s = self.scenario
        out = []
        for t, (hours, count) in enumerate(zip(tally.term_hours, tally.term_modules, strict=True), start=1):
            if hours < s.term_hours_min:
                out.append(Reason("term_hours_low", {"term": t, "hours": hours, "limit": s.term_hours_min}))
            if s.term_hours_max is not None and hours > s.term_hours_max:
                out.append(Reason("term_hours_high", {"term": t, "hours": hours, "limit": s.term_hours_max}))
            if count < s.modules_per_term_min:
                out.append(Reason("term_modules_low", {"term": t, "count": count, "limit": s.modules_per_term_min}))
            if s.modules_per_term_max is not None and count > s.modules_per_term_max:
                out.append(Reason("term_modules_high", {"term": t, "count": count, "limit": s.modules_per_term_max}))
        return out

    def _total_violations(self, plan: Sequence[Placed], tally: Tally) -> list[Reason]:
        """The number of instructors teaching and the staffing cost."""
        s = self.scenario
        out = []
        used = len({who for p in plan for who in p.instructors if who in self.roster})
        if s.max_instructors_used is not None and used > s.max_instructors_used:
            out.append(Reason("instructors_high", {"count": used, "limit": s.max_instructors_used}))
        if s.max_cost is not None and tally.cost > s.max_cost:
            out.append(Reason("cost_high", {"cost": tally.cost, "limit": s.max_cost}))
        return out

    def _training_violations(self, plan: Sequence[Placed], training: Sequence[Training]) -> list[Reason]:
        """Bought training is on offer for a roster instructor and within the training budget; a
        taken module has min_qualified instructors of the roster, counting those trained for it."""
        offered = {(t.instructor_id, t.module_id): t.cost for t in self.catalog.training}
        out = [
            Reason("training_not_offered", {"instructor": t.instructor_id, "module": t.module_id, "cost": t.cost})
            for t in training
            if offered.get((t.instructor_id, t.module_id)) != t.cost or t.instructor_id not in self.roster
        ]
        need = self.scenario.min_qualified
        for p in plan if self.roster else ():
            trained = {t.instructor_id for t in training if t.module_id == p.module_id}
            if len(self.qualified(p.module_id) | trained) < need:
                out.append(Reason("too_few_qualified_taken", {"module": p.module_id, "needed": need}))
        spent = sum(t.cost for t in training)
        if spent > self.scenario.training_budget:
            out.append(Reason("training_over_budget", {"spent": spent, "budget": self.scenario.training_budget}))
        return out

    def _period_violations(self, tally: Tally) -> list[Reason]:
        """Instructor contracts (cap and floor) and lab capacities, per period, counting the hours
        committed to the campus's other careers; and the partner companies' hours."""
        out = []
        for who, per_period in tally.teaching.items():
            contract = self.roster[who]
            for n, hours in enumerate(per_period):
                total = hours + self.committed[who, n + 1]
                said = {"instructor": who, "hours": total, "period": period_data(self.scenario, n)}
                if total > contract.max_hours_per_term:
                    out.append(Reason("instructor_over", {**said, "limit": contract.max_hours_per_term}))
                if hours > 0 and total < contract.min_hours_per_term:
                    out.append(Reason("instructor_under", {**said, "limit": contract.min_hours_per_term}))
        for lab_id, per_period in tally.lab_hours.items():
            limit = self.lab_capacity(lab_id)
            for n, hours in enumerate(per_period):
                total = hours + self.lab_committed[lab_id, n + 1]
                if total > limit:
                    where = period_data(self.scenario, n)
                    out.append(Reason("lab_over", {"lab": lab_id, "hours": total, "period": where, "limit": limit}))
        most = self.scenario.max_company_hours
        for n, hours in enumerate(tally.company):
            if most is not None and hours > most:
                where = period_data(self.scenario, n)
                out.append(Reason("company_hours_over", {"hours": hours, "period": where, "limit": most}))
        return out

    def _coverage_violations(self, tally: Tally) -> list[Reason]:
        """Rule 5: each scenario sector's covered share of importance reaches its floor, exactly."""
        out = []
        for sector_id, (_weight, floor) in self.sector_goals().items():
            covered, total = tally.covered[sector_id]
            if total and Fraction(covered, total) < floor:
                said = {"sector": sector_id, "covered": covered, "total": total}
                out.append(Reason("sector_below_floor", {**said, "floor": [floor.numerator, floor.denominator]}))
        return out


def _plan_maps(plan: Sequence[Placed]) -> tuple[dict[str, int], dict[str, tuple[str | None, ...]]]:
    return {p.module_id: p.term for p in plan}, {p.module_id: p.instructors for p in plan}


def _on_path(track: str | None, reasons: list[Reason]) -> list[Reason]:
    """Reasons of one student path name its track (none without tracks)."""
    if track is None:
        return reasons
    return [Reason(r.code, {**r.params, "track": track}) for r in reasons]
