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
from planner.i18n import ngettext
from planner.options import SolveOptions
from planner.result import PlanResult, Progress
from planner.signals import Interrupted, raising_on_stop

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
        err.print(f"--lang must be one of {', '.join(i18n.languages())}, not '{option}'.", markup=False)
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
        err.print(f"Interrupted; {done + ' had been written' if done else 'nothing was written'}.", markup=False)
        raise typer.Exit(error.exit_code if isinstance(error, Interrupted) else 130) from None
    except Exception as error:  # noqa: BLE001 - the CLI promises no traceback without --debug
        if debug:
            traceback.print_exc()
        err.print(
            f"Unexpected error: {error}. Nothing was written. Run again with --debug for details.",
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
        err.print(str(error), markup=False)
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
            help="Let the solver's workers race freely: often faster on large catalogs, but among "
            "equally good plans the one written may differ from run to run.",
        ),
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Solve SCENARIO and write the Excel workbook and the JSON plan file."""
    started = time.monotonic()  # --time-limit bounds the whole run, from here
    _use_language(lang, scenario)
    from planner.planning import make_plan, output_paths

    written: list[Path] = []

    def body() -> PlanResult:
        workbook, plan_file = output_paths(scenario, out_file, json_file, force)
        with _progress_line() as progress:
            options = SolveOptions(time_limit, reproducible=not fast, started=started)
            result = make_plan(scenario, catalog, options, progress)
        from planner.export import write_outputs

        write_outputs(result, workbook, plan_file, force=force)
        written.extend((workbook, plan_file))
        _summary(result, workbook, plan_file)
        return result

    _run(body, debug, lambda: " and ".join(str(p) for p in written))


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
            f"Catalog {checked.source} is valid: {len(checked.sectors)} sectors, {len(checked.skills)} skills, "
            f"{len(checked.demands)} demands, {len(checked.modules)} modules, {len(checked.instructors)} instructors.",
            markup=False,
        )
        if problem is not None:
            sectors = len(problem.sector_ids)
            out.print(
                f"Scenario '{problem.scenario.name}' is valid: {len(problem.candidates)} candidate modules, "
                f"{len(problem.demand_rows)} demands of {sectors} sector{'s' if sectors != 1 else ''}.",
                markup=False,
            )
            if problem.blocked:
                out.print(
                    f"{len(problem.blocked)} candidate modules can never be taken in this scenario:", markup=False
                )
                for i, why in sorted(problem.blocked.items()):
                    out.print(f"  {problem.candidates[i].module_id}: {why}", markup=False)

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
            return Text("Solving...")
        best = "-" if p.best is None else str(p.best)
        bound = "-" if p.bound is None else str(p.bound)
        elapsed = time.monotonic() - self.since
        return Text(
            f"Solving {p.stage} ({p.stage_number}/{p.stages})  best {best}  bound {bound}  "
            f"{elapsed:.1f} s of {p.limit:g} s"
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


def _summary(result: PlanResult, workbook: Path, plan_file: Path) -> None:
    objectives = result.objectives
    verdict = "proven optimal" if result.status.value == "OPTIMAL" else "best found within the time limit"
    out.print(
        f"{result.problem.scenario.name}: {result.status.value} ({verdict}) in {result.solver.seconds:.1f} s",
        markup=False,
    )
    out.print(
        f"  {len(result.placements)} modules, {objectives['hours']} h in total, "
        f"largest term {objectives['balance']} h, coverage score {objectives['coverage']} of {result.max_coverage}",
        markup=False,
    )
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for column in ("sector", "coverage", "required", ""):
        table.add_column(column)
    for sector in result.sector_coverage:
        table.add_row(
            sector.sector_id,
            f"{float(sector.ratio):.0%}",
            f"{float(sector.min_coverage):.0%}",
            "" if sector.met else "below floor",
        )
    if result.sector_coverage:
        out.print(table)
    out.print(f"  workbook: {workbook}\n  plan file: {plan_file}", markup=False)


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
