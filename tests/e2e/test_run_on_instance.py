"""`make run` on a DAGSTER_HOME like the Makefile's: what it built is what that instance (and so the
Dagster UI on it) shows, and an unchanged re-run does nothing (issue 20, points 5 and 2)."""
import os
import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from pipelines.defs.partitions import monthly
from pipelines.lib.common.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

DAGSTER_YAML = ("telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    max_concurrent_runs: 1\n"
                "event_log_storage:\n  module: pipelines.event_log\n  class: BatchedSqliteEventLogStorage\n"
                "  config: {}\n")


def _make_run(env: dict) -> str:
    done = subprocess.run([sys.executable, "-m", "pipelines.run"], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    return done.stdout


def _snapshot(warehouse) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                            "WHERE schema_name IN ('core','marts') ORDER BY 1, 2").fetchall()
        return {f"{s}.{t}": sorted(map(repr, con.execute(f'SELECT * FROM "{s}"."{t}"').fetchall()))
                for s, t in names}


def test_make_run_is_what_the_instance_shows_and_a_noop_rerun_does_nothing(bundled_raw, tmp_path, extract_cache,
                                                                           monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML)
    warehouse = tmp_path / "warehouse" / "leaks.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEAKPIPE_", "DAGSTER_"))}
    env.update(DAGSTER_HOME=str(home), LEAKPIPE_RAW_DIR=str(bundled_raw), LEAKPIPE_WAREHOUSE=str(warehouse),
               LEAKPIPE_REPORTS_DIR=str(tmp_path / "reports"), LEAKPIPE_EXTRACT_CACHE=str(extract_cache),
               PYTHONPATH=str(PROJECT_ROOT), DAGSTER_DISABLE_TELEMETRY="true", GX_ANALYTICS_ENABLED="false")
    first = _make_run(env)
    assert "daily partitions:      2022-07-01 .. 2024-12-31" in first
    assert "daily tables rebuilt:  months 2022-07 .. 2024-12 (core/*_daily_history)" in first

    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get() as instance:
        # point 5: the daily tables hold, for the instance, exactly the days the files hold
        with duckdb.connect(str(warehouse), read_only=True) as con:
            first_day, last_day = con.execute(
                "SELECT min(d)::VARCHAR, max(d)::VARCHAR FROM (SELECT date AS d FROM core.prices_daily "
                "UNION ALL SELECT date FROM core.network_daily)").fetchone()
            marts = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'")
                     .fetchall() if t != "models_digest"]
            counts = {f"marts/{t}": con.execute(f'SELECT count(*) FROM marts."{t}"').fetchone()[0] for t in marts}
        months = set(monthly.get_partition_keys_in_range(dg.PartitionKeyRange("2022-07-01", "2024-12-01")))
        assert (first_day, last_day) == ("2022-07-01", "2024-12-31") and len(months) == 30
        for table in ("prices_daily", "network_daily"):   # every month has ended: history, by month
            assert instance.get_materialized_partitions(dg.AssetKey(["core", f"{table}_history"])) == months, table
            assert instance.get_materialized_partitions(dg.AssetKey(["core", table])) == set(), table
        # every mart has a materialisation whose row count is the table's
        assert len(counts) >= 9
        for key, rows in counts.items():
            event = instance.get_latest_materialization_event(dg.AssetKey.from_user_string(key))
            assert event is not None, f"{key} never materialised on DAGSTER_HOME"
            assert event.asset_materialization.metadata["dagster/row_count"].value == rows, key
        runs = instance.get_runs_count()
        assert runs == 3                                     # ingest, the daily range, the report

        # point 2: the same inputs, code and assumptions: nothing runs, nothing changes
        before = _snapshot(warehouse)
        stat = warehouse.stat()
        second = _make_run(env)
        assert "no-op: the raw folder" in second and "nothing re-extracted" in second
        assert "daily partitions:      2022-07-01 .. 2024-12-31" in second
        assert instance.get_runs_count() == runs
    assert _snapshot(warehouse) == before
    assert (warehouse.stat().st_mtime_ns, warehouse.stat().st_size) == (stat.st_mtime_ns, stat.st_size)

    # a file touched but unchanged in content is still a no-op (digests by content, not mtime)
    btc = bundled_raw / "prices" / "BTC-USD.csv"
    os.utime(btc, (btc.stat().st_atime + 10, btc.stat().st_mtime + 10))
    assert "no-op: the raw folder" in _make_run(env)
