"""ECB reference rates -> USD per unit of each currency, per day.

Two shapes: `date,usd_per_eur` (one currency) and the ECB's eurofxref-hist layout
(`Date,USD,JPY,...`: units of each currency per 1 EUR). In the second, USD per unit of X is
(USD per EUR) / (X per EUR); EUR itself is USD per EUR.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from pipelines.lib.common.csvfile import InputError, read_head
from pipelines.lib.common.missing import says_missing
from pipelines.lib.common.parsed import Parsed, marked_synthetic
from pipelines.lib.sources.tabular import (
    RowChecks,
    check_dates,
    parse_dates,
    parse_numbers,
    read_frame,
)


def parse_fx_file(path: Path, today: dt.date) -> Parsed:
    try:
        frame = read_frame(path, read_head(path))
    except InputError as exc:
        return Parsed.failed(str(exc), "fx.unreadable_file")
    columns = set(frame.columns)
    checks = RowChecks(frame, "fx")
    if "date" not in columns:
        return Parsed.failed("an FX file needs a date column (ECB shapes: date,usd_per_eur or Date,USD,JPY,...)",
                             "fx.unreadable_file")
    dates = parse_dates(frame["date"])
    check_dates(checks, dates, frame["date"], today)

    single = [c for c in columns if re.fullmatch(r"usd_per_[a-z]{3}", c)]
    if single:
        long = pd.concat([pd.DataFrame({"_i": frame.index, "currency": c[-3:].upper(), "raw": frame[c],
                                        "usd_per_unit": parse_numbers(frame[c])}) for c in single])
        shape = "ecb_single"
    elif "usd" in columns:
        per_eur = {c: parse_numbers(frame[c]) for c in frame.columns if re.fullmatch(r"[a-z]{3}", c)}
        usd = per_eur["usd"]
        parts = [pd.DataFrame({"_i": frame.index, "currency": "EUR", "raw": frame["usd"], "usd_per_unit": usd})]
        parts += [pd.DataFrame({"_i": frame.index, "currency": c.upper(), "raw": frame[c], "usd_per_unit": usd / v})
                  for c, v in per_eur.items() if c != "usd"]
        long = pd.concat(parts)
        shape = "ecb_multi"
    else:
        return Parsed.failed("unknown FX header: expected date,usd_per_eur or the ECB's Date,USD,JPY,... layout",
                             "fx.unreadable_file")
    missing = says_missing(long["raw"])   # the ECB prints N/A for currencies not quoted that day
    bad_cells = long[long["usd_per_unit"].isna() & ~missing]
    checks.reject(frame.index.isin(bad_cells["_i"]), "unparseable_rate",
                  "a rate is not a number")
    checks.reject(frame.index.isin(long.loc[long["usd_per_unit"] <= 0, "_i"]),
                  "non_positive_rate", "a rate is zero or negative")
    kept = checks.keep().index
    rows = long[long["_i"].isin(kept) & long["usd_per_unit"].notna()].copy()
    rows["date"] = dates.loc[rows["_i"]].dt.date.values
    rows = rows.drop_duplicates(["date", "currency", "usd_per_unit"])
    dup = rows.duplicated(["date", "currency"], keep=False)
    if dup.any():
        checks.reject(frame.index.isin(rows.loc[dup, "_i"]),
                      "conflicting_duplicate", "the same date appears more than once with different rates")
        rows = rows[~dup]
    rows["source"] = f"{shape}:{path.name}"
    rows["is_synthetic"] = (marked_synthetic(frame["source"]).loc[rows["_i"]].to_numpy()
                            if "source" in frame.columns else False)
    return Parsed(rows=rows[["date", "currency", "usd_per_unit", "source", "is_synthetic"]].reset_index(drop=True),
                  rejected=checks.rejected, notes=[f"shape {shape}, {int(missing.sum())} cells n/a"])
