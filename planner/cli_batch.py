"""The `batch` command's terminal output: a progress bar of campuses, one line per campus, a summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planner.console import err, out
from planner.export.national import CampusRow
from planner.i18n import _, ngettext
from planner.rollout import RolloutRun
from planner.words.batch import status_word


@contextmanager
def campus_progress(total: int) -> Iterator[Callable[[CampusRow], None]]:
    """A bar counting campuses planned, not planned and skipped (on a terminal only), and a line
    per campus as its status becomes known (always, so logs show it)."""
    counts = {"planned": 0, "failed": 0, "skipped": 0}

    def label() -> str:
        return _(
            "{planned} planned, {failed} not planned, {skipped} skipped",
            planned=counts["planned"],
            failed=counts["failed"],
            skipped=counts["skipped"],
        )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with bar:
        task = bar.add_task(label(), total=total)

        def done(row: CampusRow) -> None:
            counts[row.status] += 1
            bar.update(task, advance=1, description=label())
            if row.reason:
                line = _(
                    "Campus {campus}: {status} ({reason})",
                    campus=row.key,
                    status=status_word(row.status),
                    reason=row.reason,
                )
            else:
                line = _("Campus {campus}: {status}", campus=row.key, status=status_word(row.status))
            (err if row.status == "failed" else out).print(line, markup=False)

        yield done


def rollout_summary(run: RolloutRun, national: Path, folder: Path) -> None:
    rows = [r for r in run.rows if r is not None]
    failed = [r for r in rows if r.status == "failed"]
    out.print(
        _(
            "{planned} campuses planned, {skipped} current (skipped), {failed} not planned.",
            planned=run.count("planned"),
            skipped=run.count("skipped"),
            failed=len(failed),
        ),
        markup=False,
    )
    out.print(_("  national workbook: {path}", path=national), markup=False)
    out.print(_("  campus files: {folder}", folder=folder), markup=False)
    if failed:
        heading = ngettext("{count} campus was not planned:", "{count} campuses were not planned:", len(failed))
        err.print(heading, markup=False)
        for r in failed:
            err.print(f"  {r.key}: {r.reason}", markup=False)


def written_campuses(run: RolloutRun) -> str:
    """For the interruption message: how many campuses' files had been written."""
    if not run.written:
        return ""
    return ngettext("the files of {count} campus", "the files of {count} campuses", run.written)
