"""Wall time of the full run on the bundled raw/ data, split into start-up, compute and orchestration,
and the share of it spent in validation (great-expectations checks and Data Docs).

Runs `python -m pipelines.run` (what `make run` runs after set-up) on a temporary warehouse, and
as a baseline in the same invocation the bare interpreter start plus `import dagster` (the floor
any Dagster entry point pays). Prints the run's own split of its wall time.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROJECT_ROOT, print_table  # noqa: E402


def _wall(cmd: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - started, out


def _validation_seconds(out: str) -> float:
    """The run's own measure: the expectation checks' and the Data Docs' compute seconds."""
    return float(re.search(r"^validation: ([\d.]+) s", out, re.M).group(1))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, LEAKPIPE_WAREHOUSE=f"{tmp}/leaks.duckdb", DAGSTER_HOME=tmp,
                   LEAKPIPE_REPORTS_DIR=f"{tmp}/reports")
        Path(tmp, "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        baseline, _ = _wall([sys.executable, "-c", "import dagster"], env)
        first, out = _wall([sys.executable, "-m", "pipelines.run"], env)
        second, out2 = _wall([sys.executable, "-m", "pipelines.run"], env)
    split = re.search(r"time: total ([\d.]+) s = start-up ([\d.]+) s \+ asset compute ([\d.]+) s "
                      r"\+ orchestration ([\d.]+) s", out)
    total, startup, compute, orchestration = map(float, split.groups())
    interpreter = first - total  # interpreter start and imports before run.py's clock starts
    validation_first = _validation_seconds(out)
    validation_second = _validation_seconds(out2)
    print(f"first run  {first:.1f} s wall: interpreter+imports {interpreter + startup:.1f} s, "
          f"asset compute {compute:.1f} s, orchestration {orchestration:.1f} s")
    print(f"second run {second:.1f} s wall (unchanged inputs)")
    print(f"validation (great-expectations checks + Data Docs): first run {validation_first:.1f} s "
          f"= {100 * validation_first / first:.0f} % of its wall time; unchanged re-run {validation_second:.1f} s "
          f"= {100 * validation_second / second:.0f} %")
    print(f"baseline: interpreter + import dagster {baseline:.1f} s; "
          f"first run = {first / baseline:.1f}x baseline, unchanged re-run = {second / baseline:.1f}x baseline")
    print()
    print_table([
        {"workload": "make run: start-up share of the first run", "project": interpreter + startup,
         "baseline": first, "target": "<= 0.25x"},
        {"workload": "make run: asset compute share of the first run", "project": compute, "baseline": first,
         "target": "<= 0.9x"},
        {"workload": "make run: orchestration share of the first run", "project": orchestration,
         "baseline": first, "target": "<= 0.5x"},
        {"workload": "make run on unchanged inputs (vs first run)", "project": second, "baseline": first,
         "target": "<= 0.8x"},
        {"workload": "make run: validation share of the first run", "project": validation_first,
         "baseline": first, "target": "<= 0.25x"},
        {"workload": "make run: validation share of an unchanged re-run", "project": validation_second,
         "baseline": second, "target": "<= 0.25x"},
    ])


if __name__ == "__main__":
    main()
