"""Outputs that survive anything (issue 26): no input ever replaced, a pair that is old or new after
a crash at any step, the truth about what is on disk after a signal, and a console that cannot turn
a finished run into a failed one.

Crashes are real: a `planner` process is stopped at a named step of the writer (the test-only hook
PLANNER_TEST_STEP / PLANNER_TEST_ACTION, planner.signals.pause_point) by SIGKILL, by a SIGTERM, or
held at a named pipe while the test acts.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

import openpyxl
import pytest

import planner.optimize.explain
from planner import i18n
from planner.console import ProgressLine
from planner.result import Progress
from tests.helpers import run_as_typed, words

TESTS = Path(__file__).parent
TINY_SCENARIO = TESTS / "fixtures" / "tiny.toml"
TINY_CATALOG = TESTS / "fixtures" / "tiny_catalog"


def leftovers(folder: Path) -> list[str]:
    """The writer's own hidden files (temporary, backup, journal) left in a folder."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".planner-"))


def start(args: list[str | Path], step: str = "", action: str = "", **popen: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PLANNER_TEST_STEP": step, "PLANNER_TEST_ACTION": action}
    command = [sys.executable, "-m", "planner", *map(str, args), "--lang", "en"]
    options: dict[str, object] = {"stderr": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True, **popen}
    return subprocess.Popen(command, env=env, **options)  # type: ignore[call-overload]


def scenario_named(folder: Path, name: str) -> Path:
    """The tiny scenario under another name, so two runs' files can be told apart."""
    text = TINY_SCENARIO.read_text(encoding="utf-8").replace("Tiny semiconductor back-end plan", name)
    path = folder / f"{name}.toml"
    path.write_text(text.replace('catalog = "tiny_catalog"', f'catalog = "{TINY_CATALOG.as_posix()}"'), "utf-8")
    return path


def pair_scenario(workbook: Path) -> tuple[str, str]:
    """The scenario named by the workbook's first sheet and by the plan file beside it."""
    sheet = openpyxl.load_workbook(workbook, read_only=True).worksheets[0]
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    name = json.loads(workbook.with_suffix(".json").read_text(encoding="utf-8"))["scenario"]
    return (name if any(name in cell for cell in cells) else "another scenario's workbook"), name


def hold_at_step(fifo: Path, process: subprocess.Popen[str], mode: str = "wb") -> BinaryIO:
    """Open the pipe the process opens at its step (mode "wb": it stands there until the pipe is
    closed; "rb": it only tells it is there, and goes on)."""
    opened: list[BinaryIO] = []
    opener = threading.Thread(target=lambda: opened.append(open(fifo, mode)), daemon=True)  # type: ignore[arg-type]  # noqa: SIM115
    opener.start()
    while opener.is_alive():  # the open returns when the process reaches the step
        opener.join(0.1)
        if opener.is_alive() and process.poll() is not None:
            pytest.fail(f"the run ended before its step: {process.communicate()}")
    return opened[0]


# --- a run never replaces its own inputs ---------------------------------------------------------


def test_force_never_replaces_a_catalog_table(tmp_path):
    catalog = shutil.copytree(TINY_CATALOG, tmp_path / "cat")
    before = (catalog / "skills.csv").read_bytes()

    result = run_as_typed(
        "plan", TINY_SCENARIO, "--catalog", catalog, "--json", catalog / "skills.csv", "--force", "--lang", "en"
    )

    assert result.exit_code == 2
    assert "skills.csv" in words(result.stderr) and "input folder" in words(result.stderr)
    assert (catalog / "skills.csv").read_bytes() == before


def test_force_never_replaces_the_reviewed_workbook(tmp_path):
    first = tmp_path / "first.xlsx"
    assert run_as_typed("plan", TINY_SCENARIO, "--out", first, "--lang", "en").exit_code == 0
    reviewed = tmp_path / "reviewed.xlsx"
    os.link(first, reviewed)  # another name for the same file is the same input
    before = first.read_bytes()

    result = run_as_typed("plan", TINY_SCENARIO, "--review", reviewed, "--out", first, "--force", "--lang", "en")

    assert result.exit_code == 2
    assert "input file of this run" in words(result.stderr)
    assert first.read_bytes() == before


def test_force_never_replaces_a_workbook_catalog(tmp_path):
    catalog = tmp_path / "catalog.xlsx"
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in sorted(TINY_CATALOG.glob("*.csv")):
        sheet = book.create_sheet(table.stem)
        for line in table.read_text(encoding="utf-8").splitlines():
            sheet.append(line.split(","))
    book.save(catalog)
    before = catalog.read_bytes()

    result = run_as_typed("plan", TINY_SCENARIO, "--catalog", catalog, "--out", catalog, "--force", "--lang", "en")

    assert result.exit_code == 2
    assert "catalog.xlsx" in result.stderr and "input file of this run" in words(result.stderr)
    assert catalog.read_bytes() == before


# --- a pair that is old or new after a crash at any step -----------------------------------------


@pytest.mark.parametrize(("step", "survivor"), [("journal", "old"), ("renamed-1", "old"), ("renamed-2", "new")])
def test_a_run_killed_while_replacing_leaves_the_old_or_the_new_pair(tmp_path, step, survivor):
    out = tmp_path / "out"
    out.mkdir()
    workbook, plan_file = out / "pair.xlsx", out / "pair.json"
    workbook.write_bytes(b"yesterday's workbook")
    plan_file.write_bytes(b"yesterday's plan")

    killed = start(["plan", TINY_SCENARIO, "--out", workbook, "--force"], step, "kill")
    assert killed.wait(timeout=120) == -signal.SIGKILL
    assert any(name.endswith(".journal") for name in leftovers(out))

    # The next run writing to that folder, with other outputs, settles the interrupted replacement.
    assert run_as_typed("plan", TINY_SCENARIO, "--out", out / "other.xlsx", "--lang", "en").exit_code == 0

    assert leftovers(out) == []
    if survivor == "old":
        assert (workbook.read_bytes(), plan_file.read_bytes()) == (b"yesterday's workbook", b"yesterday's plan")
    else:
        assert pair_scenario(workbook) == ("Tiny semiconductor back-end plan",) * 2


def test_a_run_killed_between_creating_its_two_files_leaves_neither(tmp_path):
    workbook = tmp_path / "fresh.xlsx"

    killed = start(["plan", TINY_SCENARIO, "--out", workbook], "renamed-1", "kill")
    assert killed.wait(timeout=120) == -signal.SIGKILL
    assert workbook.exists()  # the first name was given when the run died

    assert run_as_typed("plan", TINY_SCENARIO, "--out", tmp_path / "next.xlsx", "--lang", "en").exit_code == 0

    assert sorted(p.name for p in tmp_path.iterdir()) == ["next.json", "next.xlsx"]


def test_two_forced_runs_never_leave_a_mixed_pair(tmp_path):
    workbook = tmp_path / "shared.xlsx"
    fifo = tmp_path / "gate"
    os.mkfifo(fifo)
    first = start(
        ["plan", scenario_named(tmp_path, "Alpha"), "--out", workbook, "--force"], "renamed-1", f"wait:{fifo}"
    )
    gate = hold_at_step(fifo, first)
    try:
        # The first run stands between its two renames, holding the folder's lock.
        folder = os.open(tmp_path, os.O_RDONLY)
        with pytest.raises(BlockingIOError):
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(folder)
        second = start(["plan", scenario_named(tmp_path, "Beta"), "--out", workbook, "--force"])
    finally:
        gate.close()

    assert first.wait(timeout=120) == 0, first.communicate()
    assert second.wait(timeout=120) == 0, second.communicate()
    names = pair_scenario(workbook)
    assert names[0] == names[1] and names[1] in ("Alpha", "Beta")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("force", [True, False])
def test_sigterm_during_the_renames_exits_143_and_says_both_files_were_written(tmp_path, force):
    workbook = tmp_path / "p.xlsx"
    if force:
        workbook.write_bytes(b"old")
        workbook.with_suffix(".json").write_bytes(b"old")
    args: list[str | Path] = ["plan", TINY_SCENARIO, "--out", workbook, *(["--force"] if force else [])]

    process = start(args, "renamed-1", "term")
    _, stderr = process.communicate(timeout=120)

    assert process.returncode == 128 + signal.SIGTERM
    assert f"Interrupted; {workbook} and {workbook.with_suffix('.json')} had been written." in words(stderr)
    assert pair_scenario(workbook) == ("Tiny semiconductor back-end plan",) * 2
    assert leftovers(tmp_path) == []


# --- signals at safe points ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_scenario(tmp_path_factory) -> Path:
    """The synthetic campus catalog: several seconds of search, written in a tenth of a second."""
    from benchmarks.files import write_instance
    from benchmarks.generate import CAMPUS, instance

    return write_instance(instance(CAMPUS), tmp_path_factory.mktemp("campus"))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_searching_stops_the_run_and_writes_nothing(tmp_path, slow_scenario, signum):
    fifo = tmp_path / "gate"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    args: list[str | Path] = ["plan", slow_scenario, "--out", out / "p.xlsx", "--time-limit", "60"]
    process = start(args, "searching", f"tell:{fifo}")
    hold_at_step(fifo, process, "rb").close()  # the search has reported its first plan, and goes on
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)  # far less than the search would take

    assert process.returncode == 128 + signum, stderr
    assert "Interrupted; nothing was written." in stderr
    assert "terminate called" not in stderr and "Traceback" not in stderr
    assert not out.exists()


