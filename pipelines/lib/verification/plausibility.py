"""Leak verification: every claim on a cost-sheet line against what it must agree with.

One result row per (line, claim): the claimed value, the range physics, the chain and the sheet's
own figures allow (`expected_low` .. `expected_high`, in the claim's unit), a verdict and a
sentence a journalist can quote. A claim whose inputs are missing is `unverifiable`, never guessed.

Claims and what they are checked against:
  hashrate      the per-device hashrate vs the best published figure for that device and algorithm
  power_cost    the operating cost vs power x PUE x idle hours x electricity price
  coins_mined   the coins vs (line hashrate / network hashrate) x coins issued, day by day over the idle
                hours, within the network's day-to-day variability over the period
  consensus     the coin vs its consensus on the line's dates (nothing is mined under proof of stake)
  total_*       a totals row vs the sum of its table's lines, column by column
  period        the line's dates vs themselves, the day the file surfaced and the table's own period

Pure functions on pandas frames (no Dagster); the asset reads the inputs and writes the mart.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.lib.common.missing import is_missing
from pipelines.lib.models import assumptions
from pipelines.lib.models.issuance import NOMINAL_BASIS, block_subsidy
from pipelines.lib.verification.consensus import consensus_by_day
from pipelines.lib.verification.devices import device_specs
from pipelines.lib.verification.lines import (data_lines, idle_hours_readings, line_days, line_hashrate,
                                             per_device_hashrate, period_days)
from pipelines.lib.verification.verdicts import (KEY, RESULT_COLUMNS, algorithm_name, day_text,
                                                empty, fmt_hashrate, fmt_number, fmt_times, period_text,
                                                range_text, result, share_text, verdict_of)


# A published hashrate is a benchmark, not a ceiling: tuned kernels and overclocking gain up to about
# a fifth. A claim above the best published figure x (1 + this) is more than tuning can explain.
HASHRATE_TOLERANCE = 0.25
# Printed inputs are rounded (prices to 2-3 decimals, hours to whole hours, shares to whole percent):
# the product of four rounded figures can drift a few percent from the sheet's own unrounded sum.
POWER_COST_TOLERANCE = 0.05
# Network hashrate is estimated from difficulty and block luck, so the coins one H/s earns in a day
# (issuance / network hashrate) swing from day to day, and a sheet may price its period at one day's
# figure or at averages of its own instead of summing day by day. The coins check allows this many
# standard deviations of that daily yield over the line's own period (any single day's figure lies
# within three unless the period holds an outlier day), plus half a unit of the printed figure's last
# decimal (see coins_tolerance).
COINS_NOISE_SIGMAS = 3.0
# A totals row is the sum of rounded lines (or the rounded sum): 1 % covers rounding, not a 20 % gap.
TOTALS_TOLERANCE = 0.01
# When a line gives no power, its wall power is the devices' board power x the server overhead range of the
# model assumptions (ranges.server_overhead: host CPUs, NICs, fans, power-supply losses), the one wall-power
# basis of the models too; the check allows its low..high.
SERVER_OVERHEAD_RANGE = "server_overhead"


def server_overhead(path: Path | None = None) -> assumptions.Range:
    """The server overhead range of the model assumptions in `path` (LEAKPIPE_ASSUMPTIONS, through the
    model_assumptions resource), else of the bundled file."""
    return assumptions.load(path).ranges[SERVER_OVERHEAD_RANGE]


# Totals: the columns a totals row may carry, with the claim name and unit.
TOTAL_COLUMNS = {
    "device_count": ("total_device_count", "devices"),
    "power_kw": ("total_power_kw", "kW"),
    "claimed_hashrate_hs": ("total_hashrate", "H/s"),
    "claimed_coins_mined": ("total_coins_mined", "coins"),
    "claimed_revenue_native": ("total_revenue", "currency"),
    "claimed_opex_native": ("total_power_cost", "currency"),
}

TOTAL_LABELS = {"device_count": "a device count of", "power_kw": "a power of", "claimed_hashrate_hs": "a hashrate of",
                "claimed_coins_mined": "a coin count of", "claimed_revenue_native": "a revenue of",
                "claimed_opex_native": "an operating cost of"}


# ---------------------------------------------------------------------------------------------
def check_hashrate(lines: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    """Claimed hashrate per device vs the best published figure for that device and algorithm."""
    lines = data_lines(lines)
    lines = lines[lines["claimed_hashrate_hs"].notna() | lines["claimed_hashrate_per_device_hs"].notna()]
    if lines.empty:
        return empty()
    spec = device_specs(lines, specs)
    claimed = per_device_hashrate(lines)
    high = spec["known_hs"] * (1 + HASHRATE_TOLERANCE)
    bound = spec["fastest_hs"] * (1 + HASHRATE_TOLERANCE)
    known = spec["known_hs"].notna() & claimed.notna()
    above_any = spec["known_hs"].isna() & claimed.notna() & (claimed > bound)
    verdict = verdict_of(claimed, pd.Series(0.0, index=lines.index), high.where(known, bound.where(above_any)),
                       known | above_any)
    reasons, inputs = [], []
    for i in lines.index:
        row, s, c = lines.loc[i], spec.loc[i], claimed.loc[i]
        algo = algorithm_name(row["algorithm"])
        if is_missing(c):
            reasons.append("The sheet gives a hashrate for the whole line but no device count, so the "
                           "per-device figure cannot be compared.")
            inputs.append("device_count missing")
        elif is_missing(row["device"]) or is_missing(row["algorithm"]):
            what = "device" if is_missing(row["device"]) else "algorithm (or a coin that names one)"
            reasons.append(f"The sheet claims {fmt_hashrate(c)} per device but names no {what}, so there "
                           "is no published figure to compare it with.")
            inputs.append(f"{'device' if is_missing(row['device']) else 'algorithm'} missing")
        elif known.loc[i]:
            via = (f" (its {algorithm_name(s['known_via'])} figure: the same hash function)"
                   if isinstance(s["known_via"], str) else "")
            base = (f"The sheet claims {fmt_hashrate(c)} per {row['device']} on {algo}; the best published "
                    f"figure is about {fmt_hashrate(s['known_hs'])}{via}")
            if verdict.loc[i] == "implausible":
                reasons.append(f"{base}, so the claim is {fmt_times(c / s['known_hs'])}.")
            else:
                reasons.append(f"{base}, and the claim is within {HASHRATE_TOLERANCE:.0%} of it or below.")
            algo_used = s["known_via"] if isinstance(s["known_via"], str) else row["algorithm"]
            inputs.append(f"hardware_specs: {s['known_device']} {algo_used} "
                          f"{fmt_hashrate(s['known_hs'])} ({s['known_source']})")
        else:
            published = s["published_algorithms"]
            have = (f"the only published figures for {row['device']} are for "
                    f"{', '.join(algorithm_name(a) for a in published)}, none for {algo}"
                    if isinstance(published, list) else f"no published figure exists for {row['device']}")
            if above_any.loc[i]:
                reasons.append(f"The sheet claims {fmt_hashrate(c)} per {row['device']} on {algo}; {have}, but "
                               f"the fastest machine of any kind on {algo}, the {s['fastest_device']}, does "
                               f"about {fmt_hashrate(s['fastest_hs'])}, so the claim is "
                               f"{fmt_times(c / s['fastest_hs'])} even for that.")
                inputs.append(f"hardware_specs: fastest {row['algorithm']} device {s['fastest_device']} "
                              f"{fmt_hashrate(s['fastest_hs'])}")
            else:
                reasons.append(f"The sheet claims {fmt_hashrate(c)} per {row['device']} on {algo}; {have}, so "
                               "the claim cannot be checked.")
                inputs.append(f"hardware_specs: no {row['algorithm']} figure for {row['device']}")
    return result(lines, "hashrate", claimed, 0.0, high.where(known, bound.where(above_any)), verdict, reasons,
                   "H/s per device", inputs)


def check_power_cost(lines: pd.DataFrame, specs: pd.DataFrame,
                     overhead: assumptions.Range | None = None) -> pd.DataFrame:
    """Claimed operating cost vs power x PUE x idle hours x electricity price (in the sheet's currency).
    A line without power is at the wall: board power x `overhead` (a Range, default `server_overhead()`)
    from its low to its high."""
    overhead = server_overhead() if overhead is None else overhead
    lines = data_lines(lines)
    native = lines["claimed_opex_native"].notna() & lines["electricity_price_native"].notna()
    claimed = lines["claimed_opex_native"].astype(float).where(native, lines["claimed_opex_usd"].astype(float))
    price = lines["electricity_price_native"].astype(float).where(native, lines["electricity_usd_per_kwh"].astype(float))
    currency = pd.Series(np.where(native, lines["currency"].fillna(""), "USD"), index=lines.index)
    keep = claimed.notna()
    lines, claimed, price, currency = lines[keep], claimed[keep], price[keep], currency[keep]
    if lines.empty:
        return empty()
    spec = device_specs(lines, specs)
    power_kw = lines["power_kw"].astype(float)
    from_spec = power_kw.isna() & spec["board_power_w"].notna() & lines["device_count"].notna()
    board_kw = lines["device_count"].astype(float) * spec["board_power_w"] / 1000
    power_low = power_kw.fillna(board_kw * overhead.low)
    power_high = power_kw.fillna(board_kw * overhead.high)
    idle_low, idle_high, _ = idle_hours_readings(lines)
    pue = lines["pue"].astype(float)
    low = power_low * pue * idle_low * price * (1 - POWER_COST_TOLERANCE)
    high = power_high * pue * idle_high * price * (1 + POWER_COST_TOLERANCE)
    verifiable = low.notna() & high.notna()
    verdict = verdict_of(claimed, low, high, verifiable)
    reasons, inputs = [], []
    for i in lines.index:
        row, cur = lines.loc[i], currency.loc[i]
        money = f"{fmt_number(claimed.loc[i], 4)} {cur}".strip()
        if not verifiable.loc[i]:
            missing = [name for name, value in [("power (kW or a device with a published power)", power_low.loc[i]),
                                               ("PUE", pue.loc[i]), ("electricity price", price.loc[i]),
                                               ("idle hours (or utilization and period)", idle_low.loc[i])]
                       if is_missing(value)]
            reasons.append(f"The sheet claims an operating cost of {money}, but it gives no "
                           f"{' and no '.join(missing)}, so the cost cannot be recomputed.")
            inputs.append("missing: " + ", ".join(missing))
            continue
        power_text = (f"{fmt_number(power_low.loc[i], 4)} kW" if not from_spec.loc[i] else
                      f"{fmt_number(power_low.loc[i], 4)}-{fmt_number(power_high.loc[i], 4)} kW "
                      f"at the wall ({fmt_number(row['device_count'], 6)} x {fmt_number(spec.loc[i, 'board_power_w'])} "
                      f"W board power x a server overhead of {fmt_number(overhead.low)}-{fmt_number(overhead.high)} "
                      f"for host CPUs, fans and power-supply losses, the models' wall-power basis)")
        hours = (f"{fmt_number(idle_low.loc[i], 5)} idle hours" if np.isclose(idle_low.loc[i], idle_high.loc[i], rtol=1e-4)
                 else f"{fmt_number(idle_low.loc[i], 5)}-{fmt_number(idle_high.loc[i], 5)} idle hours (the printed "
                      "idle hours and the period's hours x (1 - utilization))")
        base = (f"The sheet claims an operating cost of {money}; {power_text} x PUE {fmt_number(pue.loc[i])} x "
                f"{hours} x {fmt_number(price.loc[i], 4)} {cur}/kWh gives {fmt_number(low.loc[i], 4)} to "
                f"{fmt_number(high.loc[i], 4)} {cur} (assuming power is for the whole line and idle hours per "
                f"device, {POWER_COST_TOLERANCE:.0%} for rounding)")
        if verdict.loc[i] == "implausible":
            mid = (low.loc[i] + high.loc[i]) / 2
            reasons.append(f"{base}, so the claim is {fmt_times(claimed.loc[i] / mid)}.")
        else:
            reasons.append(f"{base}: the claim agrees.")
        wall = (f"board power x device_count x server overhead {fmt_number(overhead.low)}-{fmt_number(overhead.high)} "
                "(model_assumptions.toml server_overhead)")
        inputs.append(f"power_kw={wall if from_spec.loc[i] else 'sheet'}; "
                      f"pue, idle_hours, utilization_share, electricity price from the sheet ({cur})")
    return result(lines, "power_cost", claimed, low, high, verdict, reasons, currency, inputs)


def check_consensus(lines: pd.DataFrame, consensus: pd.DataFrame) -> pd.DataFrame:
    """The coin vs its consensus on the line's dates: nothing can be mined under proof of stake."""
    lines = data_lines(lines)
    lines = lines[lines["coin"].notna()]
    if lines.empty:
        return empty()
    days = line_days(lines)
    days["consensus"] = consensus_by_day(days, consensus)
    counts = days.pivot_table(index="line", columns="consensus", values="date", aggfunc="count").reindex(
        lines.index).reindex(columns=["pow", "pos", "none"]).fillna(0)
    listed = lines["coin"].isin(set(consensus["coin"]))
    has_period = lines.index.isin(days["line"])
    pos_start = consensus[consensus["consensus"] == "pos"].groupby("coin")["valid_from"].min()
    first = consensus.groupby("coin")["valid_from"].min()
    no_pow = counts["pow"] == 0
    verifiable = listed & has_period
    claimed = lines["claimed_coins_mined"].astype(float)
    verdict = pd.Series(np.where(~verifiable, "unverifiable", np.where(no_pow, "implausible", "plausible")),
                        index=lines.index)
    zero = pd.Series(np.where(verifiable & no_pow, 0.0, np.nan), index=lines.index)
    reasons, inputs = [], []
    for i in lines.index:
        row, coin = lines.loc[i], lines.loc[i, "coin"]
        period = period_text(row["period_start"], row["period_end"])
        mined = (f" and claims {fmt_number(claimed.loc[i], 4)} {coin} mined" if not is_missing(claimed.loc[i]) else "")
        if not listed.loc[i]:
            reasons.append(f"The sheet says {coin} was mined, but {coin} is not in the consensus table, so "
                           "whether it could be mined on those dates cannot be checked.")
            inputs.append("consensus_periods: coin not listed")
            continue
        if not has_period[lines.index.get_loc(i)]:
            reasons.append(f"The sheet says {coin} was mined but gives no usable period, so the coin's "
                           "consensus on those dates cannot be checked.")
            inputs.append("period missing")
            continue
        c = counts.loc[i]
        total = int(c.sum())
        if no_pow.loc[i] and c["pos"] > 0:
            since = pos_start.get(coin)
            reasons.append(f"{coin} has been proof of stake since {day_text(since)}; nothing can be mined after that "
                           f"date, yet the sheet reports mining {coin} from {period}{mined}.")
        elif no_pow.loc[i]:
            reasons.append(f"{coin} did not exist before {day_text(first.get(coin))}, yet the sheet reports mining it "
                           f"from {period}{mined}.")
        elif c["pow"] < total:
            reasons.append(f"{coin} was proof of work on only {int(c['pow'])} of the {total} days from {period}; "
                           "mining on those days was possible (the coins rule checks the amount).")
        else:
            reasons.append(f"{coin} was proof of work on every day from {period}, so it could be mined.")
        inputs.append(f"consensus_periods: {coin} pow {int(c['pow'])} d, pos {int(c['pos'])} d, "
                      f"before launch {int(c['none'])} d")
    return result(lines, "consensus", claimed, zero, zero, verdict, reasons, lines["coin"], inputs)


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


def coins_tolerance(daily_yield: pd.Series, line: pd.Series) -> pd.DataFrame:
    """Per line: the relative spread of the coins one H/s earned per day over the line's minable days
    (`spread`, standard deviation / mean) and the relative tolerance it allows (`tolerance`,
    COINS_NOISE_SIGMAS x spread). `daily_yield` holds one value per line and day (NaN on days that
    issue nothing minable), `line` the line of each."""
    grouped = daily_yield.groupby(line)
    mean, std = grouped.mean(), grouped.std(ddof=0)
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
    per_line = days.groupby("line").agg(per_hs_low=("per_hs_low", "sum"), per_hs_high=("per_hs_high", "sum"),
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


def check_totals(lines: pd.DataFrame) -> pd.DataFrame:
    """Each figure on a totals row vs the sum of the same column over its table's other lines."""
    totals = lines[lines["is_total_row"].astype(bool)]
    data = data_lines(lines)
    if totals.empty:
        return empty()
    group = ["document_id", "table_index"]
    sums = data.groupby(group)[list(TOTAL_COLUMNS)].sum(min_count=1)
    gaps = data.groupby(group)[list(TOTAL_COLUMNS)].agg(lambda s: int(s.isna().sum()))
    counts = data.groupby(group).size().rename("lines")
    out = []
    for column, (claim, unit) in TOTAL_COLUMNS.items():
        rows = totals[totals[column].notna()]
        if rows.empty:
            continue
        key = pd.MultiIndex.from_frame(rows[group])
        total = rows[column].astype(float)
        summed = pd.Series(sums[column].reindex(key).to_numpy(), index=rows.index)
        gap = pd.Series(gaps[column].reindex(key).to_numpy(), index=rows.index)
        n = pd.Series(counts.reindex(key).to_numpy(), index=rows.index)
        verifiable = summed.notna() & (gap == 0)
        low = summed * (1 - TOTALS_TOLERANCE)
        high = summed * (1 + TOTALS_TOLERANCE)
        verdict = verdict_of(total, low.where(low <= high, high), high.where(low <= high, low), verifiable)
        units = rows["currency"].fillna("") if unit == "currency" else unit
        unit_of = (lambda i: rows.loc[i, "currency"] or "") if unit == "currency" else (lambda i: unit)
        label = TOTAL_LABELS[column]
        reasons, inputs = [], []
        for i in rows.index:
            u = unit_of(i)
            if is_missing(n.loc[i]) or is_missing(summed.loc[i]):
                reasons.append(f"The totals row gives {label} {fmt_number(total.loc[i], 6)} {u}, but the table has no "
                               "lines with that figure to add up.".replace("  ", " "))
                inputs.append("no lines")
            elif gap.loc[i] > 0:
                reasons.append(f"The totals row gives {label} {fmt_number(total.loc[i], 6)} {u}, but "
                               f"{int(gap.loc[i])} of the table's {int(n.loc[i])} lines have no figure in that column, so the "
                               "sum cannot be checked.".replace("  ", " "))
                inputs.append(f"{int(gap.loc[i])} of {int(n.loc[i])} lines missing")
            else:
                base = (f"The totals row gives {label} {fmt_number(total.loc[i], 7)} {u}; the table's "
                        f"{int(n.loc[i])} lines add up to {fmt_number(summed.loc[i], 7)} {u}").replace("  ", " ")
                if verdict.loc[i] == "implausible":
                    diff = total.loc[i] / summed.loc[i] - 1 if summed.loc[i] else np.inf
                    reasons.append(f"{base}, so the total is {abs(diff):.1%} {'higher' if diff > 0 else 'lower'} "
                                   f"than its lines (rounding explains at most {TOTALS_TOLERANCE:.0%}).")
                else:
                    reasons.append(f"{base}: the total agrees within rounding.")
                inputs.append(f"sum of {int(n.loc[i])} lines")
        out.append(result(rows, claim, total, low, high, verdict, reasons, units, inputs))
    return pd.concat(out) if out else empty()


def check_period(lines: pd.DataFrame, first_seen: pd.Series) -> pd.DataFrame:
    """The line's dates vs themselves, vs the day the file was first seen (a period that had not ended
    cannot have results), and vs the table's own period (its totals row): a line outside it, or a
    totals row whose lines run outside it, contradicts the document."""
    lines = lines.copy()
    start = pd.to_datetime(lines["period_start"])
    end = pd.to_datetime(lines["period_end"])
    seen = pd.to_datetime(lines["document_id"].map(first_seen))
    group = ["document_id", "table_index"]
    totals = lines[lines["is_total_row"].astype(bool) & lines["period_start"].notna() & lines["period_end"].notna()]
    ref = totals.drop_duplicates(group).set_index(group)[["period_start", "period_end"]]
    key = pd.MultiIndex.from_frame(lines[group])
    ref_start = pd.Series(pd.to_datetime(ref["period_start"]).reindex(key).to_numpy(), index=lines.index)
    ref_end = pd.Series(pd.to_datetime(ref["period_end"]).reindex(key).to_numpy(), index=lines.index)
    data = data_lines(lines)
    span = data.assign(s=pd.to_datetime(data["period_start"]), e=pd.to_datetime(data["period_end"])).groupby(group)
    span_start = pd.Series(span["s"].min().reindex(key).to_numpy(), index=lines.index)
    span_end = pd.Series(span["e"].max().reindex(key).to_numpy(), index=lines.index)
    is_total = lines["is_total_row"].astype(bool)
    outside_lines = data.assign(s=pd.to_datetime(data["period_start"]), e=pd.to_datetime(data["period_end"]))
    outside_lines = outside_lines.join(ref, on=group, rsuffix="_ref")
    outside_lines["out"] = (outside_lines["s"] < pd.to_datetime(outside_lines["period_start_ref"])) | (
        outside_lines["e"] > pd.to_datetime(outside_lines["period_end_ref"]))
    n_outside = pd.Series(outside_lines.groupby(group)["out"].sum().reindex(key).to_numpy(), index=lines.index)

    has = start.notna() & end.notna()
    reversed_ = has & (start > end)
    future = has & seen.notna() & (end.dt.date > seen.dt.date)
    has_ref = ref_start.notna() & ref_end.notna()
    line_outside = has & has_ref & ~is_total & ((start < ref_start) | (end > ref_end))
    total_outside = has & is_total & n_outside.fillna(0).gt(0)
    bad = reversed_ | future | line_outside | total_outside
    verdict = pd.Series(np.where(~has, "unverifiable", np.where(bad, "implausible", "plausible")), index=lines.index)
    days = period_days(lines)
    reasons, inputs = [], []
    for i in lines.index:
        s, e = day_text(lines.loc[i, "period_start"]), day_text(lines.loc[i, "period_end"])
        if not has.loc[i]:
            reasons.append("The line gives no complete period (start and end), so its dates cannot be checked.")
            inputs.append("period missing")
            continue
        if reversed_.loc[i]:
            reasons.append(f"The period runs from {s} to {e}: it ends before it starts.")
        elif future.loc[i]:
            reasons.append(f"The sheet reports results for {s} to {e}, but the file was first seen on "
                           f"{seen.loc[i].date()}, before that period had ended.")
        elif line_outside.loc[i]:
            reasons.append(f"The line's period {s} to {e} falls outside its own table's period "
                           f"{ref_start.loc[i].date()} to {ref_end.loc[i].date()} (the totals row).")
        elif total_outside.loc[i]:
            reasons.append(f"The totals row covers {s} to {e}, but {int(n_outside.loc[i])} of its table's lines fall "
                           f"outside it (they run from {span_start.loc[i].date()} to {span_end.loc[i].date()}).")
        elif is_total.loc[i]:
            reasons.append(f"The totals row covers {s} to {e}, and every line of its table falls within it.")
        elif has_ref.loc[i]:
            reasons.append(f"The period {s} to {e} is well ordered, over before the file surfaced and within "
                           f"the table's own period {ref_start.loc[i].date()} to {ref_end.loc[i].date()}.")
        else:
            reasons.append(f"The period {s} to {e} is well ordered and was over before the file surfaced; the "
                           "table gives no period of its own to compare with.")
        inputs.append("document first seen " + (str(seen.loc[i].date()) if not is_missing(seen.loc[i]) else "unknown")
                      + ("; table period from its totals row" if has_ref.loc[i] else ""))
    return result(lines, "period", days, np.nan, np.nan, verdict, reasons, "days", inputs)


def assess(lines: pd.DataFrame, specs: pd.DataFrame, network: pd.DataFrame, consensus: pd.DataFrame,
           first_seen: pd.Series, overhead: assumptions.Range | None = None) -> pd.DataFrame:
    """Every rule over every line: the mart's rows, in key order. `overhead`: the server overhead range of
    the power-cost check (default: the bundled assumptions')."""
    lines = lines.reset_index(drop=True)
    parts = [check_hashrate(lines, specs), check_power_cost(lines, specs, overhead),
             check_coins(lines, specs, network, consensus),
             check_consensus(lines, consensus), check_totals(lines), check_period(lines, first_seen)]
    parts = [p for p in parts if not p.empty]
    out = pd.concat(parts, ignore_index=True) if parts else empty()
    return out.sort_values(KEY, kind="stable").reset_index(drop=True)[RESULT_COLUMNS]
