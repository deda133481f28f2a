"""Is this value missing? One answer for the whole package.

A value is missing when it is None, pandas' NA or NaT, a float NaN (numpy's included) or numpy's
NaT. Anything else is present, including 0, "" and containers (a list is a value, not a missing
one). Text that *says* missing in an input file ("n/a", "-", "null") is a reading question, answered
by `says_missing` on a column of cells.
"""
from __future__ import annotations

import pandas as pd

# What an input cell may print for "no value" (compared stripped and lower-cased).
MISSING_MARKERS = frozenset({"", "-", "n/a", "na", "nan", "null", "none"})


def is_missing(value) -> bool:
    """True for None, pd.NA, pd.NaT, NaN and numpy NaT; False for every other value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if not pd.api.types.is_scalar(value):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def says_missing(cells: pd.Series) -> pd.Series:
    """Per cell: is it empty (NA) or does its text stand for no value ('', '-', 'n/a', 'null' ...)?"""
    return cells.isna() | cells.astype(str).str.strip().str.lower().isin(MISSING_MARKERS)