# OR-Tools' compiled CP-SAT helper imports this module while it initialises: an exception raised
# there (as a signal handler would raise one) surfaces as "ImportError: initialization failed".
SIGTERM_INSIDE_AN_IMPORT = """
import os, signal, sys

class TermWhenImported:
    def find_spec(self, name, path=None, target=None):
        if name == "ortools.util.python.sorted_interval_list":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGTERM)
        return None

sys.meta_path.insert(0, TermWhenImported())
from planner.cli import app
app()
"""


def test_sigterm_while_the_solver_library_is_imported_exits_143(tmp_path):
    command = [sys.executable, "-c", SIGTERM_INSIDE_AN_IMPORT, "plan", str(TINY_SCENARIO)]
    command += ["--out", str(tmp_path / "p.xlsx"), "--lang", "en"]

    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert words(done.stderr) == "Interrupted; nothing was written."
    assert list(tmp_path.iterdir()) == []


# --- the console never decides the outcome ---------------------------------------------------------


def test_a_closed_stdout_after_writing_still_exits_0_and_says_what_was_written(tmp_path):
    workbook = tmp_path / "p.xlsx"
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads the summary: writing it fails with a broken pipe
    process = start(["plan", TINY_SCENARIO, "--out", workbook], stdout=write_end)
    os.close(write_end)
    _, stderr = process.communicate(timeout=120)

    assert process.returncode == 0, stderr
    assert f"{workbook} and {workbook.with_suffix('.json')} were written" in words(stderr)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert pair_scenario(workbook) == ("Tiny semiconductor back-end plan",) * 2


