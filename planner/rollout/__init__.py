"""National rollout: many campus scenarios planned on Dask, one national workbook.

One job per file: `file` reads the rollout file, `resume` tells which campuses are current,
`task` is what a worker runs for one campus, `cluster` talks to Dask, `run` ties them together.
"""

from planner.rollout.file import CampusJob, Rollout, load_rollout
from planner.rollout.resume import campus_paths, inputs_fingerprint
from planner.rollout.run import OPTIONS, RolloutRun, run_rollout
from planner.rollout.task import CampusOutcome, machine_cores, plan_campus, solver_workers

__all__ = [
    "OPTIONS",
    "CampusJob",
    "CampusOutcome",
    "Rollout",
    "RolloutRun",
    "campus_paths",
    "inputs_fingerprint",
    "load_rollout",
    "machine_cores",
    "plan_campus",
    "run_rollout",
    "solver_workers",
]
