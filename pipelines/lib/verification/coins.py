"""The `coins_mined` claim: the coins vs (line hashrate / network hashrate) x coins issued, day by day over
the idle hours, within the network's day-to-day variability over the period."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pipelines.lib.common.missing import is_missing
from pipelines.lib.models.issuance import NOMINAL_BASIS, block_subsidy
from pipelines.lib.verification.consensus import consensus_by_day
from pipelines.lib.verification.devices import device_specs
from pipelines.lib.verification.lines import data_lines, idle_hours_readings, line_days, line_hashrate, period_days
from pipelines.lib.verification.verdicts import (empty, fmt_hashrate, fmt_number, fmt_times, period_text, range_text, result,
                                                share_text, verdict_of)


# Network hashrate is estimated from difficulty and block luck, so the coins one H/s earns in a day
# (issuance / network hashrate) swing from day to day, and a sheet may price its period at one day's
# figure or at averages of its own instead of summing day by day. The coins check allows this many
# standard deviations of that daily yield over the line's own period (any single day's figure lies
# within three unless the period holds an outlier day), plus half a unit of the printed figure's last
# decimal (see coins_tolerance).
COINS_NOISE_SIGMAS = 3.0


def printed_decimals(values: pd.Series, lines: pd.DataFrame) -> pd.Series:
    """Decimals a column is printed with, per line: the most any line of the same table shows (a
    sheet prints a column at one precision; its '0.40' reads back as 0.4)."""
    def decimals(value) -> float:
        if is_missing(value) or not np.isfinite(value):
            return np.nan
        # the shortest text that reads back as the value, at most 12 significant digits (a figure
        # scaled from thousands, 1.2345 x 1000, carries binary noise in its 17th digit)
        text = np.format_float_positional(abs(value), precision=12, unique=True, fractional=False, trim="-")
        return float(len(text.partition(".")[2]))

    shown = values.map(decimals)
    return shown.groupby([lines["document_id"], lines["table_index"]]).transform("max")


def line_sum(values) -> float:
    """The exactly rounded sum (math.fsum) of one line's values: the same whatever other lines are assessed
    with it (pandas' grouped sums and means can differ in the last bit with the rest of the frame), since
    marts.leak_plausibility re-assesses only the documents whose inputs changed."""
    return math.fsum(float(v) for v in values if v == v)


def coins_tolerance(daily_yield: pd.Series, line: pd.Series) -> pd.DataFrame:
    """Per line: the relative spread of the coins one H/s earned per day over the line's minable days
    (`spread`, standard deviation / mean) and the relative tolerance it allows (`tolerance`,
    COINS_NOISE_SIGMAS x spread). `daily_yield` holds one value per line and day (NaN on days that
    issue nothing minable), `line` the line of each."""
    mean, std = {}, {}
    for key, values in daily_yield.groupby(line, sort=True):
        x = values.dropna().to_numpy(dtype=float)
        if len(x):
            mean[key] = line_sum(x) / len(x)
            std[key] = math.sqrt(line_sum((x - mean[key]) ** 2) / len(x))
    index = pd.Index(sorted(set(line.dropna())))
    mean, std = pd.Series(mean, dtype=float).reindex(index), pd.Series(std, dtype=float).reindex(index)
    spread = (std / mean).where(mean > 0).fillna(0.0)
    return pd.DataFrame({"spread": spread, "tolerance": COINS_NOISE_SIGMAS * spread})


def check_coins(lines: pd.DataFrame, specs: pd.DataFrame, network: pd.DataFrame,
                consensus: pd.DataFrame) -> pd.DataFrame:
    """Claimed coins vs (line hashrate / network hashrate) x coins issued per day, summed over the
    period's days and scaled by the idle share. The line hashrate is the sheet's, capped at the
    device's best published figure x device count (an H100 cannot mine with an ASIC's hashrate);
    with no published figure, the sheet's own hashrate (a consistency check). Coins issued are the
    models' basis (pipelines.lib.models.issuance: the network data's issuance, else its reward x blocks,
    else the consensus rule's nominal reward); proof-of-stake days issue nothing minable. Low end:
    issuance without fees and the smaller idle reading; high end: with fees and the larger idle
    reading; each widened by the network's day-to-day variability over the period (coins_tolerance)
    and by the rounding of the printed figure."""
    lines = data_lines(lines)
    lines = lines[lines["claimed_coins_mined"].notna()]
    if lines.empty:
        return empty()
    claimed = lines["claimed_coins_mined"].astype(float)
    spec = device_specs(lines, specs)
    sheet_hs = line_hashrate(lines)
    known_hs = spec["known_hs"] * lines["device_count"].astype(float)
    basis = pd.concat([sheet_hs, known_hs], axis=1).min(axis=1)
    capped = sheet_hs.notna() & known_hs.notna() & (known_hs < sheet_hs)
    low_basis = basis.where(sheet_hs.notna(), 0.0)   # with only the published maximum, any lower output is possible
    days_total = period_days(lines)
    idle_low, idle_high, _ = idle_hours_readings(lines)
    share_low = (idle_low / (days_total * 24)).clip(0, 1)
    share_high = (idle_high / (days_total * 24)).clip(0, 1)

    days = line_days(lines)
    days["consensus"] = consensus_by_day(days, consensus)
    net = network.copy()
    net["date"] = pd.to_datetime(net["date"])
    subsidy, net["issuance_basis"] = block_subsidy(net)
    net["issued_low"] = subsidy
    net["issued_high"] = subsidy + pd.to_numeric(net["fees_coins"], errors="coerce").fillna(0)
    net["hashrate_hs"] = pd.to_numeric(net["hashrate_hs"], errors="coerce").astype(float)
    days = days.merge(net[["coin", "date", "hashrate_hs", "issued_low", "issued_high", "issuance_basis"]],
                      on=["coin", "date"], how="left")
    minable = days["consensus"] != "pos"
    minable &= days["consensus"] != "none"
    usable = days["hashrate_hs"].gt(0) & days["issued_low"].notna()
    days["lacking"] = minable & ~usable
    days["per_hs_low"] = np.where(minable & usable, days["issued_low"] / days["hashrate_hs"], 0.0)
    days["per_hs_high"] = np.where(minable & usable, days["issued_high"] / days["hashrate_hs"], 0.0)
    days["minable"] = minable
    days["nominal"] = minable & usable & days["issuance_basis"].eq(NOMINAL_BASIS)
    per_line = days.groupby("line").agg(per_hs_low=("per_hs_low", line_sum), per_hs_high=("per_hs_high", line_sum),
                                        lacking=("lacking", "sum"), minable=("minable", "sum"),
                                        nominal=("nominal", "sum"), days=("date", "count"),
                                        first_lacking=("date", lambda d: d[days.loc[d.index, "lacking"]].min()),
                                        last_lacking=("date", lambda d: d[days.loc[d.index, "lacking"]].max()))
    per_line = per_line.reindex(lines.index)
    noise = coins_tolerance(days["per_hs_high"].where(minable & usable), days["line"]).reindex(lines.index)
    tolerance = noise["tolerance"].fillna(0.0)
    half_unit = 0.5 * 10.0 ** -printed_decimals(claimed, lines)
    # Coins per idle day scale with the idle share of each day.
    expect_low = low_basis * per_line["per_hs_low"] * share_low
    expect_high = basis * per_line["per_hs_high"] * share_high
    low = (expect_low * (1 - tolerance) - half_unit).clip(lower=0)
    # a printed figure above half a unit needs a true amount above 0: none where nothing was issued
    high = (expect_high * (1 + tolerance) + half_unit).where(expect_high > 0, expect_high)
    verifiable = per_line["days"].notna() & (per_line["lacking"] == 0) & basis.notna() & share_high.notna()
    verdict = verdict_of(claimed, low, high, verifiable)
    reasons, inputs = [], []
    for i in lines.index:
        row, coin, p = lines.loc[i], lines.loc[i, "coin"], per_line.loc[i]
        amount = f"{fmt_number(claimed.loc[i], 4)} {coin if isinstance(coin, str) else 'coins'}"
        if is_missing(p["days"]):
            what = "coin" if is_missing(coin) else "usable period"
            reasons.append(f"The sheet claims {amount} mined but gives no {what}, so the chain's issuance "
                           "cannot be looked up.")
            inputs.append(f"{what} missing")
            continue
        if p["lacking"] > 0:
            reasons.append(f"The sheet claims {amount} mined from {period_text(row['period_start'], row['period_end'])}, "
                           f"but the network data lacks hashrate or issuance for {coin} on {int(p['lacking'])} of "
                           f"those {int(p['days'])} days ({p['first_lacking'].date()} to {p['last_lacking'].date()}), "
                           "so the expected amount cannot be computed.")
            inputs.append(f"network: {coin} missing {int(p['lacking'])} of {int(p['days'])} days")
            continue
        if is_missing(basis.loc[i]) or is_missing(share_high.loc[i]):
            missing = "hashrate (or a device count with a published figure)" if is_missing(basis.loc[i]) \
                else "idle hours (or utilization)"
            reasons.append(f"The sheet claims {amount} mined but gives no {missing}, so the expected amount "
                           "cannot be computed.")
            inputs.append(f"missing: {missing}")
            continue
        if is_missing(sheet_hs.loc[i]):
            source = "the best published figure x device count: an upper bound"
        elif capped.loc[i]:
            source = (f"the best published {row['device']} figure, {fmt_hashrate(spec.loc[i, 'known_hs'])} per "
                      f"device, not the sheet's {fmt_hashrate(sheet_hs.loc[i] / row['device_count'])}")
        else:
            source = "the sheet's own hashrate"
        nominal = (f" ({int(p['nominal'])} of them at the consensus rule's nominal issuance from block_rewards.csv, "
                   "without fees and uncle rewards)" if p["nominal"] > 0 else "")
        if p["minable"] == 0:
            reasons.append(f"The sheet claims {amount} mined from {period_text(row['period_start'], row['period_end'])}, "
                           f"but {coin} issued nothing to miners on any of those days, so the expected amount is 0.")
        else:
            spread, tol = noise.loc[i, "spread"], tolerance.loc[i]
            base = (f"The sheet claims {amount} mined; {fmt_hashrate(basis.loc[i])} ({source}) against the "
                    f"{coin} network's hashrate and issuance on each of the {int(p['minable'])} minable days from "
                    f"{period_text(row['period_start'], row['period_end'])}{nominal}, over the idle "
                    f"{share_text(share_low.loc[i], share_high.loc[i])} of the time, gives "
                    f"{range_text(expect_low.loc[i], expect_high.loc[i])} {coin}; the coins per "
                    f"H/s varied by {spread:.1%} (standard deviation) from day to day over those days, so the "
                    f"tolerance is {tol:.1%} ({fmt_number(COINS_NOISE_SIGMAS)} standard deviations) plus "
                    f"{fmt_number(half_unit.loc[i], 4)} {coin} for the printed rounding: range "
                    f"{fmt_number(low.loc[i], 4)}-{fmt_number(high.loc[i], 4)} {coin}")
            if verdict.loc[i] == "implausible":
                mid = np.sqrt(expect_low.loc[i] * expect_high.loc[i]) if expect_low.loc[i] > 0 else expect_high.loc[i]
                reasons.append(f"{base}, so the claim is {fmt_times(claimed.loc[i] / mid)}.")
            else:
                reasons.append(f"{base}: the claim agrees.")
        uses_spec = capped.loc[i] or is_missing(sheet_hs.loc[i])
        issuance_note = f" ({int(p['nominal'])} days nominal issuance: block_rewards.csv)" if p["nominal"] > 0 else ""
        inputs.append(f"hashrate: {'hardware_specs ' + str(spec.loc[i, 'known_device']) if uses_spec else 'sheet'}; "
                      f"network: {coin} {int(p['minable'])} minable of {int(p['days'])} days{issuance_note}; "
                      f"tolerance {tolerance.loc[i]:.1%} + {fmt_number(half_unit.loc[i], 4)}")
    return result(lines, "coins_mined", claimed, low, high, verdict, reasons, lines["coin"], inputs)
