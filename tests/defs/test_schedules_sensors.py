"""Schedules and sensors: their targets and cadence as loaded by `dagster dev`, and the sensors
evaluated against a temporary raw folder."""
import datetime as dt
import json

import dagster as dg
import pytest

from pipelines.definitions import build_definitions, defs
from pipelines.lib.intake.inventory import KIND_BY_FOLDER
from pipelines.resources import RawFolderResource

UTC = dt.timezone.utc


def _keys(job_name: str) -> set[str]:
    job = defs.resolve_job_def(job_name)
    return {k.to_user_string() for k in job.asset_layer.executable_asset_keys}


def test_daily_market_schedule_runs_yesterdays_partition_every_day_at_0130_utc():
    schedule = defs.resolve_schedule_def("daily_market_schedule")
    assert schedule.job_name == "daily_market_job"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.cron_schedule == "30 1 * * *" and schedule.execution_timezone == "UTC"
    # Target: the daily tables and what reads them, never the weekly report.
    keys = _keys("daily_market_job")
    assert {"core/prices_daily", "core/network_daily", "marts/rally_attribution", "warehouse/published"} <= keys
    assert not keys & {"reports/report", "reports/exports", "core/prices_daily_history", "core/network_daily_history"}
    # Evaluated at a tick, it asks for the day before (a complete UTC day).
    context = dg.build_schedule_context(scheduled_execution_time=dt.datetime(2024, 3, 10, 1, 30, tzinfo=UTC))
    requests = schedule.evaluate_tick(context).run_requests
    assert [r.partition_key for r in requests] == ["2024-03-09"]


def test_weekly_report_schedule_writes_the_report_and_exports_on_mondays():
    schedule = defs.resolve_schedule_def("weekly_report_schedule")
    assert schedule.job_name == "report_job" and schedule.execution_timezone == "UTC"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.cron_schedule == "0 6 * * 1"          # minute 0, hour 6, every Monday
    monday = dt.datetime(2024, 3, 11, 6, tzinfo=UTC)
    assert monday.weekday() == 0
    requests = schedule.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=monday)).run_requests
    assert len(requests) == 1 and requests[0].partition_key is None
    assert _keys("report_job") == {"reports/report", "reports/exports"}
    # the report reads the published warehouse, so it runs after it in any job that has both
    deps = {d.to_user_string() for spec in defs.resolve_all_asset_specs()
            if spec.key.to_user_string() in {"reports/report", "reports/exports"} for d in
            (dep.asset_key for dep in spec.deps)}
    assert deps == {"warehouse/published"}


def test_one_raw_folder_sensor_starting_the_ingest_job():
    names = {s.name for s in defs.sensors}
    assert names == {"raw_folder_sensor", "daily_tables_after_ingest"}
    sensor = defs.resolve_sensor_def("raw_folder_sensor")
    assert sensor.job_name == "ingest_job"
    assert sensor.minimum_interval_seconds == 30
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    after = defs.resolve_sensor_def("daily_tables_after_ingest")
    assert {target.job_name for target in after.targets} == {"history_tables_job", "daily_tables_job"}
    assert {"core/documents", "core/cost_sheet_lines", "core/price_observations"} <= _keys("ingest_job")
    assert not _keys("ingest_job") & {"core/prices_daily", "core/prices_daily_history", "warehouse/published",
                                      "reports/report"}
    # the history job writes the same tables by month, then the same marts as the daily job
    history, recent = _keys("history_tables_job"), _keys("daily_tables_job")
    assert history - recent == {"core/prices_daily_history", "core/network_daily_history"}
    assert recent - history == {"core/prices_daily", "core/network_daily"}
    assert defs.resolve_job_def("history_tables_job").partitions_def == dg.MonthlyPartitionsDefinition(
        start_date="2009-01-01", timezone="UTC")


