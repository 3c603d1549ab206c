"""How the optimizer runs: plain settings, so batch runs can size solver workers to the machine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import Scenario

DEFAULT_TIME_LIMIT = 60.0  # seconds, when neither the option nor the scenario gives one


@dataclass(frozen=True)
class SolveOptions:
    """Settings of one solve.

    `time_limit` bounds the whole run in seconds (None: the scenario's, else 60). `workers` is the
    size of CP-SAT's portfolio in the objective stages, run in interleaved batches with the fixed
    `seed`. `highs` runs HiGHS beside CP-SAT; a batch task with one core to itself turns it off,
    since the two engines would then share that core. Neither `workers` nor `highs` changes a
    proven-optimal plan (planner/optimize/canonical.py), only how soon it comes.
    """

    time_limit: float | None = None
    workers: int = 8
    seed: int = 1
    highs: bool = True
    # The limit bounds the whole run, so the clock starts with the command (`started`, a
    # time.monotonic() value; None: when solving starts), and the search stops `reserve` seconds
    # early to leave time for checking the plan and writing the files.
    started: float | None = None
    reserve: float = 0.0

    def __post_init__(self) -> None:
        if self.time_limit is not None and not self.time_limit > 0:
            raise ValueError(f"time_limit {self.time_limit} must be positive.")
        if not 0 <= self.reserve < float("inf"):
            raise ValueError(f"reserve {self.reserve} must be a finite number of seconds >= 0.")
        if self.workers < 1:
            raise ValueError(f"workers {self.workers} must be at least 1.")

    def effective_limit(self, scenario: Scenario) -> float:
        """The run's time limit in seconds: this option's, else the scenario's, else 60."""
        return self.time_limit or scenario.time_limit_seconds or DEFAULT_TIME_LIMIT
