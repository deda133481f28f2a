"""The rows a suite rejects, as core.quarantine records: a readable locator, the row as JSON and why."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable

import pandas as pd

from pipelines.lib.validation.expectations import ROWID, Suite
from pipelines.lib.validation.runner import SuiteOutcome


def locators(frame: pd.DataFrame, columns: Iterable[str]) -> pd.Series:
    """'asset=BTC date=2024-01-03': the row's key, readable, stable across runs."""
    columns = list(columns)
    if not columns:
        return pd.Series([f"row {i}" for i in range(len(frame))], index=frame.index, dtype=object)
    texts = [frame[c].map(_text).astype(str).tolist() for c in columns]
    return pd.Series([" ".join(f"{c}={t}" for c, t in zip(columns, values)) for values in zip(*texts)],
                     index=frame.index, dtype=object)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return "NULL"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def record_json(row: pd.Series) -> str:
    """The row as JSON for core.quarantine.raw_record (dates ISO, lists as lists, NaN as null)."""
    def plain(v):
        if isinstance(v, (list, tuple)) or hasattr(v, "tolist"):
            v = v.tolist() if hasattr(v, "tolist") else list(v)
            return [plain(x) for x in v] if isinstance(v, list) else v
        if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, (pd.Timestamp, dt.date, dt.datetime)):
            return v.isoformat()
        return v.item() if hasattr(v, "item") else v
    return json.dumps({k: plain(v) for k, v in row.items() if k != ROWID}, ensure_ascii=False, default=str)


def quarantine_frame(frame: pd.DataFrame, spec: Suite, outcome: SuiteOutcome) -> pd.DataFrame:
    """One row per (failing record, broken expectation): locator, check_name, reason, raw_record, rowid."""
    failures = outcome.row_failures
    columns = ["document_id", "locator", "raw_record", "reason", "check_name", "row_id"]
    if not failures:
        return pd.DataFrame(columns=columns)
    positions = sorted(failures)
    rows = frame.reset_index(drop=True).iloc[positions]
    locs = locators(rows, spec.locator)
    out = []
    for pos, loc, (_, row) in zip(positions, locs, rows.iterrows()):
        raw = record_json(row)
        doc = row.get("document_id") if "document_id" in row.index else None
        for o in failures[pos]:
            out.append({"document_id": None if doc is None or doc != doc else str(doc), "locator": loc,
                        "raw_record": raw, "reason": f"{o.why} (expectation {o.name})",
                        "check_name": o.name, "row_id": None if pd.isna(row.get(ROWID)) else int(row[ROWID])})
    return pd.DataFrame(out, columns=columns)