def test_history_is_recorded_by_month_and_the_current_month_by_day():
    """Issue 20, point 1: a backfill's cost in events follows months, not days; a day is in one run only."""
    from pipelines.defs.partitions import split_span
    from pipelines.defs.sensors import dated_runs

    today = dt.date(2026, 12, 6)
    span = (dt.date(2014, 9, 17), dt.date(2026, 12, 5))
    assert split_span(span, today) == ((dt.date(2014, 9, 1), dt.date(2026, 11, 1)),
                                       (dt.date(2026, 12, 1), dt.date(2026, 12, 5)))
    (history, tags, selection), (recent, day_tags, whole) = dated_runs(span, today)
    assert (history, recent, whole) == ("history_tables_job", "daily_tables_job", None)
    assert (tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]) == (
        "2014-09-01", "2026-11-01")
    assert tags["dagster/priority"] == "1"                  # the history rows go in before the marts run
    assert {k.to_user_string() for k in selection} == {"core/prices_daily_history", "core/network_daily_history"}
    assert (day_tags["dagster/asset_partition_range_start"], day_tags["dagster/asset_partition_range_end"]) == (
        "2026-12-01", "2026-12-05")
    months = dg.MonthlyPartitionsDefinition(start_date="2009-01-01").get_partition_keys_in_range(
        dg.PartitionKeyRange("2014-09-01", "2026-11-01"))
    assert len(months) == 147                               # instead of 4,463 daily materialisations
    # only history: one run over the months, with the marts; only this month: one daily run
    assert [(j, s) for j, _, s in dated_runs((dt.date(2022, 7, 1), dt.date(2024, 12, 31)), today)] == [
        ("history_tables_job", None)]
    assert [(j, t["dagster/asset_partition_range_start"]) for j, t, _ in
            dated_runs((dt.date(2026, 12, 2), dt.date(2026, 12, 5)), today)] == [("daily_tables_job", "2026-12-02")]
    assert split_span((dt.date(2026, 11, 30), dt.date(2026, 11, 30)), dt.date(2026, 12, 1)) == (
        (dt.date(2026, 11, 1), dt.date(2026, 11, 1)), None)   # on the 1st, yesterday's month has ended
    assert dated_runs(None, today) == []


def _evaluate(root, cursors: dict) -> dict:
    """Every raw-folder sensor once against `root`, keeping each one's cursor as the daemon would."""
    raw = RawFolderResource(path=str(root))
    out = {}
    for sensor in build_definitions().sensors:
        if sensor.name == "daily_tables_after_ingest":
            continue
        context = dg.build_sensor_context(cursor=cursors.get(sensor.name), resources={"raw": raw})
        result = sensor(context)
        cursors[sensor.name] = context.cursor
        out[sensor.name] = result
    return out


def _fired(results: dict) -> list:
    return [r for r in results.values() if isinstance(r, dg.RunRequest)]


def _selected(request) -> set[str]:
    return {k.to_user_string() for k in request.asset_selection}


def test_a_first_start_is_one_ingest_run_and_a_drop_rereads_only_its_kind(tmp_path):
    """Issue 20, point 6: a fresh raw folder (the bundled layout, every folder holding files) gives one
    ingest run, not one per folder; nothing changed gives none; a price file dropped gives one run that
    re-reads the prices (and the network table's unit check that reads the closes), not the cost sheets."""
    root = tmp_path / "raw"
    for folder in KIND_BY_FOLDER:
        (root / folder).mkdir(parents=True)
        (root / folder / "a.csv").write_text(f"{folder}\n1\n")
    cursors: dict = {}
    first = _fired(_evaluate(root, cursors))
    assert len(first) == 1                                   # one run for eight folders
    assert first[0].asset_selection is None and first[0].tags["leakpipe/kinds"] == "all"
    assert first[0].tags["leakpipe/changed_files"] == str(len(KIND_BY_FOLDER))
    assert first[0].run_config == {"execution": {"config": {"in_process": {}}}}   # one process, as `make run`
    assert _fired(_evaluate(root, cursors)) == []           # unchanged: no second run
    replay = _fired(_evaluate(root, {}))                    # the daemon's cursor lost: same content, same key
    assert [r.run_key for r in replay] == [first[0].run_key]

    (root / "prices" / "BTC-USD.csv").write_text("Date,Open,High,Low,Close,Volume\n2024-01-01,1,2,1,2,5\n")
    drop = _fired(_evaluate(root, cursors))
    assert len(drop) == 1 and drop[0].run_key != first[0].run_key
    assert drop[0].tags["leakpipe/kinds"] == "prices" and drop[0].tags["leakpipe/changed_files"] == "1"
    # the register and the new file's metadata (read for every kind, only for documents without a row)
    assert _selected(drop[0]) == {"core/documents", "core/document_metadata", "core/price_observations",
                                  "core/network_observations"}
    assert json.loads(cursors["raw_folder_sensor"]).keys() == {
        f"{folder}/a.csv" for folder in KIND_BY_FOLDER} | {"prices/BTC-USD.csv"}


