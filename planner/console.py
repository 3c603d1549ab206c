"""The consoles, and the one place where a command's exit status and its last words are decided.

`out` (stdout) carries results, `err` (stderr) messages and the live lines. A console that fails
(stdout on a full disk, a closed pipe, an encoding without accents) never decides the outcome of
a run: once files are written, what was written is said on stderr, if it can be, and the run
still exits 0.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.live import Live
from rich.text import Text

from planner import i18n
from planner.errors import InfeasibleError, InputError, PlannerError
from planner.i18n import _, ngettext
from planner.result import Progress
from planner.signals import Interrupted, checkpoint, raising_on_stop

# soft_wrap: a message stays on one line in logs and pipes, where rich would wrap at 80 columns.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")
A = TypeVar("A")


def run_command(action: Callable[[], T], debug: bool, written: Callable[[], Sequence[Path | str]] = list) -> T:
    """Run a command body; package errors become a message on stderr and their exit code.

    Ctrl-C, SIGTERM and SIGHUP end it like an error (exit 128 + the signal's number), after the
    temporary files are removed; `written` names the outputs complete by then, if any, so every
    last message tells the truth about what is on disk.
    """
    tolerate_unencodable()
    try:
        with raising_on_stop():
            value = action()
            checkpoint()  # a signal kept during an import or the renames is not ignored
            return value
    except PlannerError as error:
        _say(report, error)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt as error:
        done = _files(written())
        if done:
            _say(_message, _("Interrupted; {files} had been written.", files=done))
        else:
            _say(_message, _("Interrupted; nothing was written."))
        raise typer.Exit(error.exit_code if isinstance(error, Interrupted) else 130) from None
    except Exception as error:  # noqa: BLE001 - the CLI promises no traceback without --debug
        if debug:
            traceback.print_exc()
        _say(_message, _unexpected(error, _files(written())))
        raise typer.Exit(1) from None


def _unexpected(error: Exception, done: str) -> str:
    if done:
        return _(
            "Unexpected error: {error}. {files} had been written. Run again with --debug for details.",
            error=error,
            files=done,
        )
    return _("Unexpected error: {error}. Nothing was written. Run again with --debug for details.", error=error)


def show_results(show: Callable[[], None], written: Sequence[Path | str]) -> None:
    """Print a run's results on stdout after its files were written; if stdout fails, say on
    stderr what was written and carry on: the files are safe, so the run still succeeds."""
    try:
        show()
        sys.stdout.flush()
    except (OSError, ValueError, SystemExit) as error:  # rich ends with SystemExit on a broken pipe
        _mute_stdout()
        why = getattr(error, "strerror", None) or (_("Broken pipe") if isinstance(error, SystemExit) else str(error))
        _say(
            _message, _("{files} were written; the summary could not be shown: {why}.", files=_files(written), why=why)
        )


def report(error: PlannerError) -> None:
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
        from planner.words.conflicts import infeasibility

        for line in infeasibility(error):
            err.print(line, markup=False)
    elif str(error):
        err.print(f"{error}", markup=False)


def _files(paths: Sequence[Path | str]) -> str:
    names = [str(p) for p in paths]
    if len(names) == 2:
        return _("{first} and {second}", first=names[0], second=names[1])
    return ", ".join(names)


def _message(text: str) -> None:
    err.print(text, markup=False)


def _say(show: Callable[[A], None], what: A) -> None:
    """A last message on stderr: if stderr itself fails there is nowhere left to say it."""
    with contextlib.suppress(OSError, ValueError, SystemExit):  # SystemExit: rich, on a broken pipe
        show(what)


def tolerate_unencodable() -> None:
    """Spanish text on a console whose encoding lacks accents is shown with '?', not an error."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="replace")


def _mute_stdout() -> None:
    """Point a failed stdout at the null device, so what is left in its buffer cannot fail again
    when the interpreter flushes it on exit (which would turn a finished run into exit 120)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        return
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()


# --- the live line while solving -------------------------------------------------------------------


class ProgressLine:
    """The live line's content; rendered on every refresh so the elapsed time keeps moving.

    rich draws it from its own refresh thread, which does not inherit the command's language (a
    ContextVar), so the line sets that thread's language to the command's before drawing.
    """

    def __init__(self, stage_name: Callable[[str], str]) -> None:
        self.latest: Progress | None = None
        self.since = time.monotonic()
        self.stage_name = stage_name
        self.language = i18n.current()

    def update(self, progress: Progress) -> None:
        self.latest = progress
        self.since = time.monotonic() - progress.elapsed

    def __rich__(self) -> Text:
        if i18n.current() != self.language:
            i18n.use(self.language)
        return self.text()

    def text(self) -> Text:
        p = self.latest
        if p is None:
            return Text(_("Solving..."))
        best = "-" if p.best is None else str(p.best)
        bound = "-" if p.bound is None else str(p.bound)
        elapsed = time.monotonic() - self.since
        return Text(
            _(
                "Solving {stage} ({number}/{stages})  best {best}  bound {bound}  {elapsed} s of {limit} s",
                stage=self.stage_name(p.stage),
                number=p.stage_number,
                stages=p.stages,
                best=best,
                bound=bound,
                elapsed=f"{elapsed:.1f}",
                limit=f"{p.limit:g}",
            )
        )


@contextmanager
def progress_line(stage_name: Callable[[str], str]) -> Iterator[Callable[[Progress], None] | None]:
    """A live line on a terminal (stage, best value, bound, elapsed of the limit); silent otherwise."""
    if not err.is_terminal:
        yield None
        return
    line = ProgressLine(stage_name)
    with Live(line, console=err, transient=True, refresh_per_second=8):
        yield line.update
