"""A quarterly or monthly document whose lines came out with a one-day period (issue 19, point 4)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.lib.verification.period import check_period

D = dt.date


def _lines(*rows) -> pd.DataFrame:
    base = dict(document_id="doc", page=1, table_index=0, company="Acme", site="Site", device="A100", coin=None,
                is_total_row=False, flags=[])
    return pd.DataFrame([{**base, "row_index": k, **r} for k, r in enumerate(rows)])


SEEN = pd.Series({"doc": pd.Timestamp("2025-01-01")})


def test_a_one_day_line_of_a_quarterly_document_is_implausible():
    lines = _lines(dict(period_start=D(2024, 1, 1), period_end=D(2024, 1, 1),
                        flags=["one_day_period", "period_conflicts_title"]))
    out = check_period(lines, SEEN).iloc[0]
    assert out["verdict"] == "implausible" and "title gives a longer period" in out["reason"]


def test_a_one_day_line_is_not_plausible_without_more():
    lines = _lines(dict(period_start=D(2024, 1, 1), period_end=D(2024, 1, 1), flags=["one_day_period"]),
                   dict(period_start=D(2024, 1, 1), period_end=D(2024, 1, 31)))
    out = check_period(lines, SEEN)
    assert list(out["verdict"]) == ["unverifiable", "plausible"]
    assert "single day 2024-01-01" in out.iloc[0]["reason"]


def test_without_a_flags_column_a_one_day_line_is_unverifiable():
    lines = _lines(dict(period_start=D(2024, 3, 1), period_end=D(2024, 3, 1))).drop(columns="flags")
    assert check_period(lines, SEEN).iloc[0]["verdict"] == "unverifiable"


def test_no_lines_and_no_first_seen_day_give_no_claim_not_an_error():
    """An incremental run re-assesses no document (pandas' Series.map fails on an empty Series of dates)."""
    lines = _lines(dict(period_start=D(2024, 1, 1), period_end=D(2024, 3, 31))).iloc[0:0]
    empty = pd.Series(pd.to_datetime([]), index=pd.Index([], dtype=str), name="first_seen")
    assert check_period(lines, empty).empty
