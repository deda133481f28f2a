"""Glue shared by the ingestion assets: parse each file of a kind, load its table, record outcomes."""
from __future__ import annotations

import datetime as dt
import time
import traceback
from typing import Callable

import dagster as dg
import numpy as np
import pandas as pd

from pipelines.lib.common.parsed import Parsed
from pipelines.lib.warehouse.sql import load_sql, run_file
from pipelines.lib.warehouse.store import transaction


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def parse_kind(con, raw_root, kind: str, parse: Callable, today: dt.date, log=None, scratch=None):
    """Parse every current file of `kind`; a parser crash quarantines that file, never the run.
    `raw_root` is a path or the raw-folder resource; a member of an archive or e-mail
    (`a.zip!/b.csv`) is read from its unpacked copy in the scratch folder (containers.local_file)."""
    from pipelines.lib.intake.containers import default_scratch, local_file

    if hasattr(raw_root, "scratch"):
        raw_root, scratch = raw_root.root, raw_root.scratch
    scratch = scratch or default_scratch(raw_root)
    docs = con.execute(load_sql("core/documents_to_parse.sql"), {"kind": kind}).fetchall()
    rows, rejected, outcomes = [], [], []
    for path, document_id in docs:
        try:
            parsed: Parsed = parse(local_file(raw_root, scratch, path, document_id), today)
        except Exception as exc:  # one bad file never stops the others
            if log:
                log.warning(f"{path}: parser failed\n{traceback.format_exc(limit=3)}")
            parsed = Parsed.failed(f"the parser failed on this file ({type(exc).__name__}: {exc})",
                                   f"{kind}.parser_error")
        if parsed.error is None and not parsed.rows.empty:
            frame = parsed.rows.copy()
            frame["document_id"], frame["path"] = document_id, path
            rows.append(frame)
        rejected.extend(r.as_row("", document_id) for r in parsed.rejected)
        outcomes.append({
            "path": path, "document_id": document_id,
            "status": "quarantined" if parsed.error else "loaded", "error": parsed.error, "pages": None,
            "rows_loaded": 0 if parsed.error else len(parsed.rows),
            "rows_quarantined": len(parsed.rejected) if not parsed.error else 0,
        })
    staged = pd.concat(rows, ignore_index=True) if rows else None
    return staged, rejected, outcomes


def write_parsed(con, *, table: str, parser: str, load_file: str, staged, rejected, outcomes,
                 columns: list[str]) -> None:
    """In one transaction: the table's rows, its parse-stage quarantine and the files' outcomes."""
    now = utc_now()
    staged = staged if staged is not None else pd.DataFrame(columns=columns + ["document_id", "path"])
    quarantine = pd.DataFrame(rejected, columns=["source_table", "document_id", "locator", "raw_record",
                                                 "reason", "check_name"])
    outcome_frame = pd.DataFrame(outcomes, columns=["path", "document_id", "status", "error", "pages",
                                                    "rows_loaded", "rows_quarantined"])
    outcome_frame["pages"] = outcome_frame["pages"].astype("Int64")
    with transaction(con, staged=staged, staged_quarantine=quarantine, staged_outcomes=outcome_frame):
        run_file(con, load_file)
        run_file(con, "core/quarantine_sync.sql", {"source_table": table, "stage": "parse", "now": now})
        run_file(con, "core/outcomes_sync.sql", {"parser": parser, "now": now})


def _cell(value) -> str:
    """A preview cell: lists (bbox, flags) as lists, missing values blank."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return str([v.item() if hasattr(v, "item") else v for v in value]).replace("|", "\\|")[:60]
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    return str(value).replace("|", "\\|")[:60]


def _markdown(frame: pd.DataFrame) -> str:
    cells = frame.astype(object).map(_cell)
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(r) + " |" for r in cells.values.tolist()]
    return "\n".join(lines)


def table_result(con, table: str, started: float, **extra) -> dg.MaterializeResult:
    """Row count, column schema and a preview of a warehouse table, for the Dagster UI."""
    schema, name = table.split(".")
    count = con.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()[0]
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", [schema, name]).fetchall()
    preview = con.execute(f"SELECT * FROM {schema}.{name} LIMIT 5").df()
    metadata = {
        "dagster/row_count": dg.MetadataValue.int(int(count)),
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=c, type=t) for c, t in columns]),
        "preview": dg.MetadataValue.md(_markdown(preview)),
        "compute_seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 3)),
    }
    metadata.update({k: v for k, v in extra.items() if v is not None})
    return dg.MaterializeResult(metadata=metadata)


def ingest_table(context, warehouse, raw, *, kind: str, table: str, parse: Callable, load_file: str,
                 columns: list[str], today: dt.date | None = None) -> dg.MaterializeResult:
    """The whole body of a simple ingestion asset: parse the kind's files, load, report."""
    started = time.perf_counter()
    today = today or utc_now().date()
    with warehouse.handle().connect() as con:
        staged, rejected, outcomes = parse_kind(con, raw, kind, parse, today, context.log)
        write_parsed(con, table=table, parser=kind, load_file=load_file, staged=staged,
                     rejected=rejected, outcomes=outcomes, columns=columns)
        return table_result(
            con, f"core.{table}", started,
            files=dg.MetadataValue.int(len(outcomes)),
            files_quarantined=dg.MetadataValue.int(sum(o["status"] == "quarantined" for o in outcomes)),
            rows_quarantined=dg.MetadataValue.int(len(rejected)),
            date_min=_date_meta(staged, "min"), date_max=_date_meta(staged, "max"),
        )


def _date_meta(staged, how: str):
    if staged is None or "date" not in staged.columns or staged.empty:
        return None
    return dg.MetadataValue.text(str(getattr(pd.to_datetime(staged["date"]), how)().date()))


def refresh_daily_window(context, warehouse, *, table: str, refresh_file: str) -> dg.MaterializeResult:
    """Body of a daily-partitioned table: rebuild the run's window of days in one transaction."""
    from pipelines.defs.partitions import window

    started = time.perf_counter()
    start, end = window(context)
    with warehouse.handle().connect() as con:
        with transaction(con):
            run_file(con, refresh_file, {"window_start": start, "window_end": end})
        return table_result(con, table, started, window=f"{start} .. {end}")
