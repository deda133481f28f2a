"""Sensors: a new, changed or removed file anywhere in the raw folder starts one ingest run that
re-reads only the kinds of file that changed; a finished ingest run starts the daily tables (whole
months of history by month, the current month by day)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import PurePosixPath

import dagster as dg

from pipelines.defs.jobs import daily_tables_job, history_tables_job, ingest_job
from pipelines.defs.partitions import DATED_TABLES, clip_to_partitions, history_key, range_tags, split_span
from pipelines.lib.common.rundigest import content_digest, fingerprint_folder
from pipelines.lib.intake.inventory import kind_of as register_kind
from pipelines.resources import RawFolderResource

SPAN_ASSETS = [dg.AssetKey(["core", "price_observations"]), dg.AssetKey(["core", "network_observations"])]
MISPLACED = "misplaced"      # a file outside the known subfolders: registered and quarantined, so watched
# The ingest assets that parse each kind of file (the register, core/documents, reads every file).
ASSETS_BY_KIND = {
    "prices": [["core", "price_observations"]], "network": [["core", "network_observations"]],
    "hardware": [["core", "hardware_specs"]], "fx": [["core", "fx_daily"]], "flows": [["core", "fund_flows_daily"]],
    "events": [["core", "events"]], "cost_sheet": [["core", "cost_sheet_lines"]],
    "capex": [["core", "capex_announcements"], ["core", "capex_quarterly"]], MISPLACED: [],
}
REGISTER = dg.AssetKey(["core", "documents"])
# Runs the sensors start execute in one process, as `make run` does: every step writes the single-writer
# warehouse in turn and document extraction has its own pool (LEAKPIPE_EXTRACT_WORKERS), so Dagster's
# default process per step bought no parallelism, only a Python start and the imports per step (a price
# drop's ingest run: 38 s that way against 6 s in one process, on a loaded 2-core machine).
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}


def kind_of(rel: str) -> str:
    """The kind of file a raw-folder path holds, by the register's rule (inventory.kind_of); a file the
    register calls 'unknown' (outside the known subfolders) is 'misplaced' here."""
    kind = register_kind(PurePosixPath(rel))
    return MISPLACED if kind == "unknown" else kind


def ingest_selection(kinds: set[str]) -> list[dg.AssetKey]:
    """The register and what reads every document whatever its kind (core/document_metadata), the assets
    that parse `kinds` and what reads them inside the ingest job (a price file also re-runs the network
    table's unit check, which reads the closes)."""
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    parsers = dg.AssetSelection.assets(*[k for kind in sorted(kinds) for k in ASSETS_BY_KIND[kind]])
    every_parser = dg.AssetSelection.assets(*[k for keys in ASSETS_BY_KIND.values() for k in keys])
    of_every_document = dg.AssetSelection.assets(REGISTER).downstream().resolve(graph) \
        - every_parser.downstream().resolve(graph)
    job_keys = set(defs.resolve_job_def(ingest_job.name).asset_layer.executable_asset_keys)
    downstream = parsers.downstream().resolve(graph) | of_every_document | {REGISTER}
    return sorted(downstream & job_keys, key=lambda k: k.to_user_string())


@dg.sensor(name="raw_folder_sensor", job=ingest_job, minimum_interval_seconds=30,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Starts one ingest_job run when files of the raw folder are added, changed or removed, "
                       "re-reading only the kinds of file that changed (one run per distinct content).")
def raw_folder_sensor(context: dg.SensorEvaluationContext, raw: RawFolderResource):
    """One sensor for the whole raw folder, so a first start (or files dropped into several folders at
    once) is one run, not one per folder. The run key is the digest of every (path, sha256), so the same
    content is ingested once; the cursor keeps (size, mtime, sha256) so unchanged files are not re-hashed.
    A first evaluation (no file seen before) ingests everything; later ones only the kinds whose files moved."""
    previous = json.loads(context.cursor) if context.cursor else {}
    current = fingerprint_folder(raw.root, previous)
    context.update_cursor(json.dumps(current))
    old = {p: v[2] for p, v in previous.items()}
    state = {p: v[2] for p, v in current.items()}
    if state == old:
        return dg.SkipReason(f"no new, changed or removed file among {len(current)} in {raw.root}")
    changed = sorted(p for p in state if old.get(p) != state[p])
    removed = sorted(set(old) - set(state))
    kinds = {kind_of(p) for p in changed + removed}
    tags = {"leakpipe/changed_files": str(len(changed)), "leakpipe/removed_files": str(len(removed)),
            "leakpipe/kinds": ",".join(sorted(kinds)) if previous else "all"}
    selection = ingest_selection(kinds) if previous else None   # the first files: every ingest asset
    return dg.RunRequest(run_key=f"raw-{content_digest(current)}", tags=tags, asset_selection=selection,
                         run_config=IN_PROCESS)


def daily_range_after_ingest(instance: dg.DagsterInstance, run_id: str, today: dt.date, stale_only: bool = False):
    """The dates the ingest run loaded (from its observation assets' metadata), clipped to the partitions.
    With `stale_only`, only the days whose daily rows the loaded observations change (loading.stale_span:
    every column of every row compared), so a drop of a few days rebuilds those days, not the whole history."""
    firsts, lasts = [], []
    for record in instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records:
        mat = record.event_log_entry.asset_materialization
        if mat and mat.asset_key in SPAN_ASSETS:
            meta = mat.metadata
            prefix = "stale_" if stale_only and "stale_days" in meta else ""
            if f"{prefix}date_min" in meta and f"{prefix}date_max" in meta:
                firsts.append(dt.date.fromisoformat(meta[f"{prefix}date_min"].value))
                lasts.append(dt.date.fromisoformat(meta[f"{prefix}date_max"].value))
    return clip_to_partitions(min(firsts), max(lasts), today) if firsts else None


def dated_runs(span: tuple[dt.date, dt.date] | None, today: dt.date) -> list[tuple[str, dict, list | None]]:
    """(job name, run tags, asset selection or None for the whole job) of the runs that rebuild the daily
    tables over `span` and then what reads them: the months that have ended as one history run over
    monthly partitions, the current month's days as one daily run. When both are needed the history run
    rebuilds only the history rows and goes first (a higher priority), so the marts run once, after
    every day is in."""
    months, days = split_span(span, today)
    runs = []
    if months:
        runs.append((history_tables_job.name, {**range_tags(*months), **({"dagster/priority": "1"} if days else {})},
                     [history_key(t) for t in DATED_TABLES] if days else None))
    if days:
        runs.append((daily_tables_job.name, range_tags(*days), None))
    return runs


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[ingest_job],
                      request_jobs=[history_tables_job, daily_tables_job], default_status=dg.DefaultSensorStatus.RUNNING)
def daily_tables_after_ingest(context: dg.RunStatusSensorContext):
    """After a successful ingest run, rebuild the daily tables over the days whose rows it changes (whole
    months of history by month, the current month by day, see dated_runs), then what reads them (marts, published
    warehouse, Data Docs). Without dated rows the run covers yesterday only, so the marts and the publish
    still follow every ingest."""
    today = dt.datetime.now(dt.timezone.utc).date()
    span = daily_range_after_ingest(context.instance, context.dagster_run.run_id, today, stale_only=True)
    runs = dated_runs(span, today)
    if not runs:
        yesterday = today - dt.timedelta(days=1)
        runs = [(daily_tables_job.name, range_tags(yesterday, yesterday), None)]
    for job_name, tags, selection in runs:
        yield dg.RunRequest(run_key=f"{job_name}-after-{context.dagster_run.run_id}", job_name=job_name,
                            tags=tags, asset_selection=selection, run_config=IN_PROCESS)
