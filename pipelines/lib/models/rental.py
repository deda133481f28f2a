"""What an idle GPU-hour earns mining against what it would have earned rented out: marts.mining_vs_rental_daily.

The leaks count only power and cooling; an operator who mines with an idle accelerator also gives up renting
it. Per coin, device and day: the mining revenue of one device (marts.mining_profitability_daily, USD per
device and day, before power) against the public list price of renting that device for the same 24 hours
(pipelines/reference/model_assumptions.toml [rental], low / central / high). ratio = mining / rental at the
central price; ratio_low divides by the high rental price and ratio_high by the low one. A day without a
rental price for the device, or without mining revenue, is NULL with a reason, never 0.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipelines.lib.models.assumptions import RentalPrice

COLUMNS = ["coin", "date", "device", "rental_device", "mining_usd_per_gpu_day", "rental_usd_per_gpu_day_low",
           "rental_usd_per_gpu_day_central", "rental_usd_per_gpu_day_high", "ratio_low", "ratio", "ratio_high",
           "hashrate_basis", "rental_source", "reason"]
HOURS = 24


def rental_device(device: str, keys) -> str | None:
    """The rental key (e.g. 'H100') a device name holds as a word, or None."""
    for key in keys:
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])", device, flags=re.IGNORECASE):
            return key
    return None


def mining_vs_rental(revenue: pd.DataFrame, prices: tuple[RentalPrice, ...], unit: str = "USD per GPU-hour"
                     ) -> pd.DataFrame:
    """revenue: coin, date, device, revenue_usd_per_day (NULL when unknown), hashrate_basis (optional); one row
    per coin, device and date. Only devices matching a rental key get rows."""
    keys = sorted({p.device for p in prices}, key=len, reverse=True)
    frame = revenue.copy()
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    frame["rental_device"] = [rental_device(d, keys) for d in frame["device"]]
    frame = frame[frame["rental_device"].notna()].reset_index(drop=True)
    if "hashrate_basis" not in frame:
        frame["hashrate_basis"] = None
    low = np.full(len(frame), np.nan)
    central, high = low.copy(), low.copy()
    source = np.full(len(frame), None, dtype=object)
    for p in prices:
        hit = ((frame["rental_device"] == p.device) & (frame["date"] >= p.start) & (frame["date"] <= p.end)).to_numpy()
        low[hit], central[hit], high[hit], source[hit] = p.low * HOURS, p.central * HOURS, p.high * HOURS, p.source
    mining = pd.to_numeric(frame["revenue_usd_per_day"], errors="coerce").to_numpy(dtype=float)
    spans = {k: ", ".join(f"{p.start} .. {p.end}" for p in prices if p.device == k) for k in keys}
    reasons = []
    for i in range(len(frame)):
        why = []
        if np.isnan(mining[i]):
            why.append("mining revenue unknown for this device, coin and day (no price, network hashrate or "
                       "issuance in marts.mining_profitability_daily)")
        if np.isnan(central[i]):
            key = frame.at[i, "rental_device"]
            why.append(f"no public {key} rental price for {frame.at[i, 'date']} (the assumptions cover {spans[key]})")
        reasons.append("; ".join(why) or None)
    out = pd.DataFrame({
        "coin": frame["coin"], "date": frame["date"], "device": frame["device"],
        "rental_device": frame["rental_device"], "mining_usd_per_gpu_day": mining,
        "rental_usd_per_gpu_day_low": low, "rental_usd_per_gpu_day_central": central,
        "rental_usd_per_gpu_day_high": high,
        "ratio_low": mining / high, "ratio": mining / central, "ratio_high": mining / low,
        "hashrate_basis": frame["hashrate_basis"], "rental_source": source, "reason": reasons,
    }, columns=COLUMNS)
    out["rental_source"] = [None if s is None else f"{s} ({unit} x {HOURS})" for s in out["rental_source"]]
    return out.sort_values(["coin", "device", "date"]).reset_index(drop=True)
