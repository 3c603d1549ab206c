"""The `planner` command line: parses options, calls the library, maps errors to exit codes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planner import __version__, i18n
from planner.console import err, out, progress_line, run_command, show_results, tolerate_unencodable
from planner.errors import InfeasibleError
from planner.i18n import _, ngettext
from planner.options import SolveOptions
from planner.result import PlanResult
from planner.words.reasons import say

app = typer.Typer(
    help="Plan a CONALEP curriculum that covers priority-sector skills within hour and staffing limits.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
DebugOption = Annotated[bool, typer.Option("--debug", help="Show the traceback of unexpected errors.")]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", help="Language of the workbook and messages: es or en (default: the scenario's, else es)."),
]


def _use_language(option: str | None, scenario: Path | None = None) -> None:
    """--lang wins, then the scenario's `language`, then Spanish; an unknown --lang is refused."""
    from planner.scenario import language_named_in

    if option is not None and option not in i18n.languages():
        err.print(
            _(
                "--lang must be one of {languages}, not '{option}'.",
                languages=", ".join(i18n.languages()),
                option=option,
            ),
            markup=False,
        )
        raise typer.Exit(2)
    chosen = option or (language_named_in(scenario) if scenario is not None else None)
    i18n.use(chosen or i18n.DEFAULT_LANGUAGE)


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    tolerate_unencodable()  # before any message, --lang's own included
    if version:
        out.print(f"planner {__version__}")
        raise typer.Exit(0)


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file, e.g. seeds/semiconductor_backend_baja.toml.")],
    catalog: Annotated[Path | None, typer.Option(help="Catalog folder or .xlsx (overrides the scenario's).")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Workbook to write (.xlsx).")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Plan file to write (.json).")] = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.1, help="Seconds for the whole run (default: scenario's, else 60)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")] = False,
    lang: LangOption = None,
    fast: Annotated[
        bool,
        typer.Option(
            "--fast",
            hidden=True,  # accepted so that existing scripts run on; every run now ends each stage at its first proof
            help="No effect: kept for scripts written for earlier versions.",
        ),
    ] = False,
    debug: DebugOption = False,
    review: Annotated[Path | None, typer.Option("--review", help="Reviewed workbook whose decisions hold.")] = None,
) -> None:
    """Solve SCENARIO and write the Excel workbook and the JSON plan file."""
    started = time.monotonic()  # --time-limit bounds the whole run, from here
    _use_language(lang, scenario)
    from planner.export.paths import plan_outputs
    from planner.planning import make_plan, run_inputs

    written: list[Path] = []

    def body() -> PlanResult:
        inputs = run_inputs(scenario, catalog, review)
        workbook, plan_file = plan_outputs(scenario, out_file, json_file, force, inputs)
        with progress_line(objective_name) as progress:
            options = SolveOptions(time_limit, started=started)
            try:
                result = make_plan(scenario, catalog, options, progress, review)
            except InfeasibleError as error:  # with --json: the conflicts as data, and no workbook
                if json_file is not None:
                    from planner.export.conflicts_file import write_conflicts_file

                    write_conflicts_file(plan_file, error.scenario, error.found, error.complete, force, inputs, written)
                raise
        from planner.export import write_outputs

        write_outputs(result, workbook, plan_file, force, inputs, written)
        show_results(lambda: _summary(result, workbook, plan_file), written)
        return result

    run_command(body, debug, lambda: written)


