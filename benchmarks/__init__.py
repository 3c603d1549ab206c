"""Benchmarks for the planner, kept out of the package and out of the default test run.

- `published`: CSPLib BACP and OR-Library set-covering instances with known optima, as catalogs.
- `generate`: synthetic catalogs at campus and national scale, from a fixed seed.
- `milp`: an independent HiGHS model of the same planning model, to compare against.
- `files`: writes a catalog and a scenario to CSV + TOML, so the planner reads them like user files.
- `run`: `python -m benchmarks.run` solves everything and writes docs/BENCHMARKS.md.
"""
