"""A price file dropped into prices/ on a running `make dev`: the wall time from the drop to the published
warehouse holding its rows, through Dagster's own sensor daemon code (pipelines/daemon_ticks.py: the
raw-folder sensor's tick and its ingest run, then the after-ingest sensor's tick and its dated run),
against a no-op `python -m pipelines.run` on the same raw folder measured in the same invocation
(issue 20, point 6: at most 2x).

The daemon's first start (one ingest, one dated run) builds the warehouse first and is timed too; a
tick with nothing new is timed as the daemon's idle cost. Per dated run, the assets it ran and their own
`compute_seconds` (the warehouse assets' metadata) say where the drop's time goes. Uses a persistent
extraction cache (bench/out/extract_cache) so the first start does not OCR again on a re-run.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT_DIR, PROJECT_ROOT, ensure_importable, print_table  # noqa: E402
from noop_run import first_and_noop  # noqa: E402

NEW_DAYS = ("datetime,open,high,low,close,volume,source\n"
            + "".join(f"2025-01-{d:02d},9{d}000.0,9{d}500.0,9{d - 1}800.0,9{d}200.0,1000,bench drop\n"
                      for d in range(1, 4)))


def _timed(fn):
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def _asset_seconds(daemon, run) -> list[tuple[str, float]]:
    """(asset or check, its compute_seconds metadata) of a run, slowest first (a multi-asset step's time is
    on one of its assets; a range run has one event per partition, with the same seconds)."""
    import dagster as dg

    out = {}
    for kind in (dg.DagsterEventType.ASSET_MATERIALIZATION, dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        for record in daemon.instance.get_records_for_run(run.run_id, of_type=kind, limit=100_000).records:
            data = record.event_log_entry.dagster_event.event_specific_data
            mat = getattr(data, "materialization", None) or data
            seconds = mat.metadata.get("compute_seconds")
            if seconds is not None:
                key = ("check " if kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION else "") \
                    + mat.asset_key.to_user_string()
                out[key] = max(out.get(key, 0.0), float(seconds.value))
    return sorted(out.items(), key=lambda kv: -kv[1])


def _compute(daemon, runs) -> float:
    """The assets' and checks' own seconds in these runs: the rest of a tick is Dagster's."""
    return sum(s for run in runs for _, s in _asset_seconds(daemon, run))


def _describe(daemon, runs) -> str:
    lines = []
    for run in runs:
        selection = "all" if run.asset_selection is None else f"{len(run.asset_selection)} assets"
        top = ", ".join(f"{k} {s:.2f}" for k, s in _asset_seconds(daemon, run)[:6])
        lines.append(f"    {run.job_name} ({selection}, {run.status.value}; "
                     f"{run.tags.get('dagster/asset_partition_range_start', '')}"
                     f"..{run.tags.get('dagster/asset_partition_range_end', '')}): compute "
                     f"{_compute(daemon, [run]):.2f} s; slowest: {top}")
    return "\n".join(lines)


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    ensure_importable()
    from pipelines.daemon_ticks import SensorDaemon

    cache = OUT_DIR / "extract_cache"
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["LEAKPIPE_EXTRACT_CACHE"] = str(cache)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        shutil.copytree(PROJECT_ROOT / "raw", raw)
        _, noop, _, out2 = first_and_noop(raw)
        print(f"no-op make run on {raw}: {noop:.1f} s")
        env = {"LEAKPIPE_RAW_DIR": str(raw), "LEAKPIPE_WAREHOUSE": f"{tmp}/daemon/warehouse/leaks.duckdb",
               "LEAKPIPE_REPORTS_DIR": f"{tmp}/daemon/reports", "LEAKPIPE_EXTRACT_CACHE": str(cache)}
        runs_log = OUT_DIR / "daemon_drop_runs.log"   # the runs' own console log (Dagster's DEBUG events)
        print(f"the daemon's runs log to {runs_log}")
        with open(runs_log, "w", encoding="utf-8") as log, contextlib.redirect_stderr(log), \
                SensorDaemon(Path(tmp) / "daemon" / "dagster_home", env) as daemon:
            start1, runs1 = _timed(daemon.tick)
            start2, runs2 = _timed(daemon.tick)
            print(f"first start: {start1:.1f} s + {start2:.1f} s\n{_describe(daemon, runs1 + runs2)}")
            idle, idle_runs = _timed(daemon.tick)
            assert not idle_runs, idle_runs
            (raw / "prices" / "BTC-USD-2025-01.csv").write_text(NEW_DAYS)
            ingest, drop1 = _timed(daemon.tick)
            dated, drop2 = _timed(daemon.tick)
            compute = _compute(daemon, drop1 + drop2)
            print(f"drop: ingest tick {ingest:.1f} s, dated tick {dated:.1f} s; idle tick {idle:.2f} s\n"
                  f"{_describe(daemon, drop1 + drop2)}\n"
                  f"    of the drop's {ingest + dated:.1f} s, assets and checks computed {compute:.1f} s and "
                  f"Dagster's two runs took {ingest + dated - compute:.1f} s "
                  f"({(ingest + dated - compute) / noop:.1f}x the no-op run on their own)")
            assert [r.job_name for r in drop1] == ["ingest_job"] and len(drop2) == 1, (drop1, drop2)
    print(f"\ndaemon first start {start1 + start2:.1f} s, idle tick {idle:.2f} s, no-op make run {noop:.1f} s\n")
    print_table([{"workload": "price file drop to published, daemon path (bundled raw)", "project": ingest + dated,
                  "baseline": noop, "target": "<= 2x"}])


if __name__ == "__main__":
    main()
