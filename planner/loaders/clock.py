"""The run's time limit while the inputs are read: the limit bounds the whole run, reading included.

A command that has a time limit reads its inputs inside `time_limited(started, limit, fallback)`,
and the scenario's own limit applies once it is read (`scenario_limit`). The loaders call
`check_time(file)` at safe points (after each file, every few thousand rows); past the limit the
run stops with exit 4, as when the limit passes before a plan is found: the inputs may be fine,
the time was too short. Outside `time_limited` (a library call, a validation) reading is not timed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from planner.errors import NoPlanFoundError
from planner.i18n import _

ROWS_BETWEEN_CHECKS = 5_000


class ReadingTimeout(NoPlanFoundError):
    """The time limit passed while the inputs were still being read; nothing was solved."""


@dataclass
class Limit:
    """A run's clock: `started` is a time.monotonic() value; the limit is `seconds` (the option),
    else the scenario's, else `fallback`."""

    started: float
    seconds: float | None
    fallback: float | None = None

    def check(self, file: str) -> None:
        seconds = self.seconds or self.fallback
        if seconds is None:
            return
        spent = time.monotonic() - self.started
        if spent > seconds:
            raise ReadingTimeout(
                _(
                    "The time limit of {limit} s passed while reading {file} ({spent:.1f} s); nothing was "
                    "solved or written. Raise --time-limit or time_limit_seconds.",
                    limit=f"{seconds:g}",
                    file=file,
                    spent=spent,
                )
            )


_limit: ContextVar[Limit | None] = ContextVar("reading_limit", default=None)


@contextmanager
def time_limited(started: float | None, seconds: float | None, fallback: float | None = None) -> Iterator[Limit]:
    """Time the reading done inside: from `started` (default now), for `seconds`, else the
    scenario's limit once `scenario_limit` gives it, else `fallback`."""
    limit = Limit(time.monotonic() if started is None else started, seconds, fallback)
    token = _limit.set(limit)
    try:
        yield limit
    finally:
        _limit.reset(token)


def check_time(file: str) -> None:
    """Stop the run (ReadingTimeout, exit 4) if its time limit has passed while reading `file`."""
    limit = _limit.get()
    if limit is not None:
        limit.check(file)


def scenario_limit(seconds: float | None) -> None:
    """The scenario's time_limit_seconds, which applies when the command gave no limit of its own."""
    limit = _limit.get()
    if limit is not None and limit.seconds is None:
        limit.seconds = seconds
