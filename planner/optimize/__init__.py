"""The optimizer: the only part of planner that imports OR-Tools."""

from planner.optimize.solve import solve

__all__ = ["solve"]
