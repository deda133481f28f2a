"""Small helpers shared by the benchmark scripts in bench/ (not a benchmark itself).

    timed(fn, repeat=3)             best-of-n wall seconds of fn()
    timed_interleaved(fns, repeat)  best-of-n for several callables, run in turn (a b a b a b)
    print_table(rows)               fixed-width project-vs-baseline table with a verdict
    quick_requested()/add_quick()   the shared --quick switch (smaller inputs, fewer repeats)
    bundled_warehouse(rebuild)      the warehouse built from the bundled raw/ data, kept and reused
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping

PROJECT_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = PROJECT_ROOT / "bench" / "out"   # git-ignored scratch space for generated inputs
WAREHOUSE_DIR = OUT_DIR / "models_warehouse"
BUILD_VERSION = 1


def ensure_importable() -> None:
    """Let `python bench/x.py` import `pipelines` without PYTHONPATH or an installed package
    (a `pipelines` already importable, from PYTHONPATH or the venv, is left alone)."""
    try:
        import pipelines  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(PROJECT_ROOT))


# ---------------------------------------------------------------------------------------------------
# The warehouse built from the bundled raw/ data (bench_models, bench_analyst)
# ---------------------------------------------------------------------------------------------------

def _fingerprint(raw: Path) -> str:
    """What the core tables depend on: the raw files and the pipeline's SQL and code, the models stage
    excepted (it writes only the model marts, which bench_models recomputes itself)."""
    h = hashlib.sha256(f"v{BUILD_VERSION}".encode())
    files = [("raw", p, raw) for p in sorted(raw.rglob("*")) if p.is_file()]
    files += [("src", p, PROJECT_ROOT) for p in sorted((PROJECT_ROOT / "pipelines").rglob("*"))
              if p.is_file() and p.suffix in {".py", ".sql", ".csv", ".toml", ".json", ".yaml"}
              and "models" not in p.relative_to(PROJECT_ROOT / "pipelines").parts]
    for tag, path, root in files:
        h.update(f"{tag}:{path.relative_to(root)}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def bundled_warehouse(rebuild: bool = False) -> tuple[Path, str]:
    """(the published warehouse built from the bundled raw/ data, how it was obtained). Built by
    `python -m pipelines.run` into bench/out/models_warehouse/ and reused while the raw files, the
    pipeline's SQL (pipelines/sql/) and code outside the models stage are unchanged (bench_models recomputes the models
    itself; bench_analyst only times queries on tables of the same shape)."""
    ensure_importable()
    from pipelines.lib.common.settings import load_settings

    raw = load_settings().raw_dir
    fingerprint = _fingerprint(raw)
    published = WAREHOUSE_DIR / "warehouse" / "leaks.duckdb"
    meta_path = WAREHOUSE_DIR / "meta.json"
    if not rebuild and published.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("fingerprint") == fingerprint:
            return published, (f"reused (built {meta['built']} in {meta['wall_s']:.0f} s; the models asset's "
                               f"compute in that run: {meta.get('models_asset_s', float('nan')):.2f} s)")
    shutil.rmtree(WAREHOUSE_DIR, ignore_errors=True)
    (WAREHOUSE_DIR / "dagster").mkdir(parents=True)
    (WAREHOUSE_DIR / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = dict(os.environ, LEAKPIPE_RAW_DIR=str(raw), LEAKPIPE_WAREHOUSE=str(published),
               DAGSTER_HOME=str(WAREHOUSE_DIR / "dagster"), LEAKPIPE_REPORTS_DIR=str(WAREHOUSE_DIR / "reports"))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipelines.run"], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"building the warehouse from {raw} failed (exit {proc.returncode}):\n"
                 + "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:]))
    # The models multi-asset reports its step's compute seconds once, as "marts/models (7 marts)".
    found = re.search(r"^\s+marts/models \(\d+ marts\)\s+([\d.]+) s", proc.stdout, re.MULTILINE)
    models_asset_s = float(found.group(1)) if found else float("nan")
    meta_path.write_text(json.dumps({"fingerprint": fingerprint, "built": time.strftime("%Y-%m-%d %H:%M:%S"),
                                     "wall_s": wall, "models_asset_s": models_asset_s, "raw": str(raw)}, indent=2))
    return published, (f"built now by `python -m pipelines.run` in {wall:.0f} s (the models asset's compute "
                       f"in that run: {models_asset_s:.2f} s)")


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best of `repeat` wall-clock runs of fn(), in seconds (time.perf_counter)."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def timed_interleaved(fns: Mapping[str, Callable[[], object]], repeat: int = 3,
                      keep: Callable[[str, object], None] | None = None) -> dict[str, float]:
    """Best-of-`repeat` seconds per callable, running them in turn so drift (caches, thermal,
    neighbours) hits all of them alike. keep(name, result) sees each result, then it is dropped."""
    best = {name: float("inf") for name in fns}
    for _ in range(max(1, repeat)):
        for name, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
            best[name] = min(best[name], elapsed)
            if keep is not None:
                keep(name, result)
            del result
    return best


def verdict(ratio: float, target: str) -> str:
    """'meets' or 'misses' for a target written like '<= 1.5x'."""
    text = target.replace(" ", "").rstrip("x")
    if text.startswith("<="):
        return "meets" if ratio <= float(text[2:]) else "misses"
    if text.startswith(">="):
        return "meets" if ratio >= float(text[2:]) else "misses"
    raise ValueError(f"target {target!r} is not '<= N x' or '>= N x'")


def print_table(rows: Iterable[Mapping[str, object]]) -> None:
    """rows: dicts with workload, project, baseline (seconds) and target ('<= 1.5x').
    Prints workload | project (s) | baseline (s) | ratio | target | verdict. With
    LEAKPIPE_BENCH_ROWS set (make bench does), the rows are also appended there as JSON lines,
    and `python bench/_common.py --summary FILE` prints every benchmark's rows as one table."""
    rows = list(rows)
    target_file = os.environ.get("LEAKPIPE_BENCH_ROWS")
    if target_file:
        with open(target_file, "a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({k: (float(v) if k in ("project", "baseline") else str(v))
                                     for k, v in r.items()}) + "\n")
    header = ["workload", "project (s)", "baseline (s)", "ratio (project/baseline)", "target", "verdict"]
    body = []
    for r in rows:
        project, baseline = float(r["project"]), float(r["baseline"])
        ratio = project / baseline if baseline > 0 else float("inf")
        body.append([str(r["workload"]), f"{project:.3f}", f"{baseline:.3f}", f"{ratio:.2f}x",
                     str(r["target"]), verdict(ratio, str(r["target"]))])
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]

    def fmt(line: list[str]) -> str:
        # text columns left-aligned, numbers right-aligned
        return "  ".join(c.ljust(w) if i in (0, 4, 5) else c.rjust(w)
                         for i, (c, w) in enumerate(zip(line, widths))).rstrip()

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for line in body:
        print(fmt(line))


def add_quick(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The shared --quick switch: a smaller input and fewer repeats, for a smoke run."""
    parser.add_argument("--quick", action="store_true",
                        help="smaller input and a single repeat (smoke run, figures not meaningful)")
    return parser


def quick_requested(argv: list[str] | None = None) -> bool:
    """True when --quick is on the command line (for scripts without their own argparse)."""
    return "--quick" in (sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    # `make bench` runs every bench/*.py, this one included: nothing to measure unless asked for
    # the summary of the rows the benchmarks recorded.
    if len(sys.argv) == 3 and sys.argv[1] == "--summary":
        with open(sys.argv[2], encoding="utf-8") as fh:
            recorded = [json.loads(line) for line in fh if line.strip()]
        print("\n== make bench: every workload, project vs baseline measured in the same run")
        print_table(recorded)
    sys.exit(0)