@app.command()
def validate(
    catalog: Annotated[
        Path | None, typer.Argument(help="Catalog folder or .xlsx (default: the scenario's, else ./catalog).")
    ] = None,
    scenario: Annotated[Path | None, typer.Option(help="Also check this scenario against the catalog.")] = None,
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """Check a catalog (and optionally a scenario) and report every problem found."""
    _use_language(lang, scenario)
    from planner.planning import check_inputs

    def body() -> None:
        checked, problem = check_inputs(catalog, scenario)
        out.print(
            _(
                "Catalog {source} is valid: {sectors} sectors, {skills} skills, {demands} demands, "
                "{modules} modules, {instructors} instructors.",
                source=checked.source,
                sectors=len(checked.sectors),
                skills=len(checked.skills),
                demands=len(checked.demands),
                modules=len(checked.modules),
                instructors=len(checked.instructors),
            ),
            markup=False,
        )
        if problem is not None:
            out.print(
                ngettext(
                    "Scenario '{name}' is valid: {candidates} candidate modules, {demands} demands of {count} sector.",
                    "Scenario '{name}' is valid: {candidates} candidate modules, {demands} demands of {count} sectors.",
                    len(problem.sector_ids),
                    name=problem.scenario.name,
                    candidates=len(problem.candidates),
                    demands=len(problem.demand_rows),
                ),
                markup=False,
            )
            if problem.blocked:
                out.print(
                    ngettext(
                        "{count} candidate module can never be taken in this scenario:",
                        "{count} candidate modules can never be taken in this scenario:",
                        len(problem.blocked),
                    ),
                    markup=False,
                )
                for i, why in sorted(problem.blocked.items()):
                    out.print(f"  {problem.candidates[i].module_id}: {say(why)}", markup=False)

    run_command(body, debug)


def objective_name(name: str) -> str:
    """An objective of the scenario's `objective` list, in words."""
    names = {"coverage": _("coverage"), "hours": _("hours"), "balance": _("balance"), "cost": _("cost")}
    return names.get(name, name)


def _summary(result: PlanResult, workbook: Path, plan_file: Path) -> None:
    objectives = result.objectives
    name, seconds = result.problem.scenario.name, f"{result.solver.seconds:.1f}"
    if result.status.value == "OPTIMAL":
        line = _("{name}: OPTIMAL (proven optimal) in {seconds} s", name=name, seconds=seconds)
    else:
        line = _("{name}: FEASIBLE (best found within the time limit) in {seconds} s", name=name, seconds=seconds)
    out.print(line, markup=False)
    out.print(
        "  "
        + _(
            "{modules} modules, {hours} h in total, largest term {balance} h, coverage score {coverage} of {most}",
            modules=len(result.placements),
            hours=objectives["hours"],
            balance=objectives["balance"],
            coverage=objectives["coverage"],
            most=result.max_coverage,
        ),
        markup=False,
    )
    if result.tracks:
        out.print("  " + _("tracks offered: {tracks}", tracks=", ".join(result.tracks)), markup=False)
    if result.sector_coverage:
        out.print(_coverage_table(result))
    out.print("  " + _("workbook: {path}", path=workbook), markup=False)
    out.print("  " + _("plan file: {path}", path=plan_file), markup=False)


def _coverage_table(result: PlanResult) -> Table:
    """Coverage per sector against its floor; with tracks, on each student path (where floors hold)."""
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    paths = result.paths if result.tracks else ()
    shares = [_("coverage")] if not paths else [_("coverage on {track}", track=p.track_id) for p in paths]
    for column in (_("sector"), *shares, _("required"), ""):
        table.add_column(column)
    for k, sector in enumerate(result.sector_coverage):
        total = sector.total_importance
        ratios = [float(sector.ratio)] if not paths else [p.covered[k] / total if total else 1.0 for p in paths]
        below = any(r < sector.min_coverage for r in ratios) if paths else not sector.met
        row = (sector.sector_id, *(f"{r:.0%}" for r in ratios), f"{float(sector.min_coverage):.0%}")
        table.add_row(*row, _("below floor") if below else "")
    return table


@app.command()
def compare(
    plans: Annotated[list[Path], typer.Argument(help="Plan files (.json) written by planner plan.")],
    out_file: Annotated[Path, typer.Option("--out", help="Workbook to write (.xlsx).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing workbook.")] = False,
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """Put plans side by side in one workbook: objectives, coverage, modules, loads and cost."""
    _use_language(lang)
    from planner.compare import load_plans
    from planner.export.compare_workbook import write_compare_workbook

    written: list[Path] = []

    def body() -> None:
        from planner.export.paths import one_output

        workbook = one_output("--out", out_file, force, plans)
        write_compare_workbook(load_plans(plans), workbook, force)
        written.append(workbook)
        show_results(lambda: out.print(str(workbook), markup=False), written)

    run_command(body, debug, lambda: written)


@app.command()
def explain(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    catalog: Annotated[Path | None, typer.Option(help="Catalog folder or .xlsx (overrides the scenario's).")] = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.1, help="Seconds for the whole run (default: scenario's, else 60)."),
    ] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --json file.")] = False,
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """What binds the plan of SCENARIO (limits whose relaxation raises coverage), or why it has none."""
    started = time.monotonic()
    _use_language(lang, scenario)

    written: list[Path] = []

    def body() -> None:
        from planner.export.conflicts_file import write_bindings_file, write_conflicts_file
        from planner.export.paths import one_output
        from planner.planning import explain as explained
        from planner.planning import run_inputs
        from planner.words.conflicts import binding_lines

        inputs = run_inputs(scenario, catalog)
        if json_file is not None:  # checked before the analysis, which may take the whole limit
            one_output("--json", json_file, force, inputs, workbook=False)
        try:
            found = explained(scenario, catalog, SolveOptions(time_limit, started=started))
        except InfeasibleError as error:
            if json_file is not None:
                write_conflicts_file(json_file, error.scenario, error.found, error.complete, force, inputs, written)
            raise  # reported on stderr with exit 3, as `plan` does
        if json_file is not None:
            write_bindings_file(json_file, found.scenario, found.bindings, found.complete, force, inputs, written)
        show_results(lambda: _lines(binding_lines(found.bindings, found.complete)), written)

    run_command(body, debug, lambda: written)


def _lines(lines: list[str]) -> None:
    for line in lines:
        out.print(line, markup=False)


@app.command()
def batch(
    rollout_file: Annotated[Path, typer.Argument(help="Rollout TOML file listing the campus scenarios.")],
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="A running Dask scheduler, tcp://host:port (default: a local cluster)."),
    ] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="National workbook to write (.xlsx).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-plan every campus and replace existing files.")] = False,
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """Plan every campus of a national rollout on Dask and write one national workbook."""
    _use_language(lang)
    from planner.cli_batch import campus_progress, rollout_summary, written_campuses
    from planner.errors import SomeCampusesNotPlanned
    from planner.export.paths import EXPORTS
    from planner.rollout import RolloutRun, campus_paths, load_rollout, run_rollout

    run = RolloutRun()

    def body() -> None:
        rollout = load_rollout(rollout_file)
        national = out_file or EXPORTS / f"{rollout_file.stem}.xlsx"
        with campus_progress(len(rollout.jobs)) as done:
            run_rollout(rollout, national, force, scheduler, i18n.current(), done, run)
        written = [w for w in (written_campuses(run), str(national)) if w]
        show_results(lambda: rollout_summary(run, national, campus_paths(rollout, national)[0]), written)
        if run.count("failed"):
            raise SomeCampusesNotPlanned()  # each was named with its reason in the summary

    run_command(body, debug, lambda: [w for w in (written_campuses(run),) if w])
