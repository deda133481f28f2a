"""Dated events (protocol changes, ETF dates, capex news, leaks): date, asset, kind, title, source."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from pipelines.lib.common.csvfile import InputError, read_head
from pipelines.lib.common.parsed import Parsed
from pipelines.lib.sources.tabular import RowChecks, check_dates, parse_dates, read_frame

SYNONYMS = {"title": ("title", "event", "headline", "name"), "source": ("source", "external_source", "url")}
DETAIL = ("detail", "details", "description", "note")
# A file without a kind column: the kind read from the title (first match wins; else 'event').
KINDS = [
    ("leak", re.compile(r"\bleak", re.I)),
    ("etf", re.compile(r"\betfs?\b|exchange[- ]traded", re.I)),
    ("halving", re.compile(r"\bhalving|\bhalvening", re.I)),
    ("protocol", re.compile(r"\bmerge\b|hard[- ]fork|network upgrade|proof[- ]of[- ](stake|work)|pow\s*->\s*pos", re.I)),
    ("capex", re.compile(r"capex|capital expenditure|data[- ]?cent(er|re)|\$\s?\d[\d.,]*\s?(bn|billion)\b", re.I)),
]
# ... and the asset from a coin's name (longest first: 'Ethereum Classic' before 'Ethereum'); else all coins.
ASSETS = [("ETC", re.compile(r"ethereum classic", re.I)), ("BTC", re.compile(r"\bbitcoin\b|\bbtc\b", re.I)),
          ("ETH", re.compile(r"\bethereum\b|\beth\b", re.I)), ("XMR", re.compile(r"\bmonero\b", re.I))]


def infer_kind(text: str) -> str:
    return next((kind for kind, pattern in KINDS if pattern.search(text or "")), "event")


def infer_asset(text: str) -> str | None:
    return next((asset for asset, pattern in ASSETS if pattern.search(text or "")), None)


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
    titles = kept[title].str.strip()
    asset = kept["asset"].str.strip().str.upper() if "asset" in kept.columns else titles.map(infer_asset).fillna("")
    detail = next((c for c in DETAIL if c in kept.columns), None)
    described = titles + " " + kept[detail].fillna("") if detail else titles
    kind = kept["kind"].str.strip().str.lower() if "kind" in kept.columns else described.map(infer_kind)
    rows = pd.DataFrame({
        "date": dates.loc[kept.index].dt.date,
        "asset": asset.where(asset != "", None),
        "kind": kind.where(kind != "", "event"),
        "title": titles,
        "source": kept[source].str.strip() if source else None,
        "locator": "line " + kept["_line"].astype(str),
    })
    return Parsed(rows=rows.reset_index(drop=True), rejected=checks.rejected)
