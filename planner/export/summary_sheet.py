"""The Summary sheet: the facts an administrator decides on, in plain sentences, then the details.

Charts come last, on their own printed page, so the tables print at a readable size.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from planner.export import styles
from planner.export.cells import add_bar_chart, flag_no, write_line, write_row, write_table
from planner.export.labels import answers, groups_text, limit_name, objective_word, period_name, status_words, yes_no
from planner.export.printing import chart_page
from planner.export.sentences import coverage_sentences, gap_cause
from planner.export.track_tables import paths_table
from planner.export.training_sheet import score_of
from planner.i18n import _, ngettext
from planner.result import PlanResult
from planner.words.reasons import say


def summary_sheet(ws: Worksheet, result: PlanResult, guide: list[tuple[str, str]]) -> None:
    """Status and decision facts first, then coverage per sector and why needs stay open, then
    the details tables, the sheet guide and, on a page of their own, the charts."""
    ws.title = _("Summary")
    scenario = result.problem.scenario
    row = write_line(ws, 1, _("Curriculum plan: {name}", name=scenario.name), styles.TITLE)
    row = write_line(ws, row, status_words(result.status), styles.SENTENCE)
    for text in decision_facts(result):
        row = write_line(ws, row, text, styles.SENTENCE)
    for text, kind in coverage_sentences(result):
        row = write_line(ws, row, text, styles.ALERT if kind == "alert" else styles.SENTENCE)
        if kind == "cause":
            ws.cell(row=row - 1, column=1).alignment = styles.INDENTED
    row = _rule_check(ws, row, result)
    order = ", ".join(objective_word(key) for key in scenario.objective)
    row = write_line(ws, row, _("Objectives, in order of priority: {order}.", order=order))
    row = write_line(ws, row + 1, _("Details"), styles.HEADING)
    value = _("Value")
    figures = key_figures(result)
    top = row
    headers = (_("Figure"), value, _("Note"))
    row = write_table(ws, row, 1, headers, figures, "KeyFigures", {value: styles.COUNT}, align={value: styles.LEFT})
    money = [n for n, (figure, _v, _note) in enumerate(figures, start=1) if figure == _("Staffing cost")]
    for n in money:
        ws.cell(row=top + n, column=2).number_format = styles.MONEY
    row = write_line(ws, row + 1, _("Coverage by sector"), styles.HEADING)
    sectors_top = row
    row = _sector_table(ws, row, result)
    row = paths_table(ws, row, result, answers())  # with tracks: the floors hold per student path
    row = write_line(ws, row + 1, _("Hours per term"), styles.HEADING)
    terms_top = row
    row = _terms_table(ws, row, result)
    row = write_line(ws, row + 1, _("Sheets in this workbook"), styles.HEADING)
    for sheet, what in guide:
        row = write_line(ws, row, _("{sheet} sheet: {what}", sheet=sheet, what=what))
    _charts(ws, row + 1, sectors_top, len(result.sector_coverage), terms_top, scenario.terms)
    ws.freeze_panes = "A2"


def decision_facts(result: PlanResult) -> list[str]:
    """What the plan asks of the administration: modules to develop or confirm, teachers to train
    or hire, and, after a review, what the decisions cost."""
    catalog = result.problem.catalog
    statuses = Counter(
        (catalog.module_by_id[p.module_id].extra.get("status") or "").strip().lower() for p in result.placements
    )
    facts = []
    if statuses["proposed"] or statuses["assumed"]:
        facts.append(
            _(
                "Modules: {proposed} of the {count} taken are proposed (to be developed: they do not exist at "
                "CONALEP yet) and {assumed} are assumed (hours or code to confirm against the official programme).",
                proposed=statuses["proposed"],
                count=len(result.placements),
                assumed=statuses["assumed"],
            )
        )
    facts += _staffing_facts(result)
    review = result.problem.review
    if review is not None:
        facts.append(_review_fact(result))
    return facts


def _staffing_facts(result: PlanResult) -> list[str]:
    causes = Counter(gap_cause(gap) for gap in result.gaps)
    facts = []
    if result.training:
        spent = sum(t.cost for t in result.training)
        facts.append(
            ngettext(
                "Training: the plan needs {count} teacher trained (cost ${cost:,}); see the Training sheet.",
                "Training: the plan needs {count} teachers trained (cost ${cost:,}); see the Training sheet.",
                len(result.training),
                cost=spent,
            )
        )
    if causes["no_instructor"]:
        facts.append(
            ngettext(
                "Training or hiring: {count} open need has no teacher qualified for a module that covers it.",
                "Training or hiring: {count} open needs have no teacher qualified for a module that covers them.",
                causes["no_instructor"],
            )
        )
    if causes["instructor_hours"] or causes["staff_or_budget"]:
        facts.append(
            ngettext(
                "Hiring: {count} open need waits for teaching hours (qualified teachers are full, or the "
                "staffing limits are reached).",
                "Hiring: {count} open needs wait for teaching hours (qualified teachers are full, or the "
                "staffing limits are reached).",
                causes["instructor_hours"] + causes["staff_or_budget"],
            )
        )
    if not facts and result.problem.instructors:
        facts.append(_("Staffing: the campus's teachers cover the plan; no training or hiring is needed."))
    return facts


def _review_fact(result: PlanResult) -> str:
    """After a review: optimal given the decisions, and the coverage the decisions cost."""
    review = result.problem.review
    assert review is not None
    before = score_of(result, {row.module_id for row in review.rows})
    now = result.objectives["coverage"]
    return ngettext(
        "Reviewed plan: the best plan given the {count} decision of {file}. Coverage score of the "
        "reviewed workbook's plan: {before:,}; of this plan: {now:,}.",
        "Reviewed plan: the best plan given the {count} decisions of {file}. Coverage score of the "
        "reviewed workbook's plan: {before:,}; of this plan: {now:,}.",
        len(review.decisions),
        file=review.file,
        before=before,
        now=now,
    )


def _rule_check(ws: Worksheet, row: int, result: PlanResult) -> int:
    broken = result.violations()
    if not broken:
        return write_line(ws, row, _("Rule check: the plan keeps every planning rule of the scenario."))
    row = write_line(
        ws,
        row,
        ngettext(
            "Rule check: this plan breaks {count} planning rule:",
            "Rule check: this plan breaks {count} planning rules:",
            len(broken),
        ),
        styles.ALERT,
    )
    for rule in broken:
        row = write_line(ws, row, f"- {say(rule)}", styles.ALERT)
    return row


def _sector_table(ws: Worksheet, top: int, result: PlanResult) -> int:
    sectors = [
        (s.name, s.weight, s.covered_importance, s.total_importance, float(s.ratio), float(s.min_coverage))
        + (yes_no(s.met),)
        for s in result.sector_coverage
    ]
    headers = (
        _("Sector name"),
        _("Weight"),
        _("Covered importance"),
        _("Total importance"),
        _("Coverage %"),
        _("Required %"),
        _("Met"),
    )
    percent = {_("Coverage %"): styles.PERCENT, _("Required %"): styles.PERCENT}
    centred = {_("Met"): styles.CENTER}
    none_text = _("No sector in this scenario.")
    end = write_table(ws, top, 1, headers, sectors, "SectorCoverage", percent, none_text, align=centred)
    flag_no(ws, top + 1, top + len(sectors), len(headers), answers()[1])
    return end


def _terms_table(ws: Worksheet, top: int, result: PlanResult) -> int:
    catalog = result.problem.catalog
    per_term: Counter[int] = Counter()  # a track module runs its track's groups, not the semester's
    for p in result.placements:
        per_term[p.term] += catalog.module_by_id[p.module_id].hours * len(p.instructors)
    terms = [
        (t, count, hours, per_term[t])
        for t, (count, hours) in enumerate(zip(result.term_module_counts, result.term_hours, strict=True), start=1)
    ]
    headers = (_("Term"), _("Modules"), _("Term hours"), _("Group-hours"))
    formats = {_("Term hours"): styles.HOURS, _("Group-hours"): styles.HOURS}
    row = write_table(ws, top, 1, headers, terms, "TermTotals", formats, align={_("Term"): styles.CENTER})
    hours = result.objectives["hours"]
    write_row(ws, row, 1, (_("All terms"), len(result.placements), hours, result.group_hours), styles.TOTAL)
    for column in (3, 4):
        ws.cell(row=row, column=column).number_format = styles.HOURS
    return write_line(
        ws,
        row + 1,
        _(
            "Term hours count each module once; group-hours count it once per group (hours x {groups} groups).",
            groups=groups_text(result.problem.scenario),
        ),
    )


def _charts(ws: Worksheet, row: int, sectors_top: int, sectors: int, terms_top: int, terms: int) -> None:
    chart_page(ws, row)
    row += add_bar_chart(
        ws,
        title=_("Coverage by sector"),
        header_row=sectors_top,
        last_row=sectors_top + sectors,
        category_column=1,
        value_columns=(5, 6),
        anchor=f"A{row}",
        axis_title=_("share of importance"),
        percent=True,
        horizontal=True,
    )
    add_bar_chart(
        ws,
        title=_("Hours per term"),
        header_row=terms_top,
        last_row=terms_top + terms,
        category_column=1,
        value_columns=(3,),
        anchor=f"A{row}",
        axis_title=_("hours"),
    )


def key_figures(result: PlanResult) -> list[tuple[str, Any, str]]:
    scenario = result.problem.scenario
    objectives = result.objectives
    largest = ", ".join(str(t) for t, hours in enumerate(result.term_hours, start=1) if hours == objectives["balance"])
    share = objectives["coverage"] * 100 // result.max_coverage if result.max_coverage else 100
    met = sum(1 for s in result.sector_coverage if s.met)
    if result.problem.instructors:
        instructors: tuple[str, Any, str] = (
            _("Instructors used"),
            result.instructors_used,
            _("of {count} in the catalog", count=len(result.problem.instructors)),
        )
    else:
        instructors = (_("Instructors used"), _("none"), _("the catalog has no instructors"))
    return [
        (_("Terms"), scenario.terms, ""),
        (_("Groups per module"), groups_text(scenario), _("parallel student groups")),
        (_("Modules taken"), len(result.placements), ""),
        (_("Total hours"), objectives["hours"], limit_note(scenario.total_hours_max, "hours.total_max")),
        (_("Group-hours"), result.group_hours, _("hours x groups")),
        *_dual_figures(result),
        (_("Largest term (hours)"), objectives["balance"], _("term {terms}", terms=largest)),
        (
            _("Coverage score"),
            objectives["coverage"],
            _(
                "{share}% of the maximum {maximum:,} (importance x sector weight)",
                share=share,
                maximum=result.max_coverage,
            ),
        ),
        (_("Sectors meeting their goal"), met, _("of {count}", count=len(result.sector_coverage))),
        (_("Uncovered demands"), len(result.gaps), _("see the Gaps sheet")),
        instructors,
        (_("Staffing cost"), objectives["cost"], limit_note(scenario.max_cost, "budget.max_cost", money=True)),
        (_("Modules only one instructor can teach"), len(result.sole_teacher), _("see the Plan sheet")),
    ]


def _dual_figures(result: PlanResult) -> list[tuple[str, Any, str]]:
    """Dual training: the dual groups, and per period the partner companies' hours against the cap."""
    scenario = result.problem.scenario
    if not any(scenario.dual):
        return []
    groups = (_("Dual groups"), ", ".join(map(str, scenario.dual)), _("per term, the first groups of each module"))
    return [
        groups,
        *(
            (
                _("Company hours, {period}", period=period_name(scenario, p)),
                hours,
                limit_note(scenario.max_company_hours, "dual.max_company_hours"),
            )
            for p, hours in enumerate(result.company_hours)
        ),
    ]


def limit_note(limit: int | None, key: str, money: bool = False) -> str:
    if limit is None:
        return _("no limit")
    shown = f"${limit:,}" if money else f"{limit:,}"
    return _("limit {limit} ({limit_name})", limit_name=limit_name(key), limit=shown)
