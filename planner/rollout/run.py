"""The rollout as one library call: skip the campuses that are current, plan the others on Dask,
write each campus's files as they arrive, then the national workbook."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import OutputError
from planner.export.paths import refuse_inputs
from planner.i18n import _
from planner.loaders.campuses import campus_place
from planner.rollout.cluster import plan_on_dask
from planner.rollout.file import CampusJob, Rollout, rollout_inputs
from planner.rollout.resume import campus_paths, check_national_output, inputs_fingerprint, recorded_plan
from planner.rollout.task import CampusOutcome

OPTIONS = {"seed": 1}  # a record of older options (e.g. "reproducible", before the canonical plan) is re-planned


@dataclass
class RolloutRun:
    """What happened to every campus, in rollout order; `written` counts the campuses written."""

    rows: list[Any] = field(default_factory=list)
    written: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r is not None and r.status == status)


def run_rollout(
    rollout: Rollout,
    out: Path,
    force: bool,
    scheduler: str | None,
    language: str,
    on_done: Any = None,
    run: RolloutRun | None = None,
) -> RolloutRun:
    """Plan every campus that is not current, write each as it finishes, then the national workbook.

    `on_done(row)` is called for every campus as its status becomes known (skipped ones first).
    """
    from planner.export.national import CampusRow, write_campus_files, write_national

    paths = campus_paths(rollout, out)[1]
    outputs = [("--out", out)] + [("--out", path) for pair in paths.values() for path in pair]
    refuse_inputs(outputs, rollout_inputs(rollout))  # no output may replace an input, even with --force
    replace_national = check_national_output(out, force)
    # The language is an option too: a campus workbook in another language is not current.
    options = {"time_limit_seconds": rollout.time_limit, **OPTIONS, "language": language}
    run = run if run is not None else RolloutRun()
    run.rows = [None] * len(rollout.jobs)
    places = {job.key: campus_place(job.campus_folder) for job in rollout.jobs}
    todo: list[tuple[int, CampusJob, dict[str, Any]]] = []

    def settle(n: int, job: CampusJob, status: str, reason: str = "", summary: Any = None) -> None:
        place = places[job.key]
        row = CampusRow(
            job.key, place["campus_id"], place["campus_name"], place["state"], status, reason, summary or {}
        )
        run.rows[n] = row
        if on_done is not None:
            on_done(row)

    for n, job in enumerate(rollout.jobs):
        record = {"inputs_fingerprint": inputs_fingerprint(job, rollout.time_limit), "options": options}
        workbook, plan_file = paths[job.key]
        earlier = recorded_plan(plan_file)
        if force:
            todo.append((n, job, record))
        elif earlier is not None and workbook.is_file() and all(earlier.get(k) == v for k, v in record.items()):
            settle(n, job, "skipped", summary=earlier.get("rollout_summary"))
        elif os.path.lexists(workbook) or os.path.lexists(plan_file):
            settle(
                n,
                job,
                "failed",
                _("its files exist and were made from other inputs or options; use --force to replace them."),
            )
        else:
            todo.append((n, job, record))

    def arrived(n: int, job: CampusJob, outcome: CampusOutcome) -> None:
        if not outcome.planned:
            settle(n, job, "failed", outcome.reason)
            return
        try:
            write_campus_files(*paths[job.key], (outcome.workbook, outcome.plan_file), force)
        except OutputError as error:
            settle(n, job, "failed", str(error))
            return
        run.written += 1
        settle(n, job, "planned", summary=outcome.summary)

    if todo:
        plan_on_dask(todo, scheduler, language, arrived)
    write_national(out, rollout.name, [r for r in run.rows if r is not None], force=replace_national)
    return run
