"""Sensors: a new or changed file in a raw subfolder starts an ingest run (one sensor per subfolder);
a finished ingest run starts the daily tables."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Callable

import dagster as dg

from pipelines.defs.jobs import daily_tables_job, ingest_job
from pipelines.defs.partitions import clip_to_partitions, range_tags
from pipelines.lib.intake.inventory import KIND_BY_FOLDER, sha256_of
from pipelines.resources import RawFolderResource

SPAN_ASSETS = [dg.AssetKey(["core", "price_observations"]), dg.AssetKey(["core", "network_observations"])]


def fingerprint_folder(root: Path, previous: dict, under: str = "",
                       keep: Callable[[str], bool] = lambda rel: True) -> dict:
    """{path relative to root: [size, mtime_ns, sha256]} for every file below root/under whose
    relative path `keep`s; a file is re-hashed only when its size or mtime moved."""
    out = {}
    base = root / under if under else root
    if not base.is_dir() or (under and base.is_symlink()):   # a subfolder linking out is not walked
        return out
    for path in sorted(p for p in base.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        if not keep(rel):
            continue
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


def _outside_known_folders(rel: str) -> bool:
    return rel.split("/", 1)[0] not in KIND_BY_FOLDER or "/" not in rel


def raw_files_sensor(name: str, watched: str, under: str = "",
                     keep: Callable[[str], bool] = lambda rel: True) -> dg.SensorDefinition:
    """A sensor that starts `ingest_job` when a file it watches is added, changed or removed. The
    run key is the hash of every watched (path, sha256), so the same content dropped twice is
    ingested once; the cursor keeps (size, mtime, sha256) so unchanged files are not re-hashed."""

    @dg.sensor(name=name, job=ingest_job, minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Starts ingest_job when a file in {watched} of the raw folder is added, changed "
                           "or removed (one run per distinct content).")
    def _sensor(context: dg.SensorEvaluationContext, raw: RawFolderResource):
        previous = json.loads(context.cursor) if context.cursor else {}
        current = fingerprint_folder(raw.root, previous, under, keep)
        state = {p: v[2] for p, v in current.items()}
        context.update_cursor(json.dumps(current))
        if state == {p: v[2] for p, v in previous.items()}:
            return dg.SkipReason(f"no new or changed file among {len(current)} in {watched} of {raw.root}")
        key = hashlib.sha256(json.dumps(sorted(state.items())).encode()).hexdigest()
        changed = sorted(p for p in state if previous.get(p, [None] * 3)[2] != state[p])
        removed = sorted(set(previous) - set(state))
        return dg.RunRequest(run_key=f"{name}-{key}", tags={
            "leakpipe/watched": watched, "leakpipe/changed_files": str(len(changed)),
            "leakpipe/removed_files": str(len(removed))})

    return _sensor


# One document sensor per raw subfolder of the data contract, and one for files anywhere else
# (they are registered and quarantined with the reason, so a misplaced file is seen, not ignored).
raw_folder_sensors = [raw_files_sensor(f"raw_{folder}_sensor", f"{folder}/", under=folder)
                      for folder in KIND_BY_FOLDER] + [
    raw_files_sensor("raw_misplaced_files_sensor", "files outside the known subfolders", keep=_outside_known_folders)]


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
