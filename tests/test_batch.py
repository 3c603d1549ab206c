"""planner batch: a national rollout on a real Dask scheduler and worker, and on the embedded cluster.

The campuses are copies of the tiny fixture campus (seconds to plan); the scheduler and worker are
started as processes with the `dask` command line, as an office would start them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.errors import InputError
from planner.rollout import CampusJob, inputs_fingerprint, load_rollout, solver_workers
from planner.scenario import load_scenario
from tests.helpers import run_in_english

FIXTURES = Path(__file__).parent / "fixtures"
CATALOG = FIXTURES / "tiny_catalog"
CAMPUS = FIXTURES / "tiny_campus"
STATES = {"bc-mexicali": "Baja California", "bc-tijuana": "Baja California", "jal-zapopan": "Jalisco"}


def scenario_text(campus: str, extra: str = "") -> str:
    return (
        f'name = "Tiny {campus}"\ncatalog = "{CATALOG.as_posix()}"\ncampus = "../campuses/{campus}"\n'
        f"terms = 3\ntime_limit_seconds = 10\n{extra}\n[hours]\nterm_max = 270\n\n"
        "[sectors.semi]\nmin_coverage = 0.4\nweight = 5\n"
    )


def make_rollout(root: Path, bad: bool = False) -> Path:
    """Three campuses in two states; with `bad`, the third names a module the catalog lacks."""
    campuses = root / "campuses"
    for campus in STATES:
        shutil.copytree(CAMPUS, campuses / campus)
    rows = "".join(f"{c},CONALEP {c},{s},x,semi,2\n" for c, s in STATES.items())
    (campuses / "campuses.csv").write_text("campus_id,name,state,municipality,sectors,instructors\n" + rows)
    (root / "s").mkdir()
    for campus in STATES:
        extra = 'required_modules = ["NOPE-99"]\n' if bad and campus == "jal-zapopan" else ""
        (root / "s" / f"{campus}.toml").write_text(scenario_text(campus, extra), encoding="utf-8")
    rollout = root / "rollout.toml"
    listed = ", ".join(f'"s/{c}.toml"' for c in STATES)
    rollout.write_text(f'name = "Tiny rollout"\nscenarios = [{listed}]\n', encoding="utf-8")
    return rollout


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def sheet_rows(path: Path, index: int) -> list[list[object]]:
    ws = openpyxl.load_workbook(path).worksheets[index]
    return [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]


# --- a real scheduler and worker ------------------------------------------------------------------


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and one `dask worker` as processes; yields the scheduler's address."""
    folder = tmp_path_factory.mktemp("dask")
    dask = Path(sys.executable).parent / "dask"
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker = None
    try:
        address = announced_address(scheduler)
        worker = subprocess.Popen(
            [dask, "worker", address, "--nthreads", "1", "--no-dashboard"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        yield address
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
        for process in (worker, scheduler):
            if process is not None:
                process.wait(timeout=30)


def announced_address(scheduler: subprocess.Popen[str]) -> str:
    """The address the scheduler logs once it listens (read as it comes; then its log is drained)."""
    assert scheduler.stderr is not None
    for line in scheduler.stderr:
        if "Scheduler at:" in line:
            threading.Thread(target=scheduler.stderr.read, daemon=True).start()
            return line.split("Scheduler at:", 1)[1].strip()
    raise AssertionError(f"the scheduler ended without listening (exit {scheduler.wait()})")


def test_a_rollout_runs_on_a_real_scheduler_and_worker(tmp_path, scheduler):
    rollout = make_rollout(tmp_path)
    national = tmp_path / "out" / "national.xlsx"
    result = run_in_english("batch", rollout, "--scheduler", scheduler, "--out", national)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "rollout"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{c}.{ext}" for c in sorted(STATES) for ext in ("json", "xlsx")
    ]
    plan = json.loads((folder / "bc-mexicali.json").read_text())
    assert plan["status"] == "OPTIMAL"
    assert plan["inputs_fingerprint"] == inputs_fingerprint(load_rollout(rollout).jobs[0], None)
    assert plan["options"] == {"time_limit_seconds": None, "seed": 1, "language": "en"}
    campuses = sheet_rows(national, 0)
    assert campuses[1] == ["3 of 3 campuses have a plan."]
    assert [row[:4] for row in campuses[4:]] == [
        ["bc-mexicali", "CONALEP bc-mexicali", "Baja California", "planned"],
        ["bc-tijuana", "CONALEP bc-tijuana", "Baja California", "planned"],
        ["jal-zapopan", "CONALEP jal-zapopan", "Jalisco", "planned"],
    ]
    states = sheet_rows(national, 1)
    assert [row[0] for row in states[4:6]] == ["Baja California", "Jalisco"]


def test_the_plan_on_the_cluster_is_the_plan_of_planner_plan(tmp_path, scheduler):
    rollout = make_rollout(tmp_path)
    run_in_english("batch", rollout, "--scheduler", scheduler, "--out", tmp_path / "n.xlsx")
    single = run_in_english("plan", tmp_path / "s" / "bc-tijuana.toml", "--out", tmp_path / "single.xlsx")
    assert single.exit_code == 0, single.output
    batch_plan = json.loads((tmp_path / "rollout" / "bc-tijuana.json").read_text())
    plan = json.loads((tmp_path / "single.json").read_text())
    assert batch_plan["modules"] == plan["modules"] and batch_plan["objectives"] == plan["objectives"]


def test_an_unreachable_scheduler_exits_2_and_writes_nothing(tmp_path):
    rollout = make_rollout(tmp_path)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_in_english("batch", rollout, "--scheduler", f"tcp://127.0.0.1:{port}", "--out", tmp_path / "n.xlsx")
    assert result.exit_code == 2
    assert f"--scheduler: the Dask scheduler at tcp://127.0.0.1:{port} cannot be reached" in result.stderr
    assert not (tmp_path / "n.xlsx").exists() and not (tmp_path / "rollout").exists()


class Banner(socketserver.BaseRequestHandler):
    """A server that speaks first, but not as Dask does (an SSH-like banner), then waits."""

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the probe hangs up first; no traceback from this thread
            self.request.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
            self.request.recv(1)


class Silent(socketserver.BaseRequestHandler):
    """A server that accepts and never answers, as an HTTP server waiting for a request."""

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the probe hangs up first; no traceback from this thread
            self.request.recv(1)


@pytest.mark.parametrize(("handler", "reason"), [(Silent, "nothing answered within 0.5 s"), (Banner, "not a Dask")])
def test_a_port_that_does_not_answer_as_a_scheduler_exits_2(tmp_path, monkeypatch, handler, reason):
    import planner.rollout.cluster

    monkeypatch.setattr(planner.rollout.cluster, "CONNECT_TIMEOUT", 0.5)
    rollout = make_rollout(tmp_path)
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        address = f"tcp://127.0.0.1:{server.server_address[1]}"
        result = run_in_english("batch", rollout, "--scheduler", address, "--out", tmp_path / "n.xlsx")
        server.shutdown()

    assert result.exit_code == 2
    assert f"--scheduler: the Dask scheduler at {address} cannot be reached" in result.stderr
    assert reason in result.stderr
    assert not (tmp_path / "n.xlsx").exists() and not (tmp_path / "rollout").exists()


def test_force_never_replaces_a_scenario_through_a_hard_link_among_the_outputs(tmp_path):
    rollout = make_rollout(tmp_path)
    scenario = tmp_path / "s" / "bc-tijuana.toml"
    before = scenario.read_bytes()
    (tmp_path / "rollout").mkdir()
    os.link(scenario, tmp_path / "rollout" / "bc-tijuana.json")  # another name for the scenario

    result = run_in_english("batch", rollout, "--out", tmp_path / "national.xlsx", "--force")

    assert result.exit_code == 2
    assert "bc-tijuana.json" in result.stderr and "input file of this run" in " ".join(result.stderr.split())
    assert scenario.read_bytes() == before and not (tmp_path / "national.xlsx").exists()


def test_force_never_replaces_a_file_of_a_campus_folder(tmp_path):
    rollout = make_rollout(tmp_path)
    kept = tmp_path / "campuses" / "bc-tijuana" / "roster.xlsx"
    kept.write_bytes(b"the campus's own workbook")

    result = run_in_english("batch", rollout, "--out", kept, "--force")

    assert result.exit_code == 2
    assert "roster.xlsx" in result.stderr and "input folder" in " ".join(result.stderr.split())
    assert kept.read_bytes() == b"the campus's own workbook"


# --- the embedded cluster: a bad campus, resume, --force ---------------------------------------------


def test_embedded_cluster_reports_a_bad_campus_resumes_and_forces(tmp_path):
    rollout = make_rollout(tmp_path, bad=True)
    national = tmp_path / "national.xlsx"
    first = run_in_english("batch", rollout, "--out", national)
    assert first.exit_code == 5, first.output
    assert "1 campus was not planned:" in first.stderr
    assert "jal-zapopan: invalid input: jal-zapopan.toml" in first.stderr and "NOPE-99" in first.stderr
    folder = tmp_path / "rollout"
    assert sorted(p.name for p in folder.iterdir()) == [
        "bc-mexicali.json",
        "bc-mexicali.xlsx",
        "bc-tijuana.json",
        "bc-tijuana.xlsx",
    ]
    assert [row[3] for row in sheet_rows(national, 0)[4:]] == ["planned", "planned", "not planned"]
    campuses = openpyxl.load_workbook(national).worksheets[0]  # 300 campuses print on many pages
    assert (campuses.print_title_rows, campuses.freeze_panes) == ("$4:$4", "A5")
    assert campuses["A4"].value == "Campus"
    sector_headers = [c for c in campuses[4] if str(c.value).startswith("Coverage ")]
    assert sector_headers and all(c.alignment.text_rotation == 90 for c in sector_headers)
    assert campuses.sheet_properties.pageSetUpPr.fitToPage  # one page wide: not printed across pages

    before = snapshot(folder)
    second = run_in_english("batch", rollout, "--out", national)
    assert second.exit_code == 5
    assert "0 campuses planned, 2 current (skipped), 1 not planned." in second.stdout
    assert snapshot(folder) == before  # the current campuses' files are untouched
    assert [row[3] for row in sheet_rows(national, 0)[4:]] == ["current (skipped)"] * 2 + ["not planned"]

    (tmp_path / "s" / "jal-zapopan.toml").write_text(scenario_text("jal-zapopan"), encoding="utf-8")
    third = run_in_english("batch", rollout, "--out", national, "--force")
    assert third.exit_code == 0, third.output
    after = snapshot(folder)
    assert len(after) == 6
    assert all(after[name][0] != before[name][0] for name in before)  # --force re-planned every campus


def test_a_campus_whose_inputs_changed_is_not_replaced_without_force(tmp_path):
    rollout = make_rollout(tmp_path)
    job = load_rollout(rollout).jobs[0]
    national = tmp_path / "national.xlsx"
    (tmp_path / "rollout").mkdir()
    (tmp_path / "rollout" / "bc-mexicali.json").write_text(
        json.dumps({"inputs_fingerprint": "old", "options": {}}), encoding="utf-8"
    )
    (tmp_path / "rollout" / "bc-mexicali.xlsx").write_bytes(b"old")
    before = inputs_fingerprint(job, None)
    (tmp_path / "campuses" / "bc-mexicali" / "labs.csv").write_text("lab_id,name,max_hours_per_term\n")
    assert inputs_fingerprint(job, None) != before  # the campus folder is part of the fingerprint
    result = run_in_english("batch", rollout, "--out", national)
    assert result.exit_code == 5
    assert "bc-mexicali: its files exist and were made from other inputs or options" in result.stderr
    assert (tmp_path / "rollout" / "bc-mexicali.xlsx").read_bytes() == b"old"


# --- the rollout file ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('scenarios = ["s/bc-mexicali.toml"]\nscenarioz = 1\n', "rollout.toml, scenarioz: unknown key 'scenarioz'"),
        ('scenarios = ["s/nowhere.toml"]\n', "rollout.toml, scenarios: the scenario file 's/nowhere.toml' does not"),
        ('scenarios = ["s/bc-tijuana.toml"]\ntemplate = "s/bc-tijuana.toml"\n', "give either `scenarios = [...]`"),
        (
            'template = "s/bc-tijuana.toml"\n[[campus]]\nfolder = "campuses/bc-tijuana"\nsection = 2\n',
            "campus[1].section",
        ),
        ('template = "s/bc-tijuana.toml"\n[[campus]]\nfolder = "campuses/none"\n', "'campuses/none' does not exist"),
        ("scenarios = [\n", "this is not valid TOML"),
    ],
)
def test_an_invalid_rollout_file_exits_2_naming_the_key(tmp_path, text, message):
    make_rollout(tmp_path)
    (tmp_path / "rollout.toml").write_text(text, encoding="utf-8")
    result = run_in_english("batch", tmp_path / "rollout.toml", "--out", tmp_path / "n.xlsx")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "n.xlsx").exists()


