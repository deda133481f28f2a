"""Chain statistics (Coin Metrics, Etherscan chart export, plain) -> one row per coin and day.

Units: hashrate in H/s. Coin Metrics publishes HashRate in a unit that varies by asset (TH/s for BTC
and ETC, H/s for XMR); it is recovered from the same row's difficulty and block count (see
hashrate_scale), falling back to COINMETRICS_DEFAULT_UNIT where the file has no difficulty column (the
community files of ../shared/data/coinmetrics_community_2022_2025: ETC ~1.3e14 H/s, XMR ~2.5e9 H/s in
2023). The unit is then cross-checked against the chain's economics (pipelines/lib/sources/units.py,
applied by the network_observations asset): a coin whose unit is off by 10^3 or more is quarantined.
Fees (FeeTotNtv, or a plain `date, fees_btc` file such as btc_fees_daily_2022_2025.csv) land in
fees_coins. Etherscan's export names no unit: the file name may (..._ghs.csv,
..._ths.csv); otherwise ETHERSCAN_DEFAULT_UNIT applies (Etherscan's hashrate chart is in GH/s).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.lib.common.csvfile import InputError, read_head
from pipelines.lib.common.missing import says_missing
from pipelines.lib.common.names import asset_from_name
from pipelines.lib.common.parsed import Parsed, marked_synthetic
from pipelines.lib.sources.tabular import (
    RowChecks,
    check_dates,
    parse_dates,
    parse_numbers,
    read_frame,
)

UNIT_SCALE = {"hs": 1.0, "khs": 1e3, "mhs": 1e6, "ghs": 1e9, "ths": 1e12, "phs": 1e15, "ehs": 1e18, "zhs": 1e21}
ETHERSCAN_DEFAULT_UNIT = "ghs"
COINMETRICS_DEFAULT_UNIT = {"XMR": "hs"}          # others: TH/s, as Coin Metrics documents for BTC
# Coins whose difficulty counts units of 2^32 hashes (Bitcoin's convention); others count hashes.
DIFFICULTY_2_32 = {"BTC", "BCH", "BSV", "LTC", "DOGE"}
SOURCE_RANK = {"coinmetrics": 1, "plain": 2, "etherscan": 3}
VALUE_COLUMNS = ["hashrate_hs", "difficulty", "block_reward_coins", "blocks_per_day",
                 "issuance_coins", "fees_coins"]
PLAIN_SYNONYMS = {
    "difficulty": ["difficulty", "diffmean", "difficulty_mean"],
    "block_reward_coins": ["block_reward_coins", "block_reward", "subsidy_per_block"],
    "blocks_per_day": ["blocks_per_day", "blkcnt", "block_count", "blocks"],
    "issuance_coins": ["issuance_coins", "isstotntv", "subsidy_btc", "subsidy_coins", "issuance"],
    "fees_coins": ["fees_coins", "feetotntv", "fees_btc", "fees"],
}


def hashes_per_difficulty(coin: str) -> float:
    return 2.0**32 if coin in DIFFICULTY_2_32 else 1.0


def hashrate_scale(coin: str, reported: pd.Series, difficulty: pd.Series, blocks: pd.Series) -> float:
    """H/s per reported unit: the power of 1000 that best matches difficulty x blocks / 86400."""
    implied = difficulty * hashes_per_difficulty(coin) * blocks / 86400.0
    ratio = (implied / reported).replace([np.inf, -np.inf], np.nan).dropna()
    ratio = ratio[ratio > 0]
    if len(ratio) >= 3:
        exponent = round(math.log10(float(ratio.median())) / 3.0)
        return 1000.0 ** min(max(exponent, 0), 7)
    return UNIT_SCALE[COINMETRICS_DEFAULT_UNIT.get(coin, "ths")]


def _layout(columns: list[str]) -> str:
    cols = set(columns)
    if {"date_utc", "unixtimestamp", "value"} <= cols:
        return "etherscan"
    if "time" in cols and cols & {"hashrate", "diffmean", "blkcnt", "isstotntv"}:
        return "coinmetrics"
    if "date" in cols and any(c.startswith("hashrate") or c in sum(PLAIN_SYNONYMS.values(), []) for c in cols):
        return "plain"
    raise InputError("unknown network file header " + ", ".join(repr(c) for c in columns[:10])
                     + ": expected Coin Metrics (time, HashRate, DiffMean, BlkCnt, IssTotNtv, FeeTotNtv), "
                     "an Etherscan chart export (Date(UTC), UnixTimeStamp, Value) or date, hashrate_hs, ...")


def _plain_hashrate_column(columns) -> tuple[str, float] | None:
    """('hashrate_ths', 1e12) for a header like hashrate_ths; a bare 'hashrate' is in H/s."""
    for column in columns:
        match = re.fullmatch(r"hashrate(?:_([kmgtpez]?hs))?", column)
        if match:
            return column, UNIT_SCALE[match.group(1) or "hs"]
    return None


def parse_network_file(path: Path, today: dt.date) -> Parsed:
    try:
        head = read_head(path)
        frame = read_frame(path, head)
        shape = _layout([c for c in frame.columns if not c.startswith("_")])
        coin_column = next((c for c in ("coin", "asset", "symbol") if c in frame.columns), None)
        name_coin = asset_from_name(path.name)[0]
        if coin_column is None and name_coin is None:
            raise InputError("cannot tell the coin: name the file like btc_network.csv or add a coin column")
    except InputError as exc:
        return Parsed.failed(str(exc), "network.unreadable_file")

    date_column = {"etherscan": "date_utc", "coinmetrics": "time", "plain": "date"}[shape]
    out = pd.DataFrame(index=frame.index)
    out["coin"] = frame[coin_column].str.strip().str.upper() if coin_column else name_coin
    out["date"] = parse_dates(frame[date_column])
    out["is_synthetic"] = marked_synthetic(frame["source"]) if "source" in frame.columns else False
    for column in VALUE_COLUMNS:
        out[column] = np.nan
    numbers: dict[str, pd.Series] = {}   # input columns whose cells must be numbers where not blank

    def number(column: str) -> pd.Series:
        if column not in numbers:
            numbers[column] = parse_numbers(frame[column])
        return numbers[column]

    if shape == "etherscan":
        stem = path.stem.lower()
        unit = next((u for u in sorted(UNIT_SCALE, key=len, reverse=True) if re.search(rf"(^|_){u}($|_)", stem)),
                    ETHERSCAN_DEFAULT_UNIT)
        values = number("value")
        if "difficulty" in stem:
            out["difficulty"] = values * (UNIT_SCALE[unit] if unit != "hs" else 1e12)
        elif "hash" in stem:
            out["hashrate_hs"] = values * UNIT_SCALE[unit]
        else:
            return Parsed.failed("an Etherscan export whose file name does not say which chart it is "
                                 "(expected 'hashrate' or 'difficulty' in the name)", "network.unknown_metric")
    elif shape == "coinmetrics":
        pick = {"difficulty": "diffmean", "blocks_per_day": "blkcnt", "issuance_coins": "isstotntv",
                "fees_coins": "feetotntv"}
        for target, source in pick.items():
            if source in frame.columns:
                out[target] = number(source)
        if "hashrate" in frame.columns:
            reported = number("hashrate")
            coin = str(out["coin"].iloc[0]) if len(out) else (name_coin or "")
            out["hashrate_hs"] = reported * hashrate_scale(coin, reported, out["difficulty"], out["blocks_per_day"])
    else:
        hashrate = _plain_hashrate_column(frame.columns)
        if hashrate is not None:
            out["hashrate_hs"] = number(hashrate[0]) * hashrate[1]
        for target, names in PLAIN_SYNONYMS.items():
            source = next((n for n in names if n in frame.columns), None)
            if source:
                out[target] = number(source)
        interval = next((c for c in frame.columns if c.startswith("block_interval_min")), None)
        if interval and out["blocks_per_day"].isna().all():
            out["blocks_per_day"] = 1440.0 / number(interval).replace(0, np.nan)

    # Fill what follows from the rest: reward = issuance / blocks, issuance = reward x blocks.
    out["block_reward_coins"] = out["block_reward_coins"].fillna(out["issuance_coins"] / out["blocks_per_day"])
    out["issuance_coins"] = out["issuance_coins"].fillna(out["block_reward_coins"] * out["blocks_per_day"])

    frame = frame.join(out.add_prefix("_"))
    checks = RowChecks(frame, "network")
    check_dates(checks, frame["_date"], frame[date_column], today)
    unreadable = {c: parsed.isna() & ~says_missing(frame[c]) for c, parsed in numbers.items()}
    checks.reject(pd.DataFrame(unreadable, index=frame.index).any(axis=1), "unparseable_number",
                  lambda r: "a value is not a number: "
                  + ", ".join(f"{c}={r[c]!r}" for c, bad in unreadable.items() if bad[r.name]))
    checks.reject(frame[[f"_{c}" for c in VALUE_COLUMNS]].lt(0).any(axis=1), "negative_value",
                  "a hashrate, difficulty or coin count is negative")
    checks.reject(frame[[f"_{c}" for c in VALUE_COLUMNS]].isna().all(axis=1), "no_values",
                  "the row holds no readable value")
    checks.reject_conflicts(["_coin", "_date"], [f"_{c}" for c in VALUE_COLUMNS])
    kept = checks.keep()
    rows = kept[[f"_{c}" for c in ["coin", "date", *VALUE_COLUMNS, "is_synthetic"]]].rename(columns=lambda c: c[1:])
    rows["date"] = rows["date"].dt.date
    rows["source"] = f"{shape}:{path.name}"
    rows["source_rank"] = SOURCE_RANK[shape]
    if rows.empty and not checks.rejected:
        return Parsed.failed("the file holds no rows", "network.no_rows")
    return Parsed(rows=rows.reset_index(drop=True), rejected=checks.rejected, notes=[f"shape {shape}"])

