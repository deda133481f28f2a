"""Sensors: new or changed raw files start an ingest run; a finished ingest run starts the daily tables."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import dagster as dg

from pipelines.defs.jobs import daily_tables_job, ingest_job
from pipelines.defs.partitions import clip_to_partitions, range_tags
from pipelines.lib.inventory import sha256_of
from pipelines.resources import RawFolderResource

SPAN_ASSETS = [dg.AssetKey(["core", "price_observations"]), dg.AssetKey(["core", "network_observations"])]


def fingerprint_folder(root: Path, previous: dict) -> dict:
    """{path: [size, mtime_ns, sha256]} for every file; a file is re-hashed only when size or mtime moved."""
    out = {}
    if not root.is_dir():
        return out
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        try:
            stat = path.stat()
            old = previous.get(rel)
            if old and old[0] == stat.st_size and old[1] == stat.st_mtime_ns:
                out[rel] = old
            else:
                out[rel] = [stat.st_size, stat.st_mtime_ns, sha256_of(path)]
        except OSError:
            continue  # vanished or unreadable between listing and reading: next tick sees it
    return out


@dg.sensor(job=ingest_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_folder_sensor(context: dg.SensorEvaluationContext, raw: RawFolderResource):
    """Starts an ingest run when files under the raw folder are added, changed or removed. The run
    key is the hash of every (path, sha256), so the same content dropped twice is ingested once."""
    previous = json.loads(context.cursor) if context.cursor else {}
    current = fingerprint_folder(raw.root, previous)
    state = {p: v[2] for p, v in current.items()}
    if state == {p: v[2] for p, v in previous.items()}:
        context.update_cursor(json.dumps(current))
        return dg.SkipReason(f"no new or changed file among {len(current)} under {raw.root}")
    key = hashlib.sha256(json.dumps(sorted(state.items())).encode()).hexdigest()
    context.update_cursor(json.dumps(current))
    changed = sorted(p for p in state if previous.get(p, [None] * 3)[2] != state[p])
    return dg.RunRequest(run_key=f"raw-{key}", tags={"leakpipe/changed_files": str(len(changed))})


def daily_range_after_ingest(instance: dg.DagsterInstance, run_id: str, today: dt.date):
    """The dates the ingest run loaded (from its observation assets' metadata), clipped to the partitions."""
    firsts, lasts = [], []
    for record in instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records:
        mat = record.event_log_entry.asset_materialization
        if mat and mat.asset_key in SPAN_ASSETS:
            meta = mat.metadata
            if "date_min" in meta and "date_max" in meta:
                firsts.append(dt.date.fromisoformat(meta["date_min"].value))
                lasts.append(dt.date.fromisoformat(meta["date_max"].value))
    return clip_to_partitions(min(firsts), max(lasts), today) if firsts else None


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[ingest_job],
                      request_job=daily_tables_job, default_status=dg.DefaultSensorStatus.RUNNING)
def daily_tables_after_ingest(context: dg.RunStatusSensorContext):
    """After a successful ingest run, rebuild the daily tables over the dates it loaded, in one run,
    then what reads them (marts, published warehouse, Data Docs). Without dated rows the run covers
    yesterday only, so the marts and the publish still follow every ingest."""
    today = dt.datetime.now(dt.timezone.utc).date()
    span = daily_range_after_ingest(context.instance, context.dagster_run.run_id, today)
    if span is None:
        yesterday = today - dt.timedelta(days=1)
        span = (yesterday, yesterday)
    return dg.RunRequest(run_key=f"daily-after-{context.dagster_run.run_id}", tags=range_tags(*span))
