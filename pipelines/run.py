"""`make run`: materialise every asset on the raw folder, then say what was built and where.

Three runs: the ingest job (every unpartitioned table) on the Dagster instance at DAGSTER_HOME, so
`dagster dev` shows it, then the daily tables over exactly the dates the files hold, as one
single-run backfill (whole months of history by monthly partition, the current month's days by daily
partition: a fourth run when the files reach into this month), then the report job (report and
exports, as the weekly schedule does). Prints the tables, the documents by status, the headline, and
where the time went.
"""
import time
from contextlib import contextmanager
from pathlib import Path

_STARTED = time.perf_counter()

import datetime as dt  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "10000")   # a range run's per-day events as one batch
import dagster as dg  # noqa: E402

from pipelines.definitions import defs  # noqa: E402
from pipelines.defs.partitions import split_span  # noqa: E402
from pipelines.defs.sensors import (  # noqa: E402
    SPAN_ASSETS, daily_range_after_ingest, dated_runs, ingest_selection, kind_of)
from pipelines.lib.warehouse import analyst  # noqa: E402
from pipelines.lib.common.rundigest import RunDigest  # noqa: E402
from pipelines.lib.report.text import interval, number, share  # noqa: E402
from pipelines.lib.common.settings import load_settings  # noqa: E402
from pipelines.lib.warehouse.sql import load_sql  # noqa: E402
from pipelines.lib.warehouse.store import WarehouseBusy, exclusive_lock  # noqa: E402


def _compute_seconds(result) -> dict[str, float]:
    """Seconds each asset and each asset check spent in its own body (checks as 'check <asset>')."""
    out = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        value = mat.metadata.get("compute_seconds")
        step = mat.metadata.get("compute_step")   # a multi-asset step names itself once
        key = step.value if step is not None else mat.asset_key.to_user_string()
        if value is not None and key not in out:
            out[key] = float(value.value)
    for evaluation in result.get_asset_check_evaluations():
        value = evaluation.metadata.get("compute_seconds")
        key = f"check {evaluation.asset_key.to_user_string()}"
        if value is not None and key not in out:
            out[key] = float(value.value)
    return out


def validation_seconds(compute: dict[str, float]) -> float:
    """Time in validation: the expectation checks and the Data Docs they feed."""
    return sum(v for k, v in compute.items() if k.startswith("check ") or k == "reports/data_docs")


def _failures(result) -> list[str]:
    """One line per failed step with its reason (a dg.Failure's description, a check's verdict)."""
    lines = []
    for event in result.all_events:
        if event.is_step_failure:
            error = getattr(event.event_specific_data, "error", None)
            reason = (error.message.strip().splitlines() or [""])[0] if error else ""
            lines.append(f"{event.step_key}: {reason or event.message}")
    return lines or [e.message for e in result.all_events if e.is_failure]


def _execute(defs: dg.Definitions, job_name: str, instance, tags=None, selection=None):
    started = time.perf_counter()
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, tags=tags or {}, raise_on_error=False, asset_selection=selection,
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
    if not result.success:
        raise RuntimeError(f"{job_name} failed:\n" + "\n".join(_failures(result)[:8]))
    return result, time.perf_counter() - started


def history_instance(instance: dg.DagsterInstance) -> dg.DagsterInstance:
    """Where a range of daily partitions is recorded: `instance` unless its event log is the stock SQLite
    one, which writes each day's event in its own transactions (then an in-memory instance, and a hint)."""
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from pipelines.event_log import BatchedSqliteEventLogStorage

    storage = instance.event_log_storage
    if instance.is_ephemeral or not isinstance(storage, SqliteEventLogStorage) \
            or isinstance(storage, BatchedSqliteEventLogStorage):
        return instance
    print("note: the daily tables' days are recorded on an in-memory Dagster instance, not DAGSTER_HOME: its "
          "dagster.yaml has no `event_log_storage: {module: pipelines.event_log, class: "
          "BatchedSqliteEventLogStorage}` (see the Makefile), and stock SQLite costs a transaction per day")
    return dg.DagsterInstance.ephemeral()


