"""Reliability (issue 14): no file lost on a failed or concurrent run; limits, signals and extreme
inputs honoured; messages that name what is wrong.

Most tests run the CLI in-process on the tiny fixture; the race and the signals need real processes.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner.export.files as files
import planner.optimize
from planner.errors import OutputError
from planner.export.files import write_together
from planner.signals import Interrupted, held, raising_on_stop
from tests.helpers import run, words

TESTS = Path(__file__).parent
TINY_SCENARIO = TESTS / "fixtures" / "tiny.toml"
TINY_CATALOG = TESTS / "fixtures" / "tiny_catalog"
REPO = TESTS.parent


def names(folder: Path) -> list[str]:
    """Every entry of a folder, hidden temporary files included."""
    return sorted(p.name for p in folder.iterdir())


def write(handle_data: bytes):
    return lambda handle: handle.write(handle_data)


def no_solving(*args: object, **kwargs: object) -> None:
    raise AssertionError("the run solved, though it had to stop before solving")


def scenario_file(folder: Path, body: str, catalog: Path = TINY_CATALOG) -> Path:
    path = folder / "s.toml"
    path.write_text(
        f'name = "Reliability"\ncatalog = "{catalog.as_posix()}"\nobjective = ["coverage", "hours", "balance"]\n'
        + body,
        encoding="utf-8",
    )
    return path


# --- writing: both or neither, exclusive, whole ------------------------------------------------


def test_a_failed_second_replacement_puts_the_first_file_back(tmp_path, monkeypatch):
    first, second = tmp_path / "pair.xlsx", tmp_path / "pair.json"
    first.write_bytes(b"yesterday's workbook")
    real_replace = os.replace
    calls = []

    def replace_failing_second(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace_failing_second)

    with pytest.raises(OutputError, match="pair.json"):
        write_together([(first, write(b"new workbook")), (second, write(b"new plan"))], force=True)

    monkeypatch.undo()
    assert first.read_bytes() == b"yesterday's workbook"
    assert names(tmp_path) == ["pair.xlsx"]  # no plan file, no temporary or backup file


def test_a_folder_in_the_way_of_the_second_file_keeps_the_first(tmp_path):
    first = tmp_path / "pair.xlsx"
    first.write_bytes(b"yesterday's workbook")
    (tmp_path / "adir").mkdir()

    with pytest.raises(OutputError, match="adir"):
        write_together([(first, write(b"new")), (tmp_path / "adir", write(b"new plan"))], force=True)

    assert first.read_bytes() == b"yesterday's workbook"
    assert names(tmp_path) == ["adir", "pair.xlsx"]


def test_a_file_made_by_someone_else_after_the_check_is_not_overwritten(tmp_path, monkeypatch):
    target = tmp_path / "plan.json"
    target.write_bytes(b"the other run's plan")
    # As if the other run wrote it between this run's check and its write.
    monkeypatch.setattr(files.os.path, "lexists", lambda path: False)

    with pytest.raises(OutputError, match="created by someone else"):
        write_together([(tmp_path / "plan.xlsx", write(b"mine")), (target, write(b"mine"))])

    monkeypatch.undo()
    assert target.read_bytes() == b"the other run's plan"
    assert names(tmp_path) == ["plan.json"]  # the workbook this run had linked is taken back


def test_a_dangling_link_counts_as_an_existing_file(tmp_path):
    (tmp_path / "plan.xlsx").symlink_to(tmp_path / "nowhere.xlsx")

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "plan.xlsx")

    assert result.exit_code == 2
    assert "already exist" in words(result.stderr)
    assert (tmp_path / "plan.xlsx").is_symlink()
    assert names(tmp_path) == ["plan.xlsx"]


def test_a_name_of_250_characters_is_written(tmp_path):
    workbook = tmp_path / ("p" * 245 + ".xlsx")  # the longest legal name is 255 bytes

    result = run("plan", TINY_SCENARIO, "--out", workbook)

    assert result.exit_code == 0, result.output
    assert names(tmp_path) == sorted([workbook.name, "p" * 245 + ".json"])


@pytest.mark.parametrize(
    "out, expected",
    [
        ("p" * 251 + ".xlsx", "bytes; at most 255 fit here."),
        ("s.toml/x.xlsx", "s.toml' is a file, not a folder."),
        ("adir.xlsx", "it is a folder."),
        ("s.toml", "must end in .xlsx."),
    ],
)
def test_an_output_that_cannot_be_written_stops_the_run_before_solving(tmp_path, monkeypatch, out, expected):
    scenario = scenario_file(tmp_path, "terms = 3\n")
    (tmp_path / "adir.xlsx").mkdir()
    monkeypatch.setattr(planner.optimize, "solve", no_solving)
    monkeypatch.chdir(tmp_path)

    result = run("plan", scenario, "--out", out, "--force")

    assert result.exit_code == 2, result.output
    assert expected in words(result.stderr)
    assert names(tmp_path) == ["adir.xlsx", "s.toml"]


def test_a_plan_file_that_is_a_folder_keeps_the_existing_workbook(tmp_path, monkeypatch):
    (tmp_path / "pair.xlsx").write_bytes(b"yesterday's workbook")
    (tmp_path / "adir").mkdir()
    monkeypatch.setattr(planner.optimize, "solve", no_solving)

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "pair.xlsx", "--json", tmp_path / "adir", "--force")

    assert result.exit_code == 2
    assert "adir' cannot be written: it is a folder." in words(result.stderr)
    assert (tmp_path / "pair.xlsx").read_bytes() == b"yesterday's workbook"


def test_the_scenario_file_is_never_an_output(tmp_path, monkeypatch):
    scenario = scenario_file(tmp_path, "terms = 3\n")
    monkeypatch.setattr(planner.optimize, "solve", no_solving)

    result = run("plan", scenario, "--out", tmp_path / "p.xlsx", "--json", scenario, "--force")

    assert result.exit_code == 2
    assert "it is an input file of this run." in words(result.stderr)


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_full_disk_is_reported_cleanly_and_leaves_nothing(tmp_path, monkeypatch):
    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "out" / "p.xlsx")

    assert result.exit_code == 2
    assert "No space left on device; nothing was written." in words(result.stderr)
    assert "Exception ignored" not in result.output
    assert names(tmp_path) == []  # the folder made for the outputs is taken back too


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "pass"], check=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert finished.returncode == 0
    stale = tmp_path / f".planner-{dead.pid}-0123abcd.tmp"
    live = tmp_path / f".planner-{os.getppid()}-0123abcd.tmp"  # a process that is still running
    stale.write_bytes(b"half a workbook")
    live.write_bytes(b"another run, writing now")

    write_together([(tmp_path / "plan.json", write(b"{}"))])

    assert names(tmp_path) == [live.name, "plan.json"]


def test_a_signal_while_writing_removes_the_temporary_files(tmp_path, monkeypatch):
    def terminated(descriptor: int) -> None:
        raise Interrupted(signal.SIGTERM)

    monkeypatch.setattr(files.os, "fsync", terminated)

    with pytest.raises(Interrupted):
        write_together([(tmp_path / "p.xlsx", write(b"a")), (tmp_path / "p.json", write(b"b"))])

    assert names(tmp_path) == []


def test_signals_are_held_while_files_are_renamed_and_delivered_after():
    reached_the_end = False
    with pytest.raises(Interrupted) as caught, raising_on_stop(), held():
        os.kill(os.getpid(), signal.SIGTERM)  # Python runs a handler before the next statement
        reached_the_end = True
    assert reached_the_end
    assert caught.value.exit_code == 128 + signal.SIGTERM


# --- concurrent runs ------------------------------------------------------------------------


def test_two_runs_on_the_same_output_one_wins_and_the_file_is_whole(tmp_path):
    workbook = tmp_path / "race.xlsx"
    command = [sys.executable, "-m", "planner", "plan", str(TINY_SCENARIO), "--out", str(workbook), "--lang", "en"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in runs]  # type: ignore[union-attr]

    codes = sorted(code for code, _ in outcomes)
    assert codes == [0, 2], outcomes
    loser = next(text for code, text in outcomes if code == 2)
    assert "race" in loser and "Use --force" in words(loser)
    assert names(tmp_path) == ["race.json", "race.xlsx"]
    assert "Plan" in openpyxl.load_workbook(workbook).sheetnames
    assert json.loads(workbook.with_suffix(".json").read_text(encoding="utf-8"))["status"] == "OPTIMAL"


# --- time limit and extreme numbers ---------------------------------------------------------


def test_the_clock_starts_with_the_command_and_keeps_a_reserve(monkeypatch, tmp_path):
    seen = []

    def record(problem, options, progress=None):
        seen.append((options, time.monotonic()))
        raise KeyboardInterrupt

    monkeypatch.setattr(planner.optimize, "solve", record)
    before = time.monotonic()

    run("plan", TINY_SCENARIO, "--out", tmp_path / "p.xlsx", "--time-limit", "8")

    ((options, called),) = seen
    assert before <= options.started <= called
    assert 0 < options.reserve <= 8 / 4


def test_the_search_gets_what_is_left_of_the_limit(monkeypatch):
    from planner.optimize import portfolio
    from planner.options import SolveOptions
    from planner.planning import load_problem

    solve_module = sys.modules["planner.optimize.solve"]  # the package's `solve` is the function
    granted: list[float] = []
    original = portfolio.cp_sat_parameters
    monkeypatch.setattr(
        portfolio,
        "cp_sat_parameters",
        lambda seconds, options, **kinds: granted.append(seconds) or original(seconds, options, **kinds),
    )
    problem = load_problem(TINY_SCENARIO)

    solve_module.solve(problem, SolveOptions(time_limit=20, started=time.monotonic() - 5, reserve=3))

    assert 11 < granted[0] <= 12  # 20 s, less 5 s already spent, less 3 s kept for writing


def test_the_time_limit_is_the_option_else_the_scenario_else_a_minute(tmp_path):
    from dataclasses import replace

    from planner.options import SolveOptions
    from planner.scenario import load_scenario

    scenario = load_scenario(scenario_file(tmp_path, "terms = 3\ntime_limit_seconds = 7\n"))

    assert SolveOptions(3).effective_limit(scenario) == 3
    assert SolveOptions().effective_limit(scenario) == 7
    assert SolveOptions().effective_limit(replace(scenario, time_limit_seconds=None)) == 60


@pytest.mark.parametrize("line, key", [("terms = 10000", "terms"), ("terms = 3\nsections = 1000", "sections")])
def test_implausible_sizes_are_refused_at_once(tmp_path, monkeypatch, line, key):
    monkeypatch.setattr(planner.optimize, "solve", no_solving)
    scenario = scenario_file(tmp_path, line + "\n")

    result = run("plan", scenario, "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 2
    assert f"s.toml, {key}: " in words(result.stderr) and "the most this planner accepts" in result.stderr


@pytest.mark.parametrize("value", ["1e-19", "1e-18", "0.12345678901234567"])
def test_extreme_coverage_floors_plan_or_are_refused_never_crash(tmp_path, value):
    # Importance 1000 makes the floor's fraction and the sums large; every such floor is met by a
    # plan of all five semiconductor modules, so there is no reason for exit 1 or 4.
    catalog = tmp_path / "catalog"
    shutil.copytree(TINY_CATALOG, catalog)
    demands = catalog / "demands.csv"
    lines = demands.read_text(encoding="utf-8").splitlines()
    demands.write_text("\n".join([lines[0]] + [line.rsplit(",", 1)[0] + ",1000" for line in lines[1:]]) + "\n")
    scenario = scenario_file(tmp_path, f"terms = 3\n[sectors.semi]\nmin_coverage = {value}\n", catalog)

    result = run("plan", scenario, "--out", tmp_path / "p.xlsx")

    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert "min_coverage" in result.stderr


# --- messages -----------------------------------------------------------------------------------


def test_scenario_and_catalog_problems_are_listed_together(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(TINY_CATALOG, catalog)
    modules = catalog / "modules.csv"
    modules.write_text(modules.read_text(encoding="utf-8").replace("Mecatrónica,72", "Mecatrónica,abc"), "utf-8")
    scenario = scenario_file(tmp_path, "terms = 3\nsectionz = 2\n", catalog)

    result = run("validate", "--scenario", scenario)

    assert result.exit_code == 2
    message = words(result.stderr)
    assert "Invalid input (2 problems)" in message
    assert "s.toml, sectionz: unknown key 'sectionz'" in message
    assert "modules.csv row 8, column hours: 'abc' is not a whole number." in message


def test_a_scenario_saved_with_a_byte_order_mark_is_read(tmp_path):
    scenario = tmp_path / "bom.toml"
    scenario.write_bytes(b"\xef\xbb\xbf" + TINY_SCENARIO.read_bytes().replace(b'"tiny_catalog"', b'"cat"'))
    shutil.copytree(TINY_CATALOG, tmp_path / "cat")

    result = run("validate", "--scenario", scenario)

    assert result.exit_code == 0, result.output


def test_a_semicolon_separated_catalog_reads_like_the_comma_one(tmp_path):
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    for path in TINY_CATALOG.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        # As Excel saves where ',' is the decimal mark; one name holds a comma, so it is quoted.
        text = (
            text.replace(",", ";")
            .replace("Manejo de componentes", '"Manejo, de componentes')
            .replace("electrónicos;", 'electrónicos";')
        )
        (catalog / path.name).write_text(text, encoding="utf-8")

    result = run("validate", catalog)

    assert result.exit_code == 0, result.output
    assert "8 modules, 3 instructors" in words(result.stdout)


def test_a_catalog_link_to_an_endless_device_is_refused_at_once(tmp_path):
    (tmp_path / "catalog.xlsx").symlink_to("/dev/zero")

    started = time.monotonic()
    result = run("validate", tmp_path / "catalog.xlsx")

    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    assert "catalog.xlsx: this is not a regular file" in words(result.stderr)


def test_a_pipe_in_place_of_a_csv_file_is_refused_not_waited_for(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(TINY_CATALOG, catalog)
    (catalog / "modules.csv").unlink()
    os.mkfifo(catalog / "modules.csv")

    result = run("validate", catalog)

    assert result.exit_code == 2
    assert "modules.csv: this is not a regular file" in words(result.stderr)


OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


@pytest.mark.parametrize(
    "content, expected",
    [
        (OLE2 + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "protected with a password"),
        (OLE2 + b"\0" * 100 + "Workbook".encode("utf-16-le"), "Excel 97-2003 (.xls) file"),
        ("ods", "OpenDocument spreadsheet (.ods) with an .xlsx name"),
        (b"PK\x03\x04 cut short", "damaged or cut short"),
    ],
)
def test_a_workbook_of_another_kind_is_named_as_such(tmp_path, content, expected):
    path = tmp_path / "catalog.xlsx"
    if content == "ods":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("content.xml", "<office:document-content/>")
    else:
        path.write_bytes(content)

    result = run("validate", path)

    assert result.exit_code == 2
    assert expected in words(result.stderr)


def test_a_utf16_csv_is_named_as_such(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(TINY_CATALOG, catalog)
    skills = catalog / "skills.csv"
    skills.write_bytes(skills.read_text(encoding="utf-8").encode("utf-16"))

    result = run("validate", catalog)

    assert result.exit_code == 2
    assert "skills.csv: the file is UTF-16 text" in words(result.stderr)


def test_outputs_carry_no_absolute_path(tmp_path):
    folder = tmp_path / "designer" / "private"
    shutil.copytree(TINY_CATALOG, folder / "cat")
    scenario = scenario_file(folder, "terms = 3\n", Path("cat"))
    workbook = tmp_path / "plan.xlsx"

    result = run("plan", scenario.resolve(), "--out", workbook)

    assert result.exit_code == 0, result.output
    assert json.loads(workbook.with_suffix(".json").read_text(encoding="utf-8"))["catalog_source"] == "cat"
    texts = [
        str(cell.value)
        for sheet in openpyxl.load_workbook(workbook).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert not [t for t in texts if str(tmp_path) in t]
    assert "cat" in texts and "s.toml" in texts


# --- random damage to every catalog file ---------------------------------------------------------

CATALOG_FILES = sorted(p.name for p in TINY_CATALOG.glob("*.csv"))


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """One catalog file with a byte flipped, bytes inserted or deleted, or its end cut off."""
    name = draw(st.sampled_from(CATALOG_FILES))
    data = (TINY_CATALOG / name).read_bytes()
    at = draw(st.integers(0, len(data) - 1))
    kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
    if kind == "flip":
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    elif kind == "insert":
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif kind == "delete":
        data = data[:at] + data[at + draw(st.integers(1, 16)) :]
    else:
        data = data[:at]
    return name, data


@settings(
    max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damage=damaged())
def test_random_damage_to_a_catalog_file_is_exit_0_or_2_naming_a_file(tmp_path, damage):
    name, data = damage
    catalog = tmp_path / "damaged"
    shutil.rmtree(catalog, ignore_errors=True)
    shutil.copytree(TINY_CATALOG, catalog)
    (catalog / name).write_bytes(data)

    result = run("validate", catalog)

    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        problems = result.stderr.splitlines()[1:]
        assert problems and all(line.strip().split(" ", 1)[0].split(":")[0].endswith(".csv") for line in problems), (
            result.stderr
        )


def test_a_signal_as_the_search_starts_stops_the_search_before_it_is_reraised(monkeypatch):
    """SIGTERM landing between the solver thread's start and the wait: the search must still be
    stopped and joined (an abandoned CP-SAT thread aborts the process at exit)."""
    import threading

    from ortools.sat.python import cp_model

    from planner.optimize.running import run_solver

    model = cp_model.CpModel()
    x = [model.new_int_var(0, 50, f"x{i}") for i in range(40)]
    model.add_all_different(x)
    model.maximize(sum(i * v for i, v in enumerate(x)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    started: list[threading.Thread] = []
    real_start = threading.Thread.start

    def start_then_signal(thread: threading.Thread) -> None:
        real_start(thread)
        started.append(thread)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(threading.Thread, "start", start_then_signal)
    with raising_on_stop(), pytest.raises(Interrupted):
        run_solver(solver, model)
    monkeypatch.undo()

    assert started and not started[0].is_alive()
