"""The `planner` command line: parses options, calls the library, maps errors to exit codes."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from planner import __version__, i18n
from planner.errors import InfeasibleError, InputError, PlannerError
from planner.i18n import _, ngettext
from planner.options import SolveOptions
from planner.result import PlanResult, Progress
from planner.signals import Interrupted, raising_on_stop
from planner.words.reasons import infeasibility, say

app = typer.Typer(
    help="Plan a CONALEP curriculum that covers priority-sector skills within hour and staffing limits.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# soft_wrap: a message stays on one line in logs and pipes, where rich would wrap at 80 columns.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")
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


def _run(action: Callable[[], T], debug: bool, written: Callable[[], str] = lambda: "") -> T:
    """Run a command body; package errors become a message on stderr and their exit code.

    Ctrl-C, SIGTERM and SIGHUP end it like an error (exit 128 + the signal's number), after the
    temporary files are removed; `written` says which outputs were complete by then, if any.
    """
    try:
        with raising_on_stop():
            return action()
    except PlannerError as error:
        _report(error)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt as error:
        done = written()
        if done:
            err.print(_("Interrupted; {files} had been written.", files=done), markup=False)
        else:
            err.print(_("Interrupted; nothing was written."), markup=False)
        raise typer.Exit(error.exit_code if isinstance(error, Interrupted) else 130) from None
    except Exception as error:  # noqa: BLE001 - the CLI promises no traceback without --debug
        if debug:
            traceback.print_exc()
        err.print(
            _("Unexpected error: {error}. Nothing was written. Run again with --debug for details.", error=error),
            markup=False,
        )
        raise typer.Exit(1) from None


def _report(error: PlannerError) -> None:
    if isinstance(error, InputError):
        heading = ngettext(
            "Invalid input ({count} problem); nothing was written:",
            "Invalid input ({count} problems); nothing was written:",
            len(error.issues),
        )
        err.print(heading, markup=False)
        for issue in error.issues:
            err.print(f"  {issue}", markup=False)
    elif isinstance(error, InfeasibleError):
        for line in infeasibility(error):
            err.print(line, markup=False)
    else:
        err.print(f"{error}", markup=False)


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
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
    from planner.planning import make_plan, output_paths

    written: list[Path] = []

    def body() -> PlanResult:
        workbook, plan_file = output_paths(scenario, out_file, json_file, force)
        with _progress_line() as progress:
            options = SolveOptions(time_limit, started=started)
            try:
                result = make_plan(scenario, catalog, options, progress, review)
            except InfeasibleError as error:  # with --json: the conflicts as data, and no workbook
                if json_file is not None and hasattr(error, "found"):
                    from planner.export.conflicts_file import write_conflicts_file

                    write_conflicts_file(plan_file, error.scenario, error.found, error.complete, force)  # type: ignore[attr-defined]
                    written.append(plan_file)
                raise
        from planner.export import write_outputs

        write_outputs(result, workbook, plan_file, force=force)
        written.extend((workbook, plan_file))
        _summary(result, workbook, plan_file)
        return result

    _run(body, debug, lambda: _("{first} and {second}", first=written[0], second=written[1]) if written else "")


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

    _run(body, debug)


class _ProgressLine:
    """The live line's content; rendered on every refresh so the elapsed time keeps moving."""

    def __init__(self) -> None:
        self.latest: Progress | None = None
        self.since = time.monotonic()

    def update(self, progress: Progress) -> None:
        self.latest = progress
        self.since = time.monotonic() - progress.elapsed

    def __rich__(self) -> Text:
        p = self.latest
        if p is None:
            return Text(_("Solving..."))
        best = "-" if p.best is None else str(p.best)
        bound = "-" if p.bound is None else str(p.bound)
        elapsed = time.monotonic() - self.since
        return Text(
            _(
                "Solving {stage} ({number}/{stages})  best {best}  bound {bound}  {elapsed} s of {limit} s",
                stage=objective_name(p.stage),
                number=p.stage_number,
                stages=p.stages,
                best=best,
                bound=bound,
                elapsed=f"{elapsed:.1f}",
                limit=f"{p.limit:g}",
            )
        )


@contextmanager
def _progress_line() -> Iterator[Callable[[Progress], None] | None]:
    """A live line on a terminal (stage, best value, bound, elapsed of the limit); silent otherwise."""
    if not err.is_terminal:
        yield None
        return
    line = _ProgressLine()
    with Live(line, console=err, transient=True, refresh_per_second=8):
        yield line.update


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
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for column in (_("sector"), _("coverage"), _("required"), ""):
        table.add_column(column)
    for sector in result.sector_coverage:
        table.add_row(
            sector.sector_id,
            f"{float(sector.ratio):.0%}",
            f"{float(sector.min_coverage):.0%}",
            "" if sector.met else _("below floor"),
        )
    if result.sector_coverage:
        out.print(table)
    out.print("  " + _("workbook: {path}", path=workbook), markup=False)
    out.print("  " + _("plan file: {path}", path=plan_file), markup=False)


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

    def body() -> None:
        from planner.planning import compare_output

        write_compare_workbook(load_plans(plans), compare_output(out_file, plans, force), force)
        out.print(str(out_file), markup=False)

    _run(body, debug)


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

    def body() -> None:
        from planner.export.conflicts_file import write_bindings_file, write_conflicts_file
        from planner.optimize.explain import bindings, infeasibility
        from planner.optimize.solve import DEFAULT_TIME_LIMIT
        from planner.planning import load_problem
        from planner.words.conflicts import binding_lines

        problem = load_problem(scenario, catalog)
        limit = time_limit or problem.scenario.time_limit_seconds or DEFAULT_TIME_LIMIT
        found, complete = bindings(problem, limit - (time.monotonic() - started))
        if found is None:  # infeasible: the conflicts
            error = infeasibility(problem, limit - (time.monotonic() - started))
            if json_file is not None:
                write_conflicts_file(json_file, error.scenario, error.found, error.complete, force)
            raise error  # reported on stderr with exit 3, as `plan` does
        if json_file is not None:
            write_bindings_file(json_file, problem.scenario.name, found, complete, force)
        for line in binding_lines(found, complete):
            out.print(line, markup=False)

    _run(body, debug)


EXIT_SOME_CAMPUSES_NOT_PLANNED = 5


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
    from planner.batch import RolloutRun, campus_paths, load_rollout, run_rollout
    from planner.cli_batch import campus_progress, rollout_summary, written_campuses

    run = RolloutRun()

    def body() -> None:
        rollout = load_rollout(rollout_file)
        national = out_file or Path("exports") / f"{rollout_file.stem}.xlsx"
        with campus_progress(len(rollout.jobs)) as done:
            run_rollout(rollout, national, force, scheduler, i18n.current(), done, run)
        rollout_summary(run, national, campus_paths(rollout, national)[0])

    _run(body, debug, lambda: written_campuses(run))
    if run.count("failed"):
        raise typer.Exit(EXIT_SOME_CAMPUSES_NOT_PLANNED)