def test_the_raw_folder_sensor_on_changes_removals_and_misplaced_files(tmp_path):
    root = tmp_path / "raw"
    for folder in KIND_BY_FOLDER:
        (root / folder).mkdir(parents=True)
    cursors: dict = {}
    assert _fired(_evaluate(root, cursors)) == []           # empty folders: the sensor skips

    (root / "cost_sheets" / "leak.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (root / "capex" / "release.txt").write_text("Meta will spend $10 billion on data centers.")
    (fired,) = _fired(_evaluate(root, cursors))
    assert fired.asset_selection is None                    # the first files: everything is read once

    (root / "cost_sheets" / "leak.pdf").write_bytes(b"%PDF-1.4\n% changed\n%%EOF\n")
    (changed,) = _fired(_evaluate(root, cursors))
    assert changed.tags["leakpipe/kinds"] == "cost_sheet" and changed.run_key != fired.run_key
    assert _selected(changed) == {"core/documents", "core/document_metadata", "core/cost_sheet_lines",
                                  "core/document_text", "search/document_index"}   # its text is searchable

    (root / "capex" / "release.txt").unlink()             # a removal is a change too
    (removed,) = _fired(_evaluate(root, cursors))
    assert removed.tags["leakpipe/removed_files"] == "1" and removed.tags["leakpipe/kinds"] == "capex"
    assert _selected(removed) == {"core/documents", "core/document_metadata", "core/capex_announcements",
                                  "core/capex_quarterly", "core/document_text", "search/document_index"}

    (root / "notes.csv").write_text("a,b\n1,2\n")          # misplaced: registered and quarantined, so watched
    (root / "misc").mkdir()
    (root / "misc" / "x.pdf").write_bytes(b"%PDF-1.4\n")
    (misplaced,) = _fired(_evaluate(root, cursors))
    assert misplaced.tags["leakpipe/changed_files"] == "2" and misplaced.tags["leakpipe/kinds"] == "misplaced"
    assert _selected(misplaced) == {"core/documents", "core/document_metadata"}   # its metadata is read too


def test_a_missing_raw_folder_makes_every_sensor_skip(tmp_path):
    results = _evaluate(tmp_path / "nowhere", {})
    assert results and all(isinstance(r, dg.SkipReason) for r in results.values())


def _three_btc_days(tmp_path):
    """A raw folder with three days of BTC prices (2024-01-01..03) and the definitions built on it."""
    raw = tmp_path / "raw"
    (raw / "prices").mkdir(parents=True)
    (raw / "prices" / "BTC-USD.csv").write_text(
        "Date,Open,High,Low,Close,Volume\n2024-01-01,1,2,1,2,5\n2024-01-02,2,3,2,3,5\n2024-01-03,3,4,3,4,5\n")
    return raw, build_definitions({"LEAKPIPE_RAW_DIR": str(raw), "LEAKPIPE_WAREHOUSE": str(tmp_path / "w" / "l.duckdb"),
                                   "LEAKPIPE_REPORTS_DIR": str(tmp_path / "reports"),
                                   "LEAKPIPE_EXTRACT_CACHE": str(tmp_path / "cache")})


@pytest.mark.e2e
def test_after_an_ingest_run_the_daily_tables_run_over_the_dates_it_loaded(tmp_path):
    _, built = _three_btc_days(tmp_path)
    with dg.DagsterInstance.ephemeral() as instance:
        result = built.resolve_job_def("ingest_job").execute_in_process(instance=instance)
        assert result.success
        success = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS)
        sensor = built.resolve_sensor_def("daily_tables_after_ingest")
        context = dg.build_run_status_sensor_context(
            sensor_name=sensor.name, dagster_instance=instance, dagster_run=result.dagster_run,
            dagster_event=success)
        (request,) = list(sensor(context))
        # January 2024 has ended: one history run over that month, with the marts and the publish
        assert request.job_name == "history_tables_job" and request.asset_selection is None
        assert request.tags["dagster/asset_partition_range_start"] == "2024-01-01"
        assert request.tags["dagster/asset_partition_range_end"] == "2024-01-01"
        assert request.run_key == f"history_tables_job-after-{result.run_id}"
        assert request.run_config == {"execution": {"config": {"in_process": {}}}}
        history = built.resolve_job_def("history_tables_job").execute_in_process(instance=instance, tags=request.tags)
        assert history.success
        key = dg.AssetKey(["core", "prices_daily_history"])
        assert instance.get_materialized_partitions(key) == {"2024-01-01"}
        assert instance.get_latest_materialization_event(dg.AssetKey(["warehouse", "published"])) is not None
    import duckdb
    with duckdb.connect(str(tmp_path / "w" / "l.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), max(close_usd) FROM core.prices_daily WHERE asset = 'BTC'").fetchone() \
            == (3, 4.0)


def _ingest_then_sensor(built, instance):
    result = built.resolve_job_def("ingest_job").execute_in_process(instance=instance)
    assert result.success
    success = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS)
    sensor = built.resolve_sensor_def("daily_tables_after_ingest")
    context = dg.build_run_status_sensor_context(sensor_name=sensor.name, dagster_instance=instance,
                                                 dagster_run=result.dagster_run, dagster_event=success)
    stale = instance.get_latest_materialization_event(dg.AssetKey(["core", "price_observations"])) \
        .asset_materialization.metadata
    return list(sensor(context)), {k: stale[k].value for k in ("stale_days", "stale_date_min", "stale_date_max")
                                   if k in stale}


