"""National rollout: the rollout file (a loader, strict like the scenario's) and the campus task.

A rollout file lists campus scenarios, either as paths (`scenarios = [...]`) or as one template
scenario plus campus folders with per-campus overrides (`[[campus]]`). Paths are relative to the
rollout file. `plan_campus` is what a Dask worker runs for one campus: it returns the files'
bytes and a small summary; the client writes them (planner/export/national.py) as each arrives.
"""

from __future__ import annotations

import copy
import csv
import difflib
import hashlib
import json
import os
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue, PlannerError
from planner.i18n import _
from planner.options import SolveOptions

ROLLOUT_KEYS = ("name", "scenarios", "template", "campus", "time_limit_seconds")
CAMPUS_KEYS = ("folder", "name", "sections", "sectors")
SECTOR_KEYS = ("weight", "min_coverage")
MAX_ROLLOUT_BYTES = 2**22


@dataclass(frozen=True)
class CampusJob:
    """One campus of the rollout: its output stem, its scenario file and the overrides merged over it."""

    key: str
    scenario_path: Path
    overrides: dict[str, Any] = field(default_factory=dict, hash=False)
    campus_folder: Path | None = None


@dataclass(frozen=True)
class Rollout:
    path: Path
    name: str
    jobs: tuple[CampusJob, ...]
    time_limit: float | None = None


@dataclass(frozen=True)
class CampusOutcome:
    """What a worker sends back: the files' bytes and summary when planned, else the reason."""

    key: str
    planned: bool
    summary: dict[str, Any] = field(default_factory=dict, hash=False)
    workbook: bytes = b""
    plan_file: bytes = b""
    reason: str = ""


# --- the rollout file ------------------------------------------------------------------------


def load_rollout(path: Path) -> Rollout:
    """Read and check a rollout file; every problem is reported at once (InputError, exit 2)."""
    path = Path(path)
    data = _parse(path)
    issues: list[Issue] = []

    def report(key: str, message: str) -> None:
        issues.append(Issue(path.name, message, column=key))

    _known(data, ROLLOUT_KEYS, "", report)
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        report("name", _("must be non-empty text in quotes."))
        name = path.stem
    limit = _time_limit(data, report)
    has_list, has_template = "scenarios" in data, "template" in data
    if has_list == has_template:
        report(
            "scenarios", _("give either `scenarios = [...]` or `template` with [[campus]] tables, not both or neither.")
        )
        raise InputError(issues)
    jobs = _listed(path, data, report) if has_list else _templated(path, data, report)
    if not issues and not jobs:
        report("scenarios" if has_list else "campus", _("the rollout lists no campus."))
    if issues:
        raise InputError(issues)
    return Rollout(path, name, tuple(_distinct_keys(jobs)), limit)


def _parse(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_ROLLOUT_BYTES + 1)
    except OSError as exc:
        raise InputError(
            [Issue(path.name, _("the rollout file {path} cannot be read: {why}.", path=path, why=exc.strerror))]
        ) from None
    if len(raw) > MAX_ROLLOUT_BYTES:
        raise InputError([Issue(path.name, _("the rollout file is larger than 4 MB."))])
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError([Issue(path.name, _("the file is not UTF-8 text; save it as UTF-8."))]) from None
    except ValueError as exc:
        first = str(exc).strip().split("\n", 1)[0].removesuffix(".")
        raise InputError([Issue(path.name, _("this is not valid TOML: {why}.", why=first))]) from None


def _known(table: dict[str, Any], allowed: tuple[str, ...], prefix: str, report: Any) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            if close:
                report(prefix + key, _("unknown key '{key}'; did you mean '{close}'?", key=key, close=close[0]))
            else:
                report(
                    prefix + key, _("unknown key '{key}'; the keys here are {keys}.", key=key, keys=", ".join(allowed))
                )


def _time_limit(data: dict[str, Any], report: Any) -> float | None:
    value = data.get("time_limit_seconds")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
        report("time_limit_seconds", _("must be a positive number of seconds."))
        return None
    return float(value)


def _listed(path: Path, data: dict[str, Any], report: Any) -> list[CampusJob]:
    value = data["scenarios"]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report("scenarios", _("must be a list of scenario paths in quotes."))
        return []
    jobs, seen = [], set()
    for text in value:
        scenario = (path.parent / text).resolve()
        if scenario in seen:
            report("scenarios", _("'{path}' is listed more than once.", path=text))
        elif not scenario.is_file():
            report("scenarios", _("the scenario file '{path}' does not exist.", path=text))
        else:
            jobs.append(CampusJob(scenario.stem, scenario, {}, campus_named_in(scenario)))
        seen.add(scenario)
    return jobs