def test_compare_on_a_full_stdout_still_exits_0(tmp_path):
    plan = tmp_path / "a.xlsx"
    assert run_as_typed("plan", TINY_SCENARIO, "--out", plan, "--lang", "en").exit_code == 0
    with open("/dev/full", "w") as full:
        process = start(["compare", plan.with_suffix(".json"), "--out", tmp_path / "c.xlsx"], stdout=full)
        _, stderr = process.communicate(timeout=120)

    assert process.returncode == 0, stderr
    assert "c.xlsx were written; the summary could not be shown" in words(stderr)
    assert (tmp_path / "c.xlsx").is_file()


def test_spanish_on_an_ascii_console_is_shown_not_fatal(tmp_path):
    workbook = tmp_path / "p.xlsx"
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    command = [sys.executable, "-m", "planner", "plan", str(TINY_SCENARIO), "--out", str(workbook), "--lang", "es"]

    done = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    assert b"archivo del plan" in done.stdout  # "plan file" in Spanish, its accents shown as '?'
    assert workbook.is_file() and workbook.with_suffix(".json").is_file()


# --- checked before the work, and named for what they are ---------------------------------------------


def test_explain_checks_its_json_output_before_the_analysis(tmp_path, monkeypatch):
    def analysed(*args: object) -> None:
        raise AssertionError("the analysis ran, though its output could not be written")

    monkeypatch.setattr(planner.optimize.explain, "bindings", analysed)
    (tmp_path / "taken").write_text("a file, where a folder must be", encoding="utf-8")

    result = run_as_typed("explain", TINY_SCENARIO, "--json", tmp_path / "taken" / "report.json", "--lang", "en")

    assert result.exit_code == 2
    assert "is a file, not a folder" in words(result.stderr)


def test_a_dangling_link_as_output_folder_is_called_a_link(tmp_path):
    (tmp_path / "exports").symlink_to(tmp_path / "gone")

    result = run_as_typed("plan", TINY_SCENARIO, "--out", tmp_path / "exports" / "p.xlsx", "--lang", "en")

    assert result.exit_code == 2
    assert "is a link to a missing folder" in words(result.stderr)


def test_a_rollout_file_given_to_plan_says_to_use_batch(tmp_path):
    rollout = tmp_path / "campuses.toml"
    rollout.write_text(f'name = "Two campuses"\nscenarios = ["{TINY_SCENARIO.as_posix()}"]\n', encoding="utf-8")

    result = run_as_typed("plan", rollout, "--lang", "en")

    assert result.exit_code == 2
    assert "this is a rollout file, not a scenario" in words(result.stderr)
    assert f"planner batch {rollout}" in words(result.stderr)
    assert "terms" not in result.stderr  # not the scenario's own errors


def test_the_live_line_is_drawn_in_the_command_language_from_another_thread():
    i18n.use("en")
    line = ProgressLine(str)
    line.update(Progress("hours", 2, 3, 12, 10, 0.5, 30.0))
    drawn: list[str] = []
    refresher = threading.Thread(target=lambda: drawn.append(line.__rich__().plain))  # as rich's refresh thread
    refresher.start()
    refresher.join()

    assert drawn[0].startswith("Solving hours (2/3)  best 12  bound 10")
