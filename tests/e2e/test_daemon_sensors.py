"""The scheduled path through Dagster's own sensor daemon code (issue 20, point 6): on a fresh raw folder
the first ticks do the work once (one ingest run, one dated run), ticks with nothing new launch nothing,
and a price file dropped into prices/ re-reads only the prices and is published.

The daemon runs in this process (pipelines/daemon_ticks.py): Dagster's execute_sensor_iteration on a test
instance with a synchronous run launcher, its clock moved past the sensors' 30 s interval per tick."""
import duckdb
import pytest

import dagster as dg

from pipelines.daemon_ticks import SensorDaemon

pytestmark = pytest.mark.e2e

NEW_DAYS = ("datetime,open,high,low,close,volume,source\n"
            "2025-01-01,93000.0,94000.0,92000.0,93500.0,1000,test drop\n"
            "2025-01-02,93500.0,96000.0,93000.0,95800.0,1000,test drop\n"
            "2025-01-03,95800.0,97000.0,95000.0,96100.0,1000,test drop\n")
PRICE_ASSETS = {"core/documents", "core/price_observations"}


def _published(warehouse, sql):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _selection(run: dg.DagsterRun) -> set[str] | None:
    return None if run.asset_selection is None else {k.to_user_string() for k in run.asset_selection}


def test_first_start_runs_once_and_a_price_drop_rereads_only_prices(bundled_raw, tmp_path, extract_cache):
    warehouse = tmp_path / "warehouse" / "leaks.duckdb"
    env = {"LEAKPIPE_RAW_DIR": str(bundled_raw), "LEAKPIPE_WAREHOUSE": str(warehouse),
           "LEAKPIPE_REPORTS_DIR": str(tmp_path / "reports"), "LEAKPIPE_EXTRACT_CACHE": str(extract_cache),
           "LEAKPIPE_SCRATCH_DIR": str(tmp_path / "scratch")}
    with SensorDaemon(tmp_path / "dagster_home", env) as daemon:
        # first start: one ingest of everything, and after it one run of the dated tables
        first = daemon.tick()
        assert [r.job_name for r in first] == ["ingest_job"]
        assert first[0].status == dg.DagsterRunStatus.SUCCESS and _selection(first[0]) is None
        assert first[0].tags["leakpipe/kinds"] == "all"
        assert all(r.run_config == {"execution": {"config": {"in_process": {}}}} for r in daemon.runs())
        dated = daemon.tick()
        assert [r.job_name for r in dated] == ["history_tables_job"]   # the sample ends 2024-12: all history
        assert dated[0].status == dg.DagsterRunStatus.SUCCESS
        assert dated[0].tags["dagster/asset_partition_range_start"] == "2022-07-01"
        assert dated[0].tags["dagster/asset_partition_range_end"] == "2024-12-01"
        assert _published(warehouse, "SELECT max(date)::VARCHAR FROM core.prices_daily WHERE asset = 'BTC'") \
            == [("2024-12-31",)]
        # nothing changed: nothing runs, however often the daemon ticks
        assert daemon.tick() == [] and daemon.tick() == []
        assert len(daemon.runs()) == 2

        # a price file with three new BTC days: one ingest of the prices, then one dated run
        (bundled_raw / "prices" / "BTC-USD-2025-01.csv").write_text(NEW_DAYS)
        drop = daemon.tick()
        assert [r.job_name for r in drop] == ["ingest_job"] and drop[0].status == dg.DagsterRunStatus.SUCCESS
        assert drop[0].tags["leakpipe/kinds"] == "prices" and drop[0].tags["leakpipe/changed_files"] == "1"
        selected = _selection(drop[0])
        assert PRICE_ASSETS <= selected, selected
        # no other kind of file is re-read; the new file's own metadata is (only the documents without a row)
        assert not {k for k in selected if k.startswith("core/") and k not in PRICE_ASSETS
                    and not k.startswith("core/network") and k != "core/document_metadata"}, selected
        assert "core/document_metadata" in selected
        after = daemon.tick()
        assert [r.job_name for r in after] == ["history_tables_job"] and after[0].status == dg.DagsterRunStatus.SUCCESS
        # only the month whose daily rows the drop changes is rebuilt, not the 30 months before it
        assert (after[0].tags["dagster/asset_partition_range_start"],
                after[0].tags["dagster/asset_partition_range_end"]) == ("2025-01-01", "2025-01-01")
        assert _published(warehouse, "SELECT date::VARCHAR, close_usd FROM core.prices_daily WHERE asset = 'BTC' "
                                     "AND date >= '2025-01-01' ORDER BY date") == [
            ("2025-01-01", 93500.0), ("2025-01-02", 95800.0), ("2025-01-03", 96100.0)]
        assert daemon.tick() == []
        assert len(daemon.runs()) == 4