def _templated(path: Path, data: dict[str, Any], report: Any) -> list[CampusJob]:
    template_text = data["template"]
    if not isinstance(template_text, str) or not template_text.strip():
        report("template", _("must be the path of a scenario file in quotes."))
        return []
    template = (path.parent / template_text).resolve()
    if not template.is_file():
        report("template", _("the template scenario '{path}' does not exist.", path=template_text))
    campuses = data.get("campus", [])
    if not isinstance(campuses, list) or not all(isinstance(c, dict) for c in campuses):
        report("campus", _("must be [[campus]] tables, one per campus."))
        return []
    jobs, seen = [], set()
    for n, table in enumerate(campuses, start=1):
        job = _campus_job(path, template, table, f"campus[{n}].", report)
        if job is not None and job.campus_folder in seen:
            report(f"campus[{n}].folder", _("this campus folder is listed more than once."))
        elif job is not None:
            seen.add(job.campus_folder)
            jobs.append(job)
    return jobs


def _campus_job(path: Path, template: Path, table: dict[str, Any], prefix: str, report: Any) -> CampusJob | None:
    _known(table, CAMPUS_KEYS, prefix, report)
    folder_text = table.get("folder")
    if not isinstance(folder_text, str) or not folder_text.strip():
        report(prefix + "folder", _("this required key must be the campus folder's path in quotes."))
        return None
    folder = (path.parent / folder_text).resolve()
    if not folder.is_dir():
        report(prefix + "folder", _("the campus folder '{path}' does not exist.", path=folder_text))
        return None
    overrides: dict[str, Any] = {"campus": str(folder)}
    name = table.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        report(prefix + "name", _("must be non-empty text in quotes."))
    elif name is not None:
        overrides["name"] = name
    sections = table.get("sections")
    if sections is not None and (isinstance(sections, bool) or not isinstance(sections, int) or sections < 1):
        report(prefix + "sections", _("must be a whole number of at least 1."))
    elif sections is not None:
        overrides["sections"] = sections
    sectors = table.get("sectors", {})
    if not isinstance(sectors, dict) or not all(isinstance(v, dict) for v in sectors.values()):
        report(prefix + "sectors", _("must hold [campus.sectors.<sector_id>] tables."))
    else:
        for sector_id, goal in sectors.items():
            _known(goal, SECTOR_KEYS, f"{prefix}sectors.{sector_id}.", report)
        if sectors:
            overrides["sectors"] = sectors
    return CampusJob(folder.name, template, overrides, folder)


def _distinct_keys(jobs: list[CampusJob]) -> list[CampusJob]:
    """Campuses whose scenario files share a stem get -2, -3, ... in rollout order."""
    used: set[str] = set()
    out = []
    for job in jobs:
        key, n = job.key, 1
        while key.casefold() in used:
            n += 1
            key = f"{job.key}-{n}"
        used.add(key.casefold())
        out.append(CampusJob(key, job.scenario_path, job.overrides, job.campus_folder))
    return out


def campus_named_in(scenario: Path) -> Path | None:
    """The campus folder a scenario names, read leniently (its problems are the campus's own)."""
    value = _lenient(scenario).get("campus")
    return (scenario.parent / value).resolve() if isinstance(value, str) and value.strip() else None


def _lenient(scenario: Path) -> dict[str, Any]:
    from planner.scenario import _parse as parse_scenario

    try:
        return parse_scenario(scenario)
    except InputError:
        return {}


