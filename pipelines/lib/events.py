"""Dated events (protocol changes, ETF dates, capex news, leaks): date, asset, kind, title, source."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pipelines.lib.csvfile import InputError, read_head
from pipelines.lib.parsed import Parsed
from pipelines.lib.tabular import RowChecks, check_dates, parse_dates, read_frame

SYNONYMS = {"title": ("title", "event", "headline", "name"), "source": ("source", "external_source", "url")}


def parse_events_file(path: Path, today: dt.date) -> Parsed:
    try:
        frame = read_frame(path, read_head(path))
    except InputError as exc:
        return Parsed.failed(str(exc), "events.unreadable_file")
    title = next((c for c in SYNONYMS["title"] if c in frame.columns), None)
    if "date" not in frame.columns or title is None:
        return Parsed.failed("unknown events header: expected date, asset, kind, title, source", "events.unreadable_file")
    source = next((c for c in SYNONYMS["source"] if c in frame.columns), None)
    dates = parse_dates(frame["date"])
    checks = RowChecks(frame, "events")
    check_dates(checks, dates, frame["date"], today)
    checks.reject(frame[title].str.strip() == "", "missing_title", "the event has no title")
    kept = checks.keep()
    asset = kept["asset"].str.strip().str.upper() if "asset" in kept.columns else pd.Series("", index=kept.index)
    kind = kept["kind"].str.strip().str.lower() if "kind" in kept.columns else pd.Series("event", index=kept.index)
    rows = pd.DataFrame({
        "date": dates.loc[kept.index].dt.date,
        "asset": asset.where(asset != "", None),
        "kind": kind.where(kind != "", "event"),
        "title": kept[title].str.strip(),
        "source": kept[source].str.strip() if source else None,
        "locator": "line " + kept["_line"].astype(str),
    })
    return Parsed(rows=rows.reset_index(drop=True), rejected=checks.rejected)
