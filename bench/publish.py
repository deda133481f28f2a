"""Publish time on a generated warehouse of at least 2 GB: unchanged and changed, against the old
publish (a full copy to a staging name and a rename, every run).

Builds a temporary warehouse (the project's schema plus one generated table of random numbers and
hashes, which DuckDB cannot compress much) until the working file holds >= 2 GB (--quick: 200 MB),
then times, interleaved, best of 3:

    old full copy      one row added to a small table, then shutil.copyfile + fsync + rename, what
                       Warehouse.publish() did before (the write is not timed)
    publish, changed   one row added to a small table, then Warehouse.publish() (copies)
    publish, unchanged a run that only read the warehouse (a stat, nothing read or copied)

and, to show the no-op does not grow with the warehouse, the unchanged publish of a ~2 MB warehouse.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_importable, print_table, quick_requested, timed_interleaved  # noqa: E402

ensure_importable()
from pipelines.lib.warehouse.store import Warehouse  # noqa: E402

GB = 1024 ** 3


def generate(wh: Warehouse, target_bytes: int) -> None:
    """Grow bench.big by batches of random rows until the working file reaches target_bytes."""
    with wh.connect() as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS bench")
        con.execute("CREATE TABLE IF NOT EXISTS bench.small (k INTEGER, v VARCHAR)")
        con.execute("INSERT INTO bench.small SELECT i, md5(i::VARCHAR) FROM range(1000) t(i)")
        con.execute("CREATE TABLE IF NOT EXISTS bench.big (i BIGINT, a DOUBLE, b DOUBLE, c DOUBLE, s VARCHAR)")
    batch, start = 5_000_000, 0
    while not wh.work_path.exists() or wh.work_path.stat().st_size < target_bytes:
        with wh.connect() as con:
            con.execute("INSERT INTO bench.big SELECT i, random(), random(), random(), md5(i::VARCHAR) "
                        f"FROM range({start}, {start + batch}) t(i)")
        start += batch


def old_publish(wh: Warehouse) -> None:
    """The publish this replaces: a full copy to a staging name, fsync, rename, on every run."""
    staging = wh.published.with_name(f".{wh.published.name}.old-publishing")
    shutil.copyfile(wh.work_path, staging)
    with open(staging, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(staging, wh.published)


def main() -> None:
    quick = quick_requested()
    target = (200 * 1024 ** 2) if quick else 2 * GB
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory(dir=os.environ.get("LEAKPIPE_BENCH_TMP")) as tmp:
        big = Warehouse(Path(tmp) / "big" / "leaks.duckdb")
        started = time.perf_counter()
        generate(big, target)
        size = big.work_path.stat().st_size
        print(f"generated a {size / GB:.2f} GB working file in {time.perf_counter() - started:.0f} s")
        small = Warehouse(Path(tmp) / "small" / "leaks.duckdb")
        with small.connect() as con:
            con.execute("CREATE TABLE core.t AS SELECT i, md5(i::VARCHAR) s FROM range(20000) t(i)")
        small.publish()
        old_publish(big)
        big.publish()                 # first publish: the record of what is published
        methods = {}
        counter = iter(range(10 ** 6))

        def write_one_row():   # untimed, before both the old and the new publish: same page-cache state
            with big.connect() as con:
                con.execute("INSERT INTO bench.small VALUES (?, 'changed')", [100_000 + next(counter)])

        def changed():
            write_one_row()
            started = time.perf_counter()
            big.publish()
            assert big.last_publish.copied, big.last_publish
            methods["changed"] = big.last_publish.method
            return time.perf_counter() - started

        def unchanged(wh):
            with wh.connect() as con:
                con.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
            started = time.perf_counter()
            wh.publish()
            assert not wh.last_publish.copied, wh.last_publish
            return time.perf_counter() - started

        def old():
            write_one_row()
            started = time.perf_counter()
            old_publish(big)          # ('changed', next, publishes and records again)
            return time.perf_counter() - started

        seconds: dict[str, float] = {}

        def keep(name, result):
            seconds[name] = min(seconds.get(name, float("inf")), result)

        timed_interleaved({"old": old, "changed": changed, "unchanged": lambda: unchanged(big), "unchanged_small": lambda: unchanged(small)},
                          repeat=repeat, keep=keep)
    label = f"{size / GB:.1f} GB"
    print(f"publish on a {label} warehouse (best of {repeat}): old full copy {seconds['old']:.3f} s, "
          f"changed {seconds['changed']:.3f} s ({methods.get('changed')}), unchanged {seconds['unchanged'] * 1000:.2f} ms; "
          f"unchanged on a 2 MB warehouse {seconds['unchanged_small'] * 1000:.2f} ms")
    print_table([
        {"workload": f"publish, unchanged, {label} (vs old full copy)", "project": seconds["unchanged"],
         "baseline": seconds["old"], "target": "<= 0.01x"},
        {"workload": f"publish, changed, {label} (vs old full copy)", "project": seconds["changed"],
         "baseline": seconds["old"], "target": "<= 1.1x"},
        # The floor is a stat and a small JSON read: noise dominates, hence the loose bound.
        {"workload": f"publish, unchanged, {label} vs 2 MB warehouse", "project": seconds["unchanged"],
         "baseline": seconds["unchanged_small"], "target": "<= 3x"},
    ])


if __name__ == "__main__":
    main()
