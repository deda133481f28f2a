"""Cross-check of a network file's hashrate unit against the chain's own economics.

A hashrate read in the wrong unit (TH/s taken for H/s) is off by a power of 1000, and nothing in a
file without a difficulty column says so. The chain's economics do: revenue per hash per day,
(issuance + fees) x close / network H/s, times the hashrate of the algorithm's most efficient known
device, divided by that device's kWh per day, is the electricity price at which that device breaks
even. On a live proof-of-work chain that price sits near what miners pay (about 0.1 USD/kWh: the
real files give 0.13-0.18 for ETC's Antminer E9 Pro, XMR's Antminer X5 and Bitcoin's S21 in
2022-2024), because miners join until the best devices barely pay. A unit off by 1000 moves it by
three decades, so a file whose median break-even price lies outside EXPECTED x 10^+-BAND_DECADES
(1.5 decades: any unit slip of 10^3 or more leaves the band) is quarantined with a reason naming
the expected unit and the magnitude the file implies. Where there is no price or no known device for
the algorithm, the check cannot judge and says so (`ok` None): the rows load, with the reason noted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.lib.common.parsed import Parsed, Rejected

EXPECTED_BREAKEVEN_USD_PER_KWH = 0.1
BAND_DECADES = 1.5
MIN_DAYS = 7            # fewer priced days than this: the check does not judge
UNIT_NAMES = {1.0: "H/s", 1e3: "kH/s", 1e6: "MH/s", 1e9: "GH/s", 1e12: "TH/s", 1e15: "PH/s", 1e18: "EH/s"}


@dataclass(frozen=True)
class UnitCheck:
    coin: str
    ok: bool | None                          # None: cannot judge (no price, device or issuance)
    breakeven_usd_per_kwh: float | None      # median over the priced days, at the file's hashrate as read
    factor: float | None                     # the power of 1000 the hashrate looks off by (1 = as read)
    device: str | None
    days: int
    reason: str


def band() -> tuple[float, float]:
    return (EXPECTED_BREAKEVEN_USD_PER_KWH * 10 ** -BAND_DECADES,
            EXPECTED_BREAKEVEN_USD_PER_KWH * 10 ** BAND_DECADES)


def best_device(devices: pd.DataFrame, algorithm: str) -> pd.Series | None:
    """The algorithm's most efficient known device (most hashes per joule), or None."""
    known = devices[(devices["algorithm"].str.lower() == algorithm.lower())
                    & devices["hashrate_hs"].gt(0) & devices["power_w"].gt(0)]
    if known.empty:
        return None
    return known.loc[(known["hashrate_hs"] / known["power_w"]).idxmax()]


