"""Fund flows in the Farside layout: a date column, one column per fund and a total, in USD millions.

Farside prints outflows in parentheses, '-' for no figure, and summary rows (Total, Average,
Maximum, Minimum) under the table; those rows are not days and are quarantined as such. Columns
named `<fund>_usd_m` are read as that fund. The asset comes from an `asset` column or the file name.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from pipelines.lib.common.csvfile import InputError, read_head
from pipelines.lib.common.missing import says_missing
from pipelines.lib.common.parsed import Parsed
from pipelines.lib.sources.tabular import (
    RowChecks,
    check_dates,
    parse_dates,
    parse_numbers,
    read_frame,
)

KNOWN_ASSETS = ("BTC", "ETH", "SOL", "XRP")
SUMMARY_ROWS = {"total", "average", "maximum", "minimum", "sum", "mean", "max", "min"}
NOT_FUNDS = {"date", "asset", "source", "note", "notes", "_line"}


def asset_from_name(name: str) -> str | None:
    tokens = set(re.split(r"[-_. ]+", Path(name).stem.upper()))
    found = [a for a in KNOWN_ASSETS if a in tokens]
    return found[0] if len(found) == 1 else None


def parse_flows_file(path: Path, today: dt.date) -> Parsed:
    try:
        frame = read_frame(path, read_head(path))
    except InputError as exc:
        return Parsed.failed(str(exc), "flows.unreadable_file")
    if "date" not in frame.columns:
        return Parsed.failed("a fund-flow file needs a Date column (Farside layout: Date, IBIT, FBTC, ..., Total)",
                             "flows.unreadable_file")
    asset = asset_from_name(path.name)
    if asset is None and "asset" not in frame.columns:
        return Parsed.failed("cannot tell which asset the funds hold: put btc or eth in the file name "
                             "or add an asset column", "flows.unreadable_file")
    funds = {c: re.sub(r"_usd_m$", "", c).upper() for c in frame.columns
             if c not in NOT_FUNDS and not c.startswith("_")}
    checks = RowChecks(frame, "fund_flows_daily")
    summary = frame["date"].str.strip().str.lower().isin(SUMMARY_ROWS)
    checks.reject(summary, "summary_row", lambda r: f"summary row {r['date']!r} under the table, not a day")
    dates = parse_dates(frame["date"])
    check_dates(checks, dates, frame["date"], today)
    values = {c: parse_numbers(frame[c]) for c in funds}
    bad = pd.Series(False, index=frame.index)
    for c in funds:
        bad |= values[c].isna() & ~says_missing(frame[c])
    checks.reject(bad, "unparseable_number", "a flow is not a number")
    checks.reject_conflicts(["date"], list(funds))
    kept = checks.keep().index
    rows = pd.concat([
        pd.DataFrame({"date": dates.loc[kept].dt.date, "fund": fund,
                      "net_flow_usd": values[c].loc[kept] * 1e6,
                      "asset": frame.loc[kept, "asset"].str.upper() if "asset" in frame.columns else asset})
        for c, fund in funds.items()
    ])
    rows = rows[rows["net_flow_usd"].notna()]
    return Parsed(rows=rows[["date", "asset", "fund", "net_flow_usd"]].reset_index(drop=True),
                  rejected=checks.rejected, notes=[f"{len(funds)} fund columns"])