def test_another_file_where_the_national_workbook_goes_is_refused(tmp_path):
    rollout = make_rollout(tmp_path)
    (tmp_path / "n.xlsx").write_bytes(b"someone else's")
    result = run_in_english("batch", rollout, "--out", tmp_path / "n.xlsx")
    assert result.exit_code == 2
    assert "is not a national workbook of this planner; nothing was written" in result.stderr
    assert (tmp_path / "n.xlsx").read_bytes() == b"someone else's" and not (tmp_path / "rollout").exists()


def scenario_of(job: CampusJob):
    """The campus's scenario as a worker reads it: the template with the campus's overrides."""
    return load_scenario(job.scenario_path, overrides=job.overrides, source=f"{job.scenario_path.name} [{job.key}]")


def test_a_template_with_campus_overrides(tmp_path):
    make_rollout(tmp_path)
    rollout = tmp_path / "t.toml"
    rollout.write_text(
        'template = "s/bc-mexicali.toml"\n[[campus]]\nfolder = "campuses/bc-tijuana"\nsections = 2\n'
        '[campus.sectors.semi]\nweight = 9\n[[campus]]\nfolder = "campuses/jal-zapopan"\nname = "Zapopan"\n',
        encoding="utf-8",
    )
    jobs = load_rollout(rollout).jobs
    assert [job.key for job in jobs] == ["bc-tijuana", "jal-zapopan"]
    tijuana, zapopan = (scenario_of(job) for job in jobs)
    assert tijuana.sections == 2 and tijuana.campus == (tmp_path / "campuses" / "bc-tijuana").resolve()
    assert [(g.sector_id, g.weight, float(g.min_coverage)) for g in tijuana.sectors] == [("semi", 9, 0.4)]
    assert zapopan.name == "Zapopan" and zapopan.sections == 1