def check_hashrate_unit(coin: str, algorithm: str | None, rows: pd.DataFrame, prices: pd.DataFrame,
                        devices: pd.DataFrame, read_as: str) -> UnitCheck:
    """Judge one coin's hashrate as loaded (`rows`: date, hashrate_hs in H/s, issuance_coins, fees_coins)
    against its closes (`prices`: date, close_usd) and the known devices (device, algorithm,
    hashrate_hs, power_w). `read_as` names the unit the reader assumed (e.g. 'TH/s (Coin Metrics' unit
    for ETC)') for the reason."""
    def unknown(why: str, days: int = 0) -> UnitCheck:
        return UnitCheck(coin, None, None, None, None, days, f"{coin} hashrate unit not cross-checked: {why}")

    if not algorithm:
        return unknown("the coin's algorithm is unknown (pipelines/reference/coins.csv)")
    device = best_device(devices, algorithm)
    if device is None:
        return unknown(f"no known {algorithm} device with hashrate and power")
    px = prices[["date", "close_usd"]].assign(date=pd.to_datetime(prices["date"]))
    days = rows.assign(date=pd.to_datetime(rows["date"])).merge(px, on="date")
    revenue_coins = pd.to_numeric(days["issuance_coins"], errors="coerce") \
        + pd.to_numeric(days["fees_coins"], errors="coerce").fillna(0.0)
    usd_per_hs_day = revenue_coins * days["close_usd"] / days["hashrate_hs"]
    kwh_per_day = float(device["power_w"]) * 24 / 1000
    breakeven = (usd_per_hs_day * float(device["hashrate_hs"]) / kwh_per_day).replace([np.inf, -np.inf], np.nan)
    breakeven = breakeven[breakeven > 0].dropna()
    if len(breakeven) < MIN_DAYS:
        return unknown(f"{len(breakeven)} days with hashrate, issuance and a close (need {MIN_DAYS})",
                       len(breakeven))
    median = float(breakeven.median())
    factor = 1000.0 ** round(math.log10(median / EXPECTED_BREAKEVEN_USD_PER_KWH) / 3)
    low, high = band()
    name = (f"{device['device']} ({float(device['hashrate_hs']):.3g} H/s at {float(device['power_w']):g} W, "
            f"the most efficient known {algorithm} device)")
    if low <= median <= high:
        return UnitCheck(coin, True, median, 1.0, str(device["device"]), len(breakeven),
                         f"{coin} hashrate read as {read_as} is consistent with the chain's economics: "
                         f"{name} breaks even at {median:.3g} USD/kWh (median of {len(breakeven)} days)")
    median_hs = float(pd.to_numeric(rows["hashrate_hs"], errors="coerce").median())
    slip = "too small" if factor > 1 else "too large"
    return UnitCheck(coin, False, median, factor, str(device["device"]), len(breakeven),
                     f"{coin} hashrate unit implausible: read as {read_as}, the median network hashrate is "
                     f"{median_hs:.3g} H/s, at which {name} would break even at {median:.3g} USD/kWh "
                     f"(median of {len(breakeven)} days), outside the plausible {low:.2g}-{high:.2g} USD/kWh; "
                     f"the values look {factor if factor > 1 else 1 / factor:.0e} {slip} "
                     f"(implied network hashrate about {median_hs * factor:.3g} H/s): check the file's unit, "
                     f"expected {read_as}")


def read_as(coin: str, source: str) -> str:
    """The unit the network reader assumed for a coin's hashrate, in words, for the reasons."""
    if source.startswith("coinmetrics"):
        from pipelines.lib.sources.network import COINMETRICS_DEFAULT_UNIT, UNIT_SCALE
        unit = UNIT_NAMES[UNIT_SCALE[COINMETRICS_DEFAULT_UNIT.get(coin, "ths")]]
        return f"{unit} (Coin Metrics' unit for {coin}, or the one its difficulty implies)"
    return "the unit the file's header or name states"


def quarantine_implausible_units(parsed: Parsed, algorithms: dict[str, str], prices: pd.DataFrame,
                                 devices: pd.DataFrame) -> tuple[Parsed, list[UnitCheck]]:
    """`parsed` (a network file's rows) with every coin whose hashrate unit fails the check moved to the
    quarantine, one record per coin naming the expected unit and the implied magnitude; the whole file is
    quarantined when no coin is left. `prices`: asset, date, close_usd."""
    if parsed.error is not None or parsed.rows.empty:
        return parsed, []
    rows, rejected, notes, checks = parsed.rows, list(parsed.rejected), list(parsed.notes), []
    for coin, own in rows[rows["hashrate_hs"].notna()].groupby("coin"):
        check = check_hashrate_unit(coin, algorithms.get(coin), own, prices[prices["asset"] == coin],
                                    devices, read_as(coin, str(own["source"].iloc[0])))
        checks.append(check)
        notes.append(check.reason)
        if check.ok is False:
            rejected.append(Rejected(f"coin {coin}: all {int((rows['coin'] == coin).sum())} rows",
                                     {"coin": coin, "median_hashrate_hs": float(own["hashrate_hs"].median()),
                                      "breakeven_usd_per_kwh": check.breakeven_usd_per_kwh},
                                     check.reason, "network.hashrate_unit_implausible"))
            rows = rows[rows["coin"] != coin]
    failed = [c.reason for c in checks if c.ok is False]
    if failed and rows.empty:
        return Parsed(error="; ".join(failed), rejected=rejected, notes=notes), checks
    return Parsed(rows=rows.reset_index(drop=True), rejected=rejected, notes=notes), checks
