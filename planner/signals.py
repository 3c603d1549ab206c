"""Signals as exceptions, so an interrupted run cleans up exactly as a failed one does.

Ctrl-C already raises KeyboardInterrupt in Python; SIGTERM (what `kill`, systemd and CI runners
send) and SIGHUP (a closed terminal) would end the process on the spot and leave temporary files
behind. While a command runs they raise `Interrupted` too, but only at safe points: never inside
a module's import (a solver library interrupted half-way through its import fails in its own
words), nor inside the steps that must finish together (renaming the outputs into place). There
the signal is kept and raised as soon as the block ends, or at the next `checkpoint()`.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

# The signals a user or a supervisor sends to stop a run. SIGHUP does not exist on Windows.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_IMPORT_MACHINERY = "<frozen importlib"


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by a signal; `exit_code` follows the shell's 128 + signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


class _State:
    """Signals received while they could not be raised, and how many held blocks are open."""

    pending: list[int] = []
    holding = 0


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _State.holding or _importing(frame):
        _State.pending.append(signum)
        return
    raise Interrupted(signum)


def _importing(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith(_IMPORT_MACHINERY):
            return True
        frame = frame.f_back
    return False


def _in_main_thread() -> bool:
    # Python lets only the main thread install handlers; elsewhere (a test runner's worker) do nothing.
    return threading.current_thread() is threading.main_thread()


def _install() -> dict[int, Any]:
    return {s: signal.signal(s, _on_signal) for s in STOP_SIGNALS}


def _restore(previous: dict[int, Any]) -> None:
    for s, handler in previous.items():
        # None: a handler installed outside Python; the default is the closest that can be restored.
        signal.signal(s, handler if handler is not None else signal.SIG_DFL)  # type: ignore[arg-type]


@contextmanager
def raising_on_stop() -> Iterator[None]:
    """While the block runs, SIGINT, SIGTERM and SIGHUP raise `Interrupted` in the main thread
    (at once, or at the next safe point)."""
    if not _in_main_thread():
        yield
        return
    _State.pending.clear()
    previous = _install()
    try:
        yield
    finally:
        _restore(previous)


def checkpoint() -> None:
    """A safe point: raise the signal kept while it could not be raised, if any."""
    if _State.pending and not _State.holding and _in_main_thread():
        signum = _State.pending[0]
        _State.pending.clear()
        signal.raise_signal(signum)  # to the handler in place: Interrupted, or the default action


def stop_requested() -> int | None:
    """The signal kept for the next safe point, if any (for messages about what is on disk)."""
    return _State.pending[0] if _State.pending else None


@contextmanager
def held() -> Iterator[None]:
    """Hold stop signals until the block ends, then deliver the first one to the usual handler.

    For steps that must complete or be undone as a whole (renaming several files into place, a
    library's import): an interruption in the middle would leave them half done.
    """
    if not _in_main_thread():
        yield
        return
    previous = _install()
    _State.holding += 1
    try:
        yield
    finally:
        _State.holding -= 1
        _restore(previous)
        checkpoint()


def pause_point(name: str) -> None:
    """Test-only: a named step where a test stops a real run. With PLANNER_TEST_STEP naming this
    step, do PLANNER_TEST_ACTION: `kill` (SIGKILL, as a crash), `term` (SIGTERM to itself),
    `wait:FIFO` (open the named pipe and read it to its end, so a test acts while the run stands
    here) or `tell:FIFO` (open the named pipe for writing and close it: the test learns the run
    is here, and the run goes on). Without PLANNER_TEST_STEP, nothing."""
    if os.environ.get("PLANNER_TEST_STEP") != name:
        return
    action = os.environ.get("PLANNER_TEST_ACTION", "")
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "term":
        os.kill(os.getpid(), signal.SIGTERM)
    elif action.startswith("wait:"):
        with open(action.removeprefix("wait:"), "rb") as pipe:
            pipe.read()
    elif action.startswith("tell:"):
        with open(action.removeprefix("tell:"), "wb"):
            pass