def test_campuses_whose_scenarios_share_a_stem_get_distinct_names(tmp_path):
    make_rollout(tmp_path)
    (tmp_path / "other").mkdir()
    shutil.copy(tmp_path / "s" / "bc-tijuana.toml", tmp_path / "other" / "bc-tijuana.toml")
    rollout = tmp_path / "r.toml"
    rollout.write_text('scenarios = ["s/bc-tijuana.toml", "other/bc-tijuana.toml"]\n', encoding="utf-8")
    assert [job.key for job in load_rollout(rollout).jobs] == ["bc-tijuana", "bc-tijuana-2"]


def test_a_template_override_the_scenario_loader_refuses_names_the_campus(tmp_path):
    make_rollout(tmp_path)
    job = CampusJob("bc-tijuana", tmp_path / "s" / "bc-tijuana.toml", {"sectors": {"semi": {"weight": 0}}})
    with pytest.raises(InputError) as caught:
        scenario_of(job)
    assert str(caught.value.issues[0]).startswith("bc-tijuana.toml [bc-tijuana], sectors.semi.weight:")


@pytest.mark.parametrize(("cores", "tasks", "workers"), [(2, 2, 1), (2, 1, 2), (16, 4, 4), (64, 2, 8), (1, 5, 1)])
def test_solver_workers_times_tasks_fit_the_cores(cores, tasks, workers):
    assert solver_workers(cores, tasks) == workers


