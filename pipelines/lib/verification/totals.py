"""The `total_*` claims: a totals row vs the sum of its table's lines, column by column."""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.lib.common.missing import is_missing
from pipelines.lib.verification.lines import data_lines
from pipelines.lib.verification.verdicts import empty, fmt_number, result, verdict_of


# A totals row is the sum of rounded lines (or the rounded sum): 1 % covers rounding, not a 20 % gap.
TOTALS_TOLERANCE = 0.01


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
