"""Signals as exceptions, so an interrupted run cleans up exactly as a failed one does.

Ctrl-C already raises KeyboardInterrupt in Python; SIGTERM (what `kill`, systemd and CI runners
send) and SIGHUP (a closed terminal) would end the process on the spot and leave temporary files
behind. While a command runs they raise `Interrupted` too, and the few steps that must finish
together (renaming the outputs into place) hold any signal until they are done.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

# The signals a user or a supervisor sends to stop a run. SIGHUP does not exist on Windows.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by a signal; `exit_code` follows the shell's 128 + signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _in_main_thread() -> bool:
    # Python lets only the main thread install handlers; elsewhere (a test runner's worker) do nothing.
    return threading.current_thread() is threading.main_thread()


def _restore(previous: dict[int, Any]) -> None:
    for s, handler in previous.items():
        # None: a handler installed outside Python; the default is the closest that can be restored.
        signal.signal(s, handler if handler is not None else signal.SIG_DFL)  # type: ignore[arg-type]


@contextmanager
def raising_on_stop() -> Iterator[None]:
    """While the block runs, SIGINT, SIGTERM and SIGHUP raise `Interrupted` in the main thread."""
    if not _in_main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        _restore(previous)


@contextmanager
def held() -> Iterator[None]:
    """Hold stop signals until the block ends, then deliver the first one to the usual handler.

    For steps that must complete or be undone as a whole (renaming several files into place): an
    interruption in the middle would leave one file new and the other old.
    """
    if not _in_main_thread():
        yield
        return
    pending: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: pending.append(signum)) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        _restore(previous)
        if pending:
            signal.raise_signal(pending[0])