def materialize_everything(defs: dg.Definitions, instance: dg.DagsterInstance, span=None, ingest=None,
                           held=None):
    """Ingest the files (`ingest`: the ingest assets to run, default every one), then the daily tables over
    `span` (default: the days whose rows the loaded files change) and everything that reads them (marts,
    the published warehouse, Data Docs). `held`: the dates the files held at the last run, the span when
    this one re-reads no price or network file.

    Returns (span: the dates the files hold, or `span` when given; compute seconds per asset; wall
    seconds of the runs)."""
    ingested, ingest_wall = _execute(defs, "ingest_job", instance, selection=ingest)
    today = dt.datetime.now(dt.timezone.utc).date()
    # Only the days whose daily rows the loaded observations change are rebuilt (the observation assets
    # compare every column of every row, loading.stale_span): a first run rebuilds every day, a run that
    # adds a cost sheet or a file of new days rebuilds those days only.
    rebuild = span or daily_range_after_ingest(instance, ingested.run_id, today, stale_only=True)
    reread = ingest is None or any(k in SPAN_ASSETS for k in ingest)
    span = span or (daily_range_after_ingest(instance, ingested.run_id, today) if reread else held)
    compute = _compute_seconds(ingested)
    daily_wall = 0.0
    runs = dated_runs(rebuild, today)
    months, days = split_span(rebuild, today)
    print("daily tables rebuilt:  " + ("; ".join(
        ([f"months {months[0]:%Y-%m} .. {months[1]:%Y-%m} (core/*_daily_history)"] if months else [])
        + ([f"days {days[0]} .. {days[1]} (core/*_daily)"] if days else []))
        or "none (no day's rows changed)"), flush=True)
    for job_name, tags, selection in runs:
        # One run per range (months of history, then this month's days); Dagster records one
        # materialisation per partition and asset, which the UI needs to show what a table holds.
        # Recorded on DAGSTER_HOME when its event log writes them as a batch (pipelines/event_log.py),
        # else on an in-memory instance (a SQLite transaction per partition).
        dated, wall = _execute(defs, job_name, history_instance(instance), tags, selection)
        compute.update({k: v + compute.get(k, 0) for k, v in _compute_seconds(dated).items()})
        daily_wall += wall
    if not runs:   # the dated runs build the marts and publish; without dated rows, do that on its own
        docs, daily_wall = _execute(defs, "analysis_job", instance)
        compute.update(_compute_seconds(docs))
    return span, compute, ingest_wall + daily_wall


def _what_to_reread(changes: tuple[list[str], dict] | None) -> tuple[list | None, tuple | None]:
    """(the ingest assets to run, the dates the files held at the last run) when only some raw files
    changed since the last successful run: the register and the assets that parse those files' kinds and
    what reads them (the raw-folder sensor's rule). (None, None) re-reads everything."""
    if changes is None:
        return None, None
    paths, previous = changes
    kinds = {kind_of(p) for p in paths}
    held = RunDigest.recorded_span(previous)
    print(f"re-read: {', '.join(sorted(kinds))} ({len(paths)} file(s) added, changed or removed); every other "
          "kind's files are as the last run read them, with the same code and settings: not re-read", flush=True)
    return ingest_selection(kinds), held


@contextmanager
def one_run_at_a_time(warehouse: Path, wait_s: float = 3600.0):
    """A second `make run` on the same warehouse waits for the first (and says so): two runs would
    otherwise race on the Dagster instance's storage and interleave their writes."""
    def say_waiting():
        print(f"another run is writing {warehouse}; waiting for it to finish ...", flush=True)

    try:
        with exclusive_lock(warehouse.with_name(f".{warehouse.name}.run.lock"), wait_s, say_waiting):
            yield
    except WarehouseBusy as exc:
        sys.exit(f"gave up waiting: {exc}")


def unknown_days_summary(con) -> list[str]:
    """Lines saying, per coin, on how many modelled days the idle fleet's network share is unknown (and why);
    none when every day is known."""
    cur = con.execute(load_sql("report/network_share_summary.sql"))
    columns = [d[0] for d in cur.description]
    rows = [r for r in (dict(zip(columns, row)) for row in cur.fetchall()) if r["days_unknown"]]
    if not rows:
        return []
    return ["idle fleet's network share unknown (not 0) on days that may be proof of work "
            "(SELECT * FROM marts.mining_contribution_daily WHERE unknown_reason IS NOT NULL):"] + [
        f"  {r['coin']}: {r['days_unknown']:,} of {r['days']:,} days ({r['unknown_reasons']})" for r in rows]


def detectability_summary(con) -> list[str]:
    """One line per proof-of-work coin and rally window: would the chain show the idle fleet (the verdict,
    the implied step p05..p95 against the smallest detectable step, the largest step up observed)."""
    rows = con.execute(load_sql("run/fleet_detectability_headline.sql")).fetchall()
    if not rows:
        return []
    return ["would the chain show the idle fleet? (step in log hashrate; SELECT * FROM views.fleet_detectability):"] + [
        f"  {coin} {window}: {verdict} (implied {number(p05)}..{number(p95)}, detectable {number(mdet)}, "
        f"observed {number(obs)})" for coin, window, verdict, p05, p95, mdet, obs in rows]


