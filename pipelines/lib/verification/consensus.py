"""The consensus (proof of work or of stake) of a coin on each day, from core.consensus_periods.

Used by the consensus and coins checks and by the models (pipelines.lib.models.contribution, .stage):
it imports no claim check.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def consensus_by_day(days: pd.DataFrame, consensus: pd.DataFrame) -> pd.Series:
    """The consensus (pow | pos) on each (coin, date) of `days`; 'none' before the coin's first period,
    NaN for a coin the table does not list."""
    periods = consensus.copy()
    periods["valid_from"] = pd.to_datetime(periods["valid_from"])
    periods["valid_to"] = pd.to_datetime(periods["valid_to"])
    merged = days.reset_index().merge(periods, on="coin", how="left")
    within = (merged["date"] >= merged["valid_from"]) & (merged["valid_to"].isna() | (merged["date"] < merged["valid_to"]))
    hit = merged[within].drop_duplicates("index").set_index("index")["consensus"]
    listed = days["coin"].isin(set(periods["coin"]))
    out = pd.Series(np.where(listed, "none", None), index=days.index, dtype=object)
    out.loc[hit.index] = hit
    return out
