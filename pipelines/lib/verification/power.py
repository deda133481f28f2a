"""The `power_cost` claim: the operating cost vs power x PUE x idle hours x electricity price."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.lib.common.missing import is_missing
from pipelines.lib.models import assumptions
from pipelines.lib.verification.devices import device_specs
from pipelines.lib.verification.lines import data_lines, idle_hours_readings
from pipelines.lib.verification.verdicts import empty, fmt_number, fmt_times, result, verdict_of


# Printed inputs are rounded (prices to 2-3 decimals, hours to whole hours, shares to whole percent):
# the product of four rounded figures can drift a few percent from the sheet's own unrounded sum.
POWER_COST_TOLERANCE = 0.05


# When a line gives no power, its wall power is the devices' board power x the server overhead range of the
# model assumptions (ranges.server_overhead: host CPUs, NICs, fans, power-supply losses), the one wall-power
# basis of the models too; the check allows its low..high.
SERVER_OVERHEAD_RANGE = "server_overhead"


def server_overhead(path: Path | None = None) -> assumptions.Range:
    """The server overhead range of the model assumptions in `path` (LEAKPIPE_ASSUMPTIONS, through the
    model_assumptions resource), else of the bundled file."""
    return assumptions.load(path).ranges[SERVER_OVERHEAD_RANGE]


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
