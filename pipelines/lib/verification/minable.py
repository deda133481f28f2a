"""The `consensus` claim: the coin vs its consensus on the line's dates (nothing is mined under proof of stake)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.lib.common.missing import is_missing
from pipelines.lib.verification.consensus import consensus_by_day
from pipelines.lib.verification.lines import data_lines, line_days
from pipelines.lib.verification.verdicts import day_text, empty, fmt_number, period_text, result


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
