"""Compare extracted cost-sheet rows with tests/lib/costsheets/truth/cost_sheets_truth.csv, cell by cell."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

TRUTH_DIR = Path(__file__).parent / "truth"
KEY = ["file", "table_index", "row_index"]
COMPARED = ["page", "is_total_row", "company", "site", "period_start", "period_end", "device", "device_count",
            "utilization_share", "idle_hours", "power_kw", "pue", "electricity_price_native", "currency", "coin",
            "algorithm", "claimed_hashrate_hs", "claimed_hashrate_per_device_hs", "claimed_coins_mined",
            "claimed_revenue_native", "claimed_opex_native"]
TEXT = {"company", "site", "device", "currency", "coin", "algorithm", "period_start", "period_end"}


def truth() -> pd.DataFrame:
    return pd.read_csv(TRUTH_DIR / "cost_sheets_truth.csv", dtype=str, keep_default_na=False)


def documents() -> pd.DataFrame:
    return pd.read_csv(TRUTH_DIR / "cost_sheet_documents.csv", dtype=str, keep_default_na=False)


def _same(column: str, expected: str, got) -> bool:
    missing = got is None or (isinstance(got, float) and math.isnan(got)) or got is pd.NaT
    if expected == "":
        return missing or (column == "is_total_row" and got is False)
    if missing:
        return False
    if column == "is_total_row":
        return str(bool(got)).lower() == expected.lower()
    if column in TEXT:
        return str(got).strip() == expected.strip()
    return math.isclose(float(got), float(expected), rel_tol=1e-6, abs_tol=1e-12)


def compare(extracted: pd.DataFrame, expected: pd.DataFrame) -> tuple[int, int, list[str]]:
    """(cells equal, cells compared, differences) over the expected rows; a missing row counts all
    its cells as wrong, an extra row counts its cells as wrong too."""
    got = {(r["file"], int(r["table_index"]), int(r["row_index"])): r for r in extracted.to_dict("records")}
    equal = total = 0
    diffs = []
    for r in expected.to_dict("records"):
        key = (r["file"], int(r["table_index"]), int(r["row_index"]))
        row = got.pop(key, None)
        for column in COMPARED:
            total += 1
            value = None if row is None else row.get(column)
            if row is not None and _same(column, r[column], value):
                equal += 1
            else:
                diffs.append(f"{key} {column}: expected {r[column]!r}, got {value!r}")
    for key in got:
        total += len(COMPARED)
        diffs.append(f"{key}: extracted but not in the truth")
    return equal, total, diffs
