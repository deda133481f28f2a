"""The shape of a leak_plausibility row, its verdict and the wording of its quotable reason.

Every claim check (hashrate, power, coins, minable, totals, period, metadata) returns rows of RESULT_COLUMNS built by
`result`, with a verdict from `verdict_of` and sentences worded with the helpers here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.lib.common.missing import is_missing


RULE_VERSION = "plausibility-3"   # 3: the document-level metadata_* claims


ALGORITHM_NAMES = {"sha256d": "SHA-256d", "ethash": "Ethash", "etchash": "Etchash", "kawpow": "KawPow",
                   "kheavyhash": "kHeavyHash", "randomx": "RandomX", "scrypt": "Scrypt",
                   "equihash": "Equihash", "autolykos2": "Autolykos2"}


RESULT_COLUMNS = ["document_id", "page", "table_index", "row_index", "claim", "claimed_value", "expected_low",
                  "expected_high", "verdict", "reason", "unit", "company", "site", "device", "coin",
                  "period_start", "period_end", "inputs", "rule_version"]
KEY = ["document_id", "table_index", "row_index", "claim"]


# Formatting for quotable reasons
_SI = [(1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, "")]


def _sig(value: float, digits: int = 3) -> str:
    if value == 0 or not np.isfinite(value):
        return "0"
    text = f"{value:,.{max(digits - 1 - int(np.floor(np.log10(abs(value)))), 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_hashrate(hs: float) -> str:
    """8e9 -> '8 GH/s', 2e14 -> '200 TH/s', 3500 -> '3.5 kH/s'."""
    for scale, prefix in _SI:
        if abs(hs) >= scale:
            return f"{_sig(hs / scale)} {prefix}H/s"
    return f"{_sig(hs)} H/s"


def fmt_number(value: float, digits: int = 3) -> str:
    return _sig(float(value), digits)


def fmt_times(ratio: float) -> str:
    """How many times too high or too low, for a sentence."""
    if ratio >= 1:
        return f"{fmt_number(ratio, 2 if ratio < 100 else 3)} times too high"
    return f"{fmt_number(1 / ratio, 2 if ratio > 0.01 else 3)} times too low"


def algorithm_name(algorithm) -> str:
    return ALGORITHM_NAMES.get(algorithm, str(algorithm))


def day_text(value) -> str:
    return str(pd.Timestamp(value).date()) if not is_missing(value) else "?"


def period_text(start, end) -> str:
    return f"{day_text(start)} to {day_text(end)}"


def range_text(low: float, high: float, digits: int = 4) -> str:
    low_text, high_text = fmt_number(low, digits), fmt_number(high, digits)
    return low_text if low_text == high_text else f"{low_text}-{high_text}"


def share_text(low: float, high: float) -> str:
    return f"{low:.0%}" if f"{low:.0%}" == f"{high:.0%}" else f"{low:.0%}-{high:.0%}"


def result(lines: pd.DataFrame, claim: str, claimed, low, high, verdict, reason, unit, inputs) -> pd.DataFrame:
    """Result rows for `lines` (same index), one per line."""
    out = lines[["document_id", "page", "table_index", "row_index", "company", "site", "device", "coin",
                 "period_start", "period_end"]].copy()
    out["claim"] = claim
    out["claimed_value"] = pd.to_numeric(pd.Series(claimed, index=lines.index), errors="coerce").astype(float)
    out["expected_low"] = pd.to_numeric(pd.Series(low, index=lines.index), errors="coerce").astype(float)
    out["expected_high"] = pd.to_numeric(pd.Series(high, index=lines.index), errors="coerce").astype(float)
    out["verdict"] = pd.Series(verdict, index=lines.index).astype(str)
    out["reason"] = pd.Series(reason, index=lines.index).astype(str)
    out["unit"] = pd.Series(unit, index=lines.index)
    out["inputs"] = pd.Series(inputs, index=lines.index)
    out["rule_version"] = RULE_VERSION
    return out[RESULT_COLUMNS]


def verdict_of(claimed: pd.Series, low: pd.Series, high: pd.Series, verifiable: pd.Series) -> pd.Series:
    inside = (claimed >= low.fillna(-np.inf)) & (claimed <= high.fillna(np.inf))
    return pd.Series(np.where(~verifiable, "unverifiable", np.where(inside, "plausible", "implausible")),
                     index=claimed.index)


def empty() -> pd.DataFrame:
    return pd.DataFrame(columns=RESULT_COLUMNS)