def test_the_shipped_rollouts_are_valid():
    seeds = Path(__file__).parent.parent / "seeds"
    assert len(load_rollout(seeds / "rollouts" / "national_rollout.toml").jobs) == len(os.listdir(seeds / "campuses"))
    template = load_rollout(seeds / "rollouts" / "backend_template.toml")
    for job in template.jobs:
        assert scenario_of(job).campus == job.campus_folder


def test_a_rerun_in_another_language_does_not_take_the_campus_files_as_current(tmp_path):
    rollout = make_rollout(tmp_path)
    out = tmp_path / "out" / "rollout.xlsx"
    assert run_in_english("batch", rollout, "--out", out).exit_code == 0  # in English
    before = snapshot(out.parent / "rollout")

    def spanish(*options: str) -> int:
        return CliRunner().invoke(app, ["batch", str(rollout), "--out", str(out), "--lang", "es", *options]).exit_code

    assert spanish() == 5  # the English campus files are kept, and reported as not planned
    assert snapshot(out.parent / "rollout") == before
    assert spanish("--force") == 0


def test_the_national_training_needs_name_each_module():
    """Administrators read needs by module name, not only by its catalog key."""
    from planner.export.national import CampusRow, build_national, campus_summary
    from planner.options import SolveOptions
    from planner.planning import load_problem, solve_checked

    result = solve_checked(load_problem(Path(__file__).parent.parent / "seeds" / "campuses" / "bc-mexicali.toml"),
                           SolveOptions(60))  # fmt: skip
    summary = campus_summary(result)
    assert summary["training_needs"], "the campus has training needs"
    row = CampusRow("bc-mexicali", "bc-mexicali", "CONALEP Mexicali", "Baja California", "planned", "", summary)
    ws = build_national("Despliegue", [row])["Training needs"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert rows[0][:3] == ["Module ID", "Module", "Campuses"]
    assert ws.print_title_rows == "$4:$4"  # the table alone on its sheet: its header on every page
    needs = rows[1:]
    names = {m.module_id: m.name for m in result.problem.catalog.modules}
    assert needs and [r[1] for r in needs] == [names[r[0]] for r in needs]