def campus_place(folder: Path | None) -> dict[str, str]:
    """The campus's id, name and state from campuses.csv beside its folder ("" when not listed)."""
    if folder is None:
        return {"campus_id": "", "campus_name": "", "state": ""}
    place = {"campus_id": folder.name, "campus_name": "", "state": ""}
    try:
        with open(folder.parent / "campuses.csv", encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("campus_id") == folder.name:
                    place.update(campus_name=row.get("name") or "", state=row.get("state") or "")
    except (OSError, UnicodeDecodeError, csv.Error):
        pass  # the state is a label of the national workbook, not an input of the plan
    return place


# --- resume: fingerprints of the inputs --------------------------------------------------------


def inputs_fingerprint(job: CampusJob, limit: float | None) -> str:
    """sha256 of everything a campus's plan depends on: the scenario file, the overrides, the
    catalog's files and the campus folder's files. Missing files count as missing, not as errors."""
    digest = hashlib.sha256()
    digest.update(_file_bytes(job.scenario_path))
    digest.update(json.dumps(job.overrides, sort_keys=True, default=str).encode())
    data = _lenient(job.scenario_path)
    catalog = data.get("catalog")
    if isinstance(catalog, str):
        digest.update(_tree_print((job.scenario_path.parent / catalog).resolve()).encode())
    folder = job.campus_folder
    if folder is not None:
        digest.update(_tree_print(folder).encode())
    return digest.hexdigest()


def _tree_print(path: Path) -> str:
    """sha256 of a file, or of a folder's own files (not its subfolders), by name."""
    if path.is_file():
        return hashlib.sha256(_file_bytes(path)).hexdigest()
    digest = hashlib.sha256()
    try:
        files = sorted(p for p in path.iterdir() if p.is_file())
    except OSError:
        return "missing"
    for file in files:
        digest.update(f"{file.name}\0".encode())
        digest.update(hashlib.sha256(_file_bytes(file)).digest())
    return digest.hexdigest()


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"


def recorded_plan(plan_file: Path) -> dict[str, Any] | None:
    """The plan file a batch run wrote earlier (its fingerprint, options and summary), or None."""
    try:
        data = json.loads(plan_file.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "inputs_fingerprint" in data else None


def is_national_workbook(path: Path) -> bool:
    """True when `path` is a national workbook a batch run wrote (its core properties say so)."""
    from planner.export.national import NATIONAL_MARKER

    try:
        with zipfile.ZipFile(path) as book:
            return NATIONAL_MARKER.encode() in book.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


# --- the task a worker runs ---------------------------------------------------------------------


def plan_campus(job: CampusJob, record: dict[str, Any], language: str, workers: int) -> CampusOutcome:
    """Plan one campus on a worker: never raises for the campus's own problems, says why instead."""
    from planner import i18n

    i18n.use(language)
    started = time.monotonic()
    options = SolveOptions(
        record["options"]["time_limit_seconds"],
        workers=workers,
        seed=record["options"]["seed"],
        started=started,
        highs=workers >= 2,  # one core per task: CP-SAT alone, as the two engines would share it
    )
    try:
        result = _solve(_problem(job), options)
        from planner.export.national import campus_files, campus_summary

        summary = campus_summary(result)
        workbook, plan_file = campus_files(result, {**record, "rollout_summary": summary})
        return CampusOutcome(job.key, True, summary, workbook, plan_file)
    except PlannerError as error:
        from planner.words.batch import failure

        return CampusOutcome(job.key, False, reason=failure(error))
    except Exception as error:  # noqa: BLE001 - one campus's bug must not stop the others
        return CampusOutcome(job.key, False, reason=_("unexpected error: {error}", error=error))


def _problem(job: CampusJob) -> Any:
    from planner.planning import load_problem

    if not job.overrides:
        return load_problem(job.scenario_path)
    from planner.catalog import load_catalog
    from planner.model import Problem

    scenario = _scenario_with(job)
    if scenario.catalog is None:
        raise InputError(
            [Issue(job.scenario_path.name, _("no catalog given: set `catalog` in the scenario."), column="catalog")]
        )
    return Problem.build(load_catalog(scenario.catalog, scenario.campus), scenario)


def _scenario_with(job: CampusJob) -> Any:
    """The template scenario with the campus's overrides merged in, checked as the scenario loader does."""
    from planner import scenario as loader
    from planner.model import Scenario

    data = copy.deepcopy(loader._parse(job.scenario_path))
    for key, value in job.overrides.items():
        if key == "sectors":
            sectors = data.setdefault("sectors", {})
            for sector_id, goal in value.items():
                sectors[sector_id] = {**sectors.get(sector_id, {}), **goal} if isinstance(sectors, dict) else goal
        else:
            data[key] = value
    label = f"{job.scenario_path.name} [{job.key}]"
    read = loader.Reader(label, [])
    fields = loader._scenario(read, data, job.scenario_path)
    loader._plausible(read, fields)
    if read.issues:
        raise InputError(read.issues)
    try:
        return Scenario(**fields, path=job.scenario_path)
    except ValueError as exc:
        raise InputError([Issue(label, str(exc))]) from None


def _solve(problem: Any, options: SolveOptions) -> Any:
    """As planning.make_plan does after loading: solve, then refuse a plan that breaks a rule."""
    from dataclasses import replace

    from planner.optimize import solve
    from planner.planning import after_solve_reserve

    result = solve(problem, replace(options, reserve=after_solve_reserve(problem, options)), None)
    broken = result.violations()
    if broken:
        from planner.words.reasons import say

        rules = "; ".join(say(rule) for rule in broken)
        raise PlannerError(_("Internal error: the plan found breaks these rules: {rules}", rules=rules))
    return result


def solver_workers(cores: int, tasks: int) -> int:
    """CP-SAT workers per task so that tasks running at once x workers fit the cores (at most 8)."""
    return max(1, min(8, cores // max(1, tasks)))


def machine_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# --- the runner (client side) ---------------------------------------------------------------------

CONNECT_TIMEOUT = "5s"
WORKERS_TIMEOUT = 30  # seconds to wait for a worker to join an existing scheduler
OPTIONS = {"seed": 1, "reproducible": True}


@dataclass
class RolloutRun:
    """What happened to every campus, in rollout order; `written` counts the campuses written."""

    rows: list[Any] = field(default_factory=list)
    written: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r is not None and r.status == status)


def campus_paths(rollout: Rollout, out: Path) -> tuple[Path, dict[str, tuple[Path, Path]]]:
    """The campuses' folder beside the national workbook (named after the rollout) and their files."""
    folder = out.parent / rollout.path.stem
    return folder, {job.key: (folder / f"{job.key}.xlsx", folder / f"{job.key}.json") for job in rollout.jobs}


def check_national_output(out: Path, force: bool) -> bool:
    """Whether the national workbook may be replaced: refused (exit 2) when it exists, is not one
    a batch run wrote, and --force is not given."""
    from planner.errors import OutputError

    if out.suffix.lower() != ".xlsx":
        raise InputError([Issue("--out", _("'{path}' must end in .xlsx.", path=out))])
    if not os.path.lexists(out):
        return False
    if force or is_national_workbook(out):
        return True
    raise OutputError(
        _(
            "{path} exists and is not a national workbook of this planner; nothing was written. "
            "Use --force to replace it.",
            path=out,
        )
    )


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

    replace_national = check_national_output(out, force)
    paths = campus_paths(rollout, out)[1]
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
    if todo:
        _plan_on_dask(todo, scheduler, language, paths, force, settle, run, write_campus_files)
    write_national(out, rollout.name, [r for r in run.rows if r is not None], force=replace_national)
    return run


def _plan_on_dask(
    todo: list[Any],
    scheduler: str | None,
    language: str,
    paths: Any,
    force: bool,
    settle: Any,
    run: RolloutRun,
    write: Any,
) -> None:
    """Submit every campus, and write each one's files as soon as its result arrives."""
    from distributed import as_completed

    from planner.errors import OutputError

    client, cluster, workers = _connect(scheduler, len(todo))
    try:
        futures = {
            client.submit(plan_campus, job, record, language, workers, key=f"campus-{n}-{job.key}", pure=False): (
                n,
                job,
            )
            for n, job, record in todo
        }
        for future in as_completed(futures):
            n, job = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # noqa: BLE001 - a worker lost mid-task; the others go on
                settle(n, job, "failed", _("the worker failed: {error}", error=error))
                continue
            if not outcome.planned:
                settle(n, job, "failed", outcome.reason)
                continue
            try:
                write(*paths[job.key], (outcome.workbook, outcome.plan_file), force)
            except OutputError as error:
                settle(n, job, "failed", str(error))
                continue
            run.written += 1
            settle(n, job, "planned", summary=outcome.summary)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(scheduler: str | None, tasks: int) -> tuple[Any, Any, int]:
    """A Dask client, the embedded cluster (None on an existing one) and CP-SAT workers per task."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler is None:
        cores = machine_cores()
        processes = max(1, min(cores, tasks))
        with _children_ignore_ctrl_c():
            cluster = LocalCluster(
                n_workers=processes,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: never fights another cluster for 8787
                silence_logs=logging.ERROR,
            )
        return Client(cluster), cluster, solver_workers(cores, processes)
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(
            [
                Issue(
                    "--scheduler",
                    _("the Dask scheduler at {address} cannot be reached: {error}", address=scheduler, error=error),
                )
            ]
        ) from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except (OSError, TimeoutError):
        client.close()
        raise InputError(
            [
                Issue(
                    "--scheduler",
                    _(
                        "the Dask scheduler at {address} has no worker after {seconds} s.",
                        address=scheduler,
                        seconds=WORKERS_TIMEOUT,
                    ),
                )
            ]
        ) from None
    return client, None, _cluster_solver_workers(client)


@contextmanager
def _children_ignore_ctrl_c() -> Iterator[None]:
    """Worker processes started in this block ignore SIGINT (an ignored signal stays ignored in a
    child): Ctrl-C in a terminal reaches the whole process group, and the client alone should
    stop, close the cluster and say what was written, without a traceback from every worker."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _cluster_solver_workers(client: Any) -> int:
    """On an existing cluster: the cores of each host over the task threads on it, at the tightest host."""
    cores = client.run(machine_cores)
    threads: dict[str, int] = defaultdict(int)
    host_cores: dict[str, int] = {}
    for address, info in client.scheduler_info()["workers"].items():
        host = info.get("host", address)
        threads[host] += info.get("nthreads", 1)
        host_cores[host] = cores.get(address, 1)
    return min((solver_workers(host_cores[h], t) for h, t in threads.items()), default=1)
