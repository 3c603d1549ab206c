"""National rollout benchmark: N generated campus scenarios, embedded Dask cluster vs a sequential loop.

    python -m benchmarks.rollout                 # 300 campuses, both modes
    python -m benchmarks.rollout --campuses 40   # fewer, for a quick look

Campus variants are generated from the shipped catalog and its eight campus folders: campus k is a
copy of sample campus k mod 8 (its roster, qualifications, labs and training offers), in one of
Mexico's 32 states, with its sample scenario's requirements and its back-end / EMS coverage goals
lowered by 0 to 15 points (k varies them), so no two neighbouring campuses solve the same model.
Each mode runs in its own process, so peak memory is measured per mode:

- embedded: `planner batch` on the embedded LocalCluster sized to the machine;
- sequential: the same campus task (`planner.rollout.plan_campus`, CP-SAT with as many workers as
  cores) in a plain loop in one process, files written the same way.

Not part of the test run (it takes minutes); results go to the "National rollout" section at the
end of docs/BENCHMARKS.md, by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CAMPUSES = REPO / "catalog" / "campuses"
SEEDS = REPO / "seeds" / "campuses"
STATES = (
    "Aguascalientes", "Baja California", "Baja California Sur", "Campeche", "Chiapas", "Chihuahua",
    "Ciudad de México", "Coahuila", "Colima", "Durango", "Guanajuato", "Guerrero", "Hidalgo", "Jalisco",
    "México", "Michoacán", "Morelos", "Nayarit", "Nuevo León", "Oaxaca", "Puebla", "Querétaro",
    "Quintana Roo", "San Luis Potosí", "Sinaloa", "Sonora", "Tabasco", "Tamaulipas", "Tlaxcala",
    "Veracruz", "Yucatán", "Zacatecas",
)  # fmt: skip


def _lowered(match: re.Match[str], by: float) -> str:
    """A scenario's min_coverage line, `by` lower (never below 0)."""
    return f"min_coverage = {max(0, float(match[1]) - by):.2f}"


def generate(root: Path, count: int, time_limit: float) -> Path:
    """`count` campus folders and scenarios under `root`, and the rollout file listing them."""
    samples = sorted(p.name for p in CAMPUSES.iterdir() if p.is_dir())
    campuses, scenarios = root / "campuses", root / "scenarios"
    scenarios.mkdir(parents=True)
    rows = ["campus_id,name,state,municipality,sectors,instructors"]
    for k in range(count):
        sample = samples[k % len(samples)]
        campus_id = f"c{k + 1:03d}-{sample}"
        shutil.copytree(CAMPUSES / sample, campuses / campus_id)
        rows.append(f"{campus_id},CONALEP {campus_id},{STATES[k % len(STATES)]},{campus_id},,")
        text = (SEEDS / f"{sample}.toml").read_text(encoding="utf-8")
        text = text.replace('catalog = "../../catalog"', f'catalog = "{(REPO / "catalog").as_posix()}"')
        text = text.replace(f'campus = "../../catalog/campuses/{sample}"', f'campus = "../campuses/{campus_id}"')
        lower = (k // len(samples)) % 4 * 0.05  # 0, 5, 10 or 15 points
        text = re.sub(r"min_coverage = ([0-9.]+)", partial(_lowered, by=lower), text)
        (scenarios / f"{campus_id}.toml").write_text(text, encoding="utf-8")
    (campuses / "campuses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    listed = ",\n".join(f'    "scenarios/{p.name}"' for p in sorted(scenarios.iterdir()))
    rollout = root / "national.toml"
    rollout.write_text(
        f'name = "Benchmark: {count} campuses"\ntime_limit_seconds = {time_limit}\nscenarios = [\n{listed},\n]\n',
        encoding="utf-8",
    )
    return rollout


def embedded(rollout: Path, out: Path) -> dict[str, object]:
    from typer.testing import CliRunner

    from planner.cli import app

    started = time.perf_counter()
    result = CliRunner().invoke(app, ["batch", str(rollout), "--out", str(out), "--lang", "en"])
    wall = time.perf_counter() - started
    planned = sum(1 for line in result.stdout.splitlines() if line.endswith(": planned"))
    return {"wall": wall, "planned": planned, "exit": result.exit_code}


def sequential(rollout: Path, out: Path) -> dict[str, object]:
    from planner.export.national import write_campus_files
    from planner.rollout import OPTIONS, campus_paths, inputs_fingerprint, load_rollout, machine_cores, plan_campus

    started = time.perf_counter()
    plan = load_rollout(rollout)
    paths = campus_paths(plan, out)[1]
    options = {"time_limit_seconds": plan.time_limit, **OPTIONS}
    planned = 0
    for job in plan.jobs:
        record = {"inputs_fingerprint": inputs_fingerprint(job, plan.time_limit), "options": options}
        outcome = plan_campus(job, record, "en", machine_cores())
        if outcome.planned:
            write_campus_files(*paths[job.key], (outcome.workbook, outcome.plan_file), force=True)
            planned += 1
    return {"wall": time.perf_counter() - started, "planned": planned, "exit": 0}


def one_mode(mode: str, rollout: Path, out: Path) -> None:
    """Run one mode in this process and print its figures as JSON (peak RSS in MiB)."""
    figures = (embedded if mode == "embedded" else sequential)(rollout, out)
    figures["peak_mib_self"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_mib_largest_child"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--campuses", type=int, default=300)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--modes", default="embedded,sequential")
    parser.add_argument("--one-mode", help=argparse.SUPPRESS)
    parser.add_argument("--rollout", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_mode:
        one_mode(args.one_mode, args.rollout, args.out)
        return
    with tempfile.TemporaryDirectory(prefix="rollout-bench-") as folder:
        root = Path(folder)
        rollout = generate(root, args.campuses, args.time_limit)
        for mode in args.modes.split(","):
            out = root / mode / "national.xlsx"
            command = [sys.executable, "-m", "benchmarks.rollout", "--one-mode", mode, "--rollout", str(rollout)]
            done = subprocess.run([*command, "--out", str(out)], cwd=REPO, capture_output=True, text=True, check=True)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            per = figures["wall"] / args.campuses
            print(f"{mode}: {args.campuses} campuses, {figures['planned']} planned, {figures['wall']:.1f} s wall "
                  f"({per:.2f} s per campus), peak RSS {figures['peak_mib_self']:.0f} MiB in the client, "
                  f"{figures['peak_mib_largest_child']:.0f} MiB in the largest worker process")  # fmt: skip


if __name__ == "__main__":
    main()
