"""Running CP-SAT so that Ctrl-C and SIGTERM stop it cleanly.

CP-SAT catches SIGINT itself by default: Ctrl-C then only ends the search early, and the run goes
on to write the plan found so far as if nothing had happened; after the first solve the handler it
leaves behind kills the process outright. And Python runs signal handlers only in the main thread,
between bytecodes, never while that thread is inside C++. So the solve runs in a worker thread
with CP-SAT's own handler off, while the main thread waits in short slices: a signal raises there,
the search is stopped, and the exception goes on to the CLI, which reports the interruption.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from planner import signals

WAIT_SLICE = 0.05  # seconds between chances for the main thread to notice a signal
SETTLE_SECONDS = 5.0
_TASKS = Path("/proc/self/task")


def run_solver(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    other: Callable[[], bool] | None = None,
    on_interrupt: Callable[[], None] | None = None,
    wake: threading.Event | None = None,
) -> Any:
    """`solver.solve(model, callback)`, interruptible: a KeyboardInterrupt stops the search and is re-raised.

    `other()` is asked between waits, and at once whenever `wake` is set (by the other engine when
    it ends): True stops the search (the other engine has the answer); `on_interrupt` stops that
    engine too when the run is interrupted.
    """
    solver.parameters.catch_sigint_signal = False
    outcome: dict[str, Any] = {}
    wake = wake if wake is not None else threading.Event()

    def work() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as error:  # handed to the main thread, which re-raises it
            outcome["error"] = error
        finally:
            wake.set()

    def stop() -> None:
        solver.stop_search()
        if on_interrupt is not None:
            on_interrupt()

    answered: list[bool] = []

    def poll() -> None:
        if other is not None and not answered and other():
            solver.stop_search()
            answered.append(True)

    threads_before = _os_threads()
    worker = threading.Thread(target=work, name="cp-sat", daemon=True)
    try:
        with signals.held():  # a signal raised between start() and the wait would leave the search running
            worker.start()
        wait_for(worker, stop, poll, wake)
    except BaseException:
        if worker.is_alive():  # interrupted as the hold ended, before the wait could stop the search
            stop()
            worker.join()
        _settle(threads_before)
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


def wait_for(
    thread: threading.Thread,
    stop: Callable[[], None],
    poll: Callable[[], None] | None = None,
    wake: threading.Event | None = None,
) -> None:
    """Wait for `thread` in short slices, calling `poll()` after each; a slice ends early when
    `wake` is set (it must be set when `thread` ends). An interruption (Ctrl-C, SIGTERM) calls
    `stop()`, waits for the thread to end and goes on."""
    try:
        while thread.is_alive():
            woken = False
            if wake is None:
                thread.join(WAIT_SLICE)
            elif woken := wake.wait(WAIT_SLICE):
                wake.clear()
            if poll is not None:
                poll()
            if woken:  # `thread` itself may have set it as it ended, or is ending after poll()
                thread.join(WAIT_SLICE / 5)
    except BaseException:
        stop()
        thread.join()
        raise


def _os_threads() -> int | None:
    """The process's threads as the OS counts them (C++ ones included); None where that is unknown."""
    try:
        return len(os.listdir(_TASKS))
    except OSError:
        return None


def _settle(before: int | None) -> None:
    """Wait for CP-SAT's own threads to end after a stopped search.

    solve() returns as soon as the search is stopped, while its pool's threads finish the tasks in
    hand for a tenth of a second or so; a process that exits in that window is aborted by the C++
    runtime ("terminate called without an active exception"), after the CLI has reported cleanly.
    """
    deadline = time.monotonic() + SETTLE_SECONDS
    while before is not None and time.monotonic() < deadline:
        now = _os_threads()
        if now is None or now <= before:
            return
        time.sleep(0.01)