def test_after_an_ingest_run_only_the_days_whose_rows_change_are_rebuilt(tmp_path):
    """A drop rebuilds the months whose daily rows it changes (every column compared), not the whole
    history; a changed value in an old file is never skipped; the same rows again change no day."""
    raw, built = _three_btc_days(tmp_path)
    history = built.resolve_job_def("history_tables_job")
    with dg.DagsterInstance.ephemeral() as instance:
        (request,), stale = _ingest_then_sensor(built, instance)
        assert stale == {"stale_days": 3, "stale_date_min": "2024-01-01", "stale_date_max": "2024-01-03"}
        assert history.execute_in_process(instance=instance, tags=request.tags).success
        # a new file with two February days: only February is rebuilt
        (raw / "prices" / "BTC-USD-2024-02.csv").write_text(
            "Date,Open,High,Low,Close,Volume\n2024-02-01,4,5,4,5,5\n2024-02-02,5,6,5,6,5\n")
        (request,), stale = _ingest_then_sensor(built, instance)
        assert stale == {"stale_days": 2, "stale_date_min": "2024-02-01", "stale_date_max": "2024-02-02"}
        assert request.job_name == "history_tables_job"
        assert (request.tags["dagster/asset_partition_range_start"],
                request.tags["dagster/asset_partition_range_end"]) == ("2024-02-01", "2024-02-01")
        assert history.execute_in_process(instance=instance, tags=request.tags).success
        # one close changed in the old file: January is rebuilt (every day of that file: its rows now
        # come from another document, which the daily rows name)
        (raw / "prices" / "BTC-USD.csv").write_text(
            "Date,Open,High,Low,Close,Volume\n2024-01-01,1,2,1,2,5\n2024-01-02,2,3.5,2,3.5,5\n2024-01-03,3,4,3,4,5\n")
        (request,), stale = _ingest_then_sensor(built, instance)
        assert stale == {"stale_days": 3, "stale_date_min": "2024-01-01", "stale_date_max": "2024-01-03"}
        assert (request.tags["dagster/asset_partition_range_start"],
                request.tags["dagster/asset_partition_range_end"]) == ("2024-01-01", "2024-01-01")
        assert history.execute_in_process(instance=instance, tags=request.tags).success
        # nothing changed: no day is rebuilt (the marts and the publish still follow, over yesterday)
        (request,), stale = _ingest_then_sensor(built, instance)
        assert stale == {"stale_days": 0}
        assert request.job_name == "daily_tables_job"
    import duckdb
    with duckdb.connect(str(tmp_path / "w" / "l.duckdb"), read_only=True) as con:
        assert con.execute("SELECT date::VARCHAR, close_usd FROM core.prices_daily WHERE asset = 'BTC' ORDER BY date"
                           ).fetchall() == [("2024-01-01", 2.0), ("2024-01-02", 3.5), ("2024-01-03", 4.0),
                                            ("2024-02-01", 5.0), ("2024-02-02", 6.0)]