def main() -> None:
    settings = load_settings()
    startup = time.perf_counter() - _STARTED
    print(f"raw folder: {settings.raw_dir}")
    with one_run_at_a_time(settings.warehouse):
        digest = RunDigest.of(settings)
        previous, reasons = digest.unchanged_since_last_run()
        if settings.pull_enabled:   # a pull fetches days that no file holds yet: never a no-op
            previous, reasons = None, ["LEAKPIPE_PULL_PRICES is on"]
        if previous is not None:
            span = RunDigest.recorded_span(previous)
            compute, run_wall = {}, 0.0
            print(f"no-op: the raw folder ({len(digest.raw)} files, by content), the code and the assumptions are "
                  f"unchanged since the run of {previous.get('started_at', '?')}, and the warehouse and reports are "
                  "as it left them: nothing re-extracted, re-validated, re-modelled, re-published, re-reported "
                  "or re-exported (a changed file, module, assumption or setting rebuilds)")
        else:
            print("building: " + "; ".join(reasons))
            changes = None if settings.pull_enabled else digest.raw_changes()
            digest.forget()
            started_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
            ingest, held = _what_to_reread(changes)
            try:
                span, compute, run_wall = materialize_everything(defs, instance, ingest=ingest, held=held)
                reports, reports_wall = _execute(defs, "report_job", instance)
            except RuntimeError as exc:
                sys.exit(str(exc))
            compute.update(_compute_seconds(reports))
            run_wall += reports_wall
            digest.record(span, started_at)
    total = time.perf_counter() - _STARTED

    with analyst.connect(settings.warehouse) as con:   # the summary is an analyst's read
        tables = [(f"{schema}.{name}", con.execute(f'SELECT count(*) FROM "{schema}"."{name}"').fetchone()[0])
                  for schema, name in con.execute(load_sql("run/table_row_counts.sql")).fetchall()]
        statuses = con.execute(load_sql("run/documents_by_status.sql")).fetchall()
        quarantined = con.execute("SELECT count(*) FROM core.quarantine").fetchone()[0]
        failed_checks = con.execute(load_sql("run/validation_failures.sql")).fetchall()
        headline = con.execute(load_sql("run/rally_attribution_headline.sql")).fetchall()
        unknown_days = unknown_days_summary(con)
        detectability = detectability_summary(con)
    print(f"\nwarehouse (published): {settings.warehouse}")
    print(f"reports folder:        {settings.reports_dir}")
    print(f"validation Data Docs:  {settings.reports_dir / 'data_docs' / 'index.html'}")
    print(f"report:                {settings.reports_dir / 'report' / 'report.html'} (.pdf, .md)")
    print(f"exports:               {settings.reports_dir / 'exports'} (parquet/, csv/)")
    print(f"daily partitions:      {span[0]} .. {span[1]}" if span else "daily partitions: none (no dated rows)")
    print("\ntable                           rows")
    for name, rows in tables:
        print(f"  {name:<28} {rows:>8}")
    print("\ndocuments by status: " + ", ".join(f"{s} {n}" for s, n in statuses))
    print(f"quarantined records: {quarantined}  (SELECT * FROM core.quarantine)")
    print("\nvalidation (great-expectations, SELECT * FROM core.validation_results): "
          + ("every expectation passes" if not failed_checks else f"{len(failed_checks)} expectation(s) not met"))
    for table, expectation, severity, count, observed, why in failed_checks:
        what = f"{count} row(s)" if count else f"observed {observed}"
        print(f"  {severity:<5} core.{table}: {why} [{what}]")
    if headline:
        print("\nrally attribution (share of the rally's log return, p50 [p05, p95]; "
              "SELECT * FROM marts.rally_attribution):")
        for coin, _, start, end, subject, rally, h50, h95, f05, f50, f95, e05, e50, e95, _, no_rally, na in headline:
            if no_rally:   # a falling window has no shares: say why instead of printing 'unknown'
                print(f"  {coin} {start}..{end} (log return {rally:+.3f}) {subject}: no shares, {no_rally}")
                continue
            na = set((na or "").split(", "))   # a channel that does not apply is NULL: said so, not 'unknown'
            parts = [("flow", f"flow {interval(f50, f05, f95)}"), ("event", f"event {interval(e50, e05, e95)}"),
                     ("hashrate", f"hashrate {share(h50)} (p95 {share(h95)})")]
            print(f"  {coin} {start}..{end} (log return {rally:+.3f}) {subject}: "
                  + "  ".join(f"{c} not applicable" if c in na else text for c, text in parts))
    if unknown_days:
        print("\n" + "\n".join(unknown_days))
    if detectability:
        print("\n" + "\n".join(detectability))
    print("\nanalysts: .venv/bin/leakpipe --help  (query, status, report, export, ingest, schema; "
          "example queries in sql/analyst/)")
    compute_total = sum(compute.values())
    validation = validation_seconds(compute)
    print(f"\ntime: total {total:.1f} s = start-up {startup:.1f} s + asset compute {compute_total:.1f} s "
          f"+ orchestration {run_wall - compute_total:.1f} s")
    print(f"validation: {validation:.1f} s = {100 * validation / total:.0f} % of the run")
    for key, seconds in sorted(compute.items(), key=lambda kv: -kv[1]):
        print(f"  {key:<30} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
