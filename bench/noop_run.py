"""A no-op `make run`: the first run on a raw folder against a second run on the same, unchanged
inputs, code and assumptions (issue 20, point 2: at most 0.2x), and the share of the first run's wall
time that is Dagster's orchestration rather than asset compute (point 1: at most 20 %).

Runs `python -m pipelines.run` twice on a temporary warehouse, reports folder and DAGSTER_HOME, on the
bundled raw/ folder, on a real-data raw folder built from ../shared/data (scripts/real_raw.py: prices
from 2014, Bitcoin's network from 2009; skipped with a note when that folder is absent) and on every
folder given with --raw, all in one invocation, and prints the ratios per folder. The second run's own
summary says what it skipped and why.
With --before CHECKOUT, the same two runs of another checkout (e.g. the main branch) on the same folders,
in the same invocation, for a before/after table. DAGSTER_HOME gets the Makefile's dagster.yaml.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROJECT_ROOT, print_table  # noqa: E402


def _wall(env: dict, checkout: Path) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pipelines.run"], env=env, cwd=checkout,
                         capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - started, out


def dagster_yaml(checkout: Path) -> str:
    """The Makefile's dagster.yaml for that checkout (the batched event log only where it exists)."""
    text = "telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    max_concurrent_runs: 1\n"
    if (checkout / "pipelines" / "event_log.py").exists():
        text += ("event_log_storage:\n  module: pipelines.event_log\n  class: BatchedSqliteEventLogStorage\n"
                 "  config: {}\n")
    return text


def first_and_noop(raw: Path, checkout: Path = PROJECT_ROOT) -> tuple[float, float, str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, LEAKPIPE_RAW_DIR=str(raw), LEAKPIPE_WAREHOUSE=f"{tmp}/warehouse/leaks.duckdb",
                   LEAKPIPE_REPORTS_DIR=f"{tmp}/reports", DAGSTER_HOME=tmp, PYTHONPATH=str(checkout),
                   DAGSTER_EVENT_BATCH_SIZE="10000")
        Path(tmp, "dagster.yaml").write_text(dagster_yaml(checkout))
        first, out1 = _wall(env, checkout)
        noop, out2 = _wall(env, checkout)
    return first, noop, out1, out2


def orchestration_seconds(out: str) -> float | None:
    """The run's own split of its wall time: `time: total .. + orchestration X s`."""
    found = re.search(r"orchestration (-?[\d.]+) s", out)
    return float(found.group(1)) if found else None


def _time_line(out: str) -> str:
    return next((line for line in out.splitlines() if line.startswith("time:")), "(no time line)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", action="append", default=[], type=Path, help="another raw folder to measure")
    parser.add_argument("--before", type=Path, help="another checkout to measure the same way (before)")
    parser.add_argument("--no-real", action="store_true", help="skip the real-data raw folder")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folders = [PROJECT_ROOT / "raw", *args.raw]
        if not args.no_real:
            sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
            from real_raw import SHARED_DATA, build

            if SHARED_DATA.is_dir():
                folders.insert(1, build(Path(scratch) / "real_data", SHARED_DATA))
            else:
                print(f"note: no real-data row: {SHARED_DATA} not found (LEAKPIPE_SHARED_DATA)")
        for raw in folders:
            firsts = {}
            for label, checkout in [("before", args.before), ("", PROJECT_ROOT)]:
                if checkout is None:
                    continue
                first, noop, out1, out2 = first_and_noop(raw, checkout.resolve())
                firsts[label] = first
                said = next((line for line in out2.splitlines() if line.startswith(("no-op:", "building:"))), "")
                print(f"{label or 'this checkout'} on {raw}: first run {first:.1f} s, unchanged re-run {noop:.1f} s\n"
                      f"  first: {_time_line(out1)}\n  re-run: {_time_line(out2)}\n  {said[:200]}")
                suffix = f"{raw.name}{', ' + label if label else ''}"
                rows.append({"workload": f"no-op make run vs first run ({suffix})",
                             "project": noop, "baseline": first, "target": "<= 0.2x"})
                orchestration = orchestration_seconds(out1)
                if orchestration is not None:
                    rows.append({"workload": f"orchestration share of the first run ({suffix})",
                                 "project": orchestration, "baseline": first, "target": "<= 0.2x"})
            if len(firsts) == 2 and raw.name == "real_data":   # the target is on the real history
                rows.append({"workload": f"first make run, this checkout vs before ({raw.name})",
                             "project": firsts[""], "baseline": firsts["before"], "target": "<= 0.5x"})
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
