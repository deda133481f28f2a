"""Event study (pipelines.lib.models.event_study): each formula pinned on hand-computed cases."""
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipelines.lib.models.event_study import (
    METHOD_VERSION,
    benchmark_returns,
    cluster_events,
    draw_car_sum,
    event_car,
    events_in_window,
    log_returns,
)

T = pd.Timestamp
TINY = {"estimation": (-5, -1), "window": (0, 1), "min_estimation_days": 3}


def tiny_returns(with_market: bool = True) -> pd.DataFrame:
    """Seven days: estimation 2024-03-01..05 and window 03-06..07 for an event on 2024-03-06 with TINY."""
    frame = pd.DataFrame({"X": [0.012, -0.025, 0.02, 0.003, -0.01, 0.05, 0.0],
                          "M": [0.01, -0.02, 0.015, 0.0, -0.005, 0.02, -0.01]},
                         index=pd.date_range("2024-03-01", periods=7, freq="D"))
    return frame if with_market else frame[["X"]]


def one_event(date="2024-03-06") -> pd.DataFrame:
    return pd.DataFrame({"date": [date], "kind": ["leak"], "title": ["cost sheet"]})


def by_model(cars: pd.DataFrame, model: str) -> pd.Series:
    """The one row of a one-cluster event_car frame for `model` (constant_mean or market)."""
    rows = cars[cars["model"] == model]
    assert len(rows) == 1
    return rows.iloc[0]


def test_method_version():
    assert METHOD_VERSION == "event-study-2"


def test_log_returns_hand_values_gap_and_zero_price():
    prices = pd.DataFrame({
        "asset": ["A", "A", "A", "A", "B", "B", "B", "B"],
        "date": [dt.date(2024, 1, 1), T("2024-01-02"), "2024-01-04", "2024-01-05",
                 "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"],
        "close_usd": [100.0, 110.0, 121.0, 0.0, 10.0, 20.0, 10.0, 10.0],
    })
    wide = log_returns(prices)
    assert list(wide.index) == list(pd.date_range("2024-01-01", "2024-01-05", freq="D"))
    a, b = wide["A"].to_numpy(), wide["B"].to_numpy()
    assert np.isnan(a[0]) and a[1] == pytest.approx(math.log(1.1))
    assert np.isnan(a[2]) and np.isnan(a[3]) and np.isnan(a[4])  # 01-03 missing (gap), 01-05 close is 0
    assert np.isnan(b[0]) and np.isnan(b[1])
    assert b[2:] == pytest.approx([math.log(2), -math.log(2), 0.0])


def test_log_returns_nan_price_and_duplicate_keeps_last():
    prices = pd.DataFrame({"asset": ["A"] * 5,
                           "date": ["2024-01-01", "2024-01-02", "2024-01-02", "2024-01-03", "2024-01-04"],
                           "close_usd": [100.0, 50.0, 200.0, np.nan, 400.0]})
    wide = log_returns(prices)
    assert wide["A"].iloc[1] == pytest.approx(math.log(2.0))
    assert wide["A"].iloc[2:].isna().all() and len(wide) == 4
    assert log_returns(prices.iloc[:0]).empty


def test_benchmark_excludes_asset_and_averages_others_per_day():
    returns = pd.DataFrame({"ETH": [0.5, 0.5, 0.5], "XMR": [0.01, np.nan, np.nan], "ETC": [0.03, 0.04, np.nan]},
                           index=pd.date_range("2024-01-01", periods=3, freq="D"))
    series, description = benchmark_returns(returns, "ETH")
    assert series.iloc[0] == pytest.approx(0.02) and series.iloc[1] == pytest.approx(0.04)
    assert np.isnan(series.iloc[2])
    assert description == "equal-weighted daily log return of ETC, XMR"
    series, description = benchmark_returns(returns[["ETH"]], "ETH")
    assert series.isna().all() and len(series) == 3 and description == "none: constant-mean model"


def test_cluster_events_merges_overlapping_and_touching_windows():
    dates = ["2024-01-05", dt.date(2024, 1, 1), T("2024-01-02"), "2024-01-01", "2024-01-20", "2024-01-09", None]
    # window (0, 2): 01-01..03 and 01-02..04 overlap, 01-05..07 touches 01-04, 01-09 leaves 01-08 free
    assert cluster_events(dates, (0, 2)) == [[T("2024-01-01"), T("2024-01-02"), T("2024-01-05")],
                                             [T("2024-01-09")], [T("2024-01-20")]]
    # window (0, 0): one-day windows on consecutive days touch, a one-day gap keeps them apart
    assert cluster_events(["2024-01-01", "2024-01-02", "2024-01-04"], (0, 0)) == [
        [T("2024-01-01"), T("2024-01-02")], [T("2024-01-04")]]
    assert cluster_events([], (0, 2)) == []


def test_events_in_window_is_inclusive():
    events = pd.DataFrame({"date": ["2024-01-01", dt.date(2024, 1, 5), "2024-01-06"], "kind": ["a", "b", "c"],
                           "title": ["x", "y", "z"]})
    kept = events_in_window(events, "2024-01-01", dt.date(2024, 1, 5))
    assert list(kept["kind"]) == ["a", "b"]
    assert list(kept["date"]) == [T("2024-01-01"), T("2024-01-05")]


def synthetic_market() -> tuple[pd.DataFrame, pd.Timestamp]:
    """r = 0.001 + 1.5 m + noise (|noise| <= 0.0005), +0.05 on the event day and +0.02 the day after."""
    t = np.arange(200)
    m = 0.01 * np.sin(0.7 * t) + 0.005 * np.cos(1.3 * t)
    noise = 0.0005 * np.sin(2.9 * t + 0.3)
    r = 0.001 + 1.5 * m + noise
    r[150] += 0.05
    r[151] += 0.02
    d = 0.003 * np.cos(0.9 * t)  # the two benchmark assets average exactly to m
    days = pd.date_range("2023-01-01", periods=200, freq="D")
    return pd.DataFrame({"X": r, "M1": m + d, "M2": m - d}, index=days), days[150]


def test_market_model_recovers_injected_abnormal_returns():
    returns, event_day = synthetic_market()
    events = pd.DataFrame({"date": [event_day.date()], "kind": ["capex"], "title": ["GPU order"]})
    cars = event_car(returns, "X", events)
    assert list(cars["model"]) == ["constant_mean", "market"]          # the primary estimate first
    row = by_model(cars, "market")
    assert row["status"] == "ok"
    assert row["benchmark"] == "equal-weighted daily log return of M1, M2"
    assert row["n_estimation"] == 110
    assert row["alpha"] == pytest.approx(0.001, abs=2e-4)
    assert row["beta"] == pytest.approx(1.5, abs=0.02)
    # three window days of noise (<= 0.0005 each) plus the fitted parameters' error
    assert row["car"] == pytest.approx(0.07, abs=0.002)
    assert row["sigma"] < 0.0006 and row["p_value"] < 1e-6
    assert (row["window_start"], row["window_end"]) == (event_day, event_day + pd.Timedelta(days=2))
    assert row["estimation_start"] == event_day - pd.Timedelta(days=120)
    assert row["estimation_end"] == event_day - pd.Timedelta(days=11)
    assert row["ci_low"] < row["car"] < row["ci_high"]


def test_car_se_matches_explicit_mackinlay_matrices():
    returns = tiny_returns()
    row = by_model(event_car(returns, "X", one_event(), confidence=0.9, **TINY), "market")
    x, m = returns["X"].to_numpy(), returns["M"].to_numpy()
    xe = np.column_stack([np.ones(5), m[:5]])
    xw = np.column_stack([np.ones(2), m[5:]])
    coef = np.linalg.inv(xe.T @ xe) @ xe.T @ x[:5]
    resid = x[:5] - xe @ coef
    sigma2 = resid @ resid / (5 - 2)
    v = sigma2 * (np.eye(2) + xw @ np.linalg.inv(xe.T @ xe) @ xw.T)
    car = (x[5:] - xw @ coef).sum()
    se = math.sqrt(np.ones(2) @ v @ np.ones(2))
    assert row["status"] == "ok" and row["n_estimation"] == 5
    assert (row["alpha"], row["beta"]) == pytest.approx(tuple(coef))
    assert row["sigma"] == pytest.approx(math.sqrt(sigma2))
    assert row["car"] == pytest.approx(car) and row["car_se"] == pytest.approx(se)
    assert row["t_stat"] == pytest.approx(car / se)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(car / se), 3))
    half = stats.t.ppf(0.95, 3) * se
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((car - half, car + half))


def check_constant_mean(row: pd.Series, x: np.ndarray) -> None:
    mean, sigma = x[:5].mean(), x[:5].std(ddof=1)
    car, se = (x[5:] - mean).sum(), sigma * math.sqrt(2 + 2 ** 2 / 5)
    assert row["status"] == "ok" and row["model"] == "constant_mean"
    assert row["alpha"] == pytest.approx(mean) and np.isnan(row["beta"])
    assert row["sigma"] == pytest.approx(sigma)
    assert row["car"] == pytest.approx(car) and row["car_se"] == pytest.approx(se)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(car / se), 4))


def test_constant_mean_without_benchmark():
    cars = event_car(tiny_returns(with_market=False), "X", one_event(), **TINY)
    row = by_model(cars, "constant_mean")
    assert row["benchmark"] == "none: constant-mean model"
    check_constant_mean(row, tiny_returns()["X"].to_numpy())
    market = by_model(cars, "market")
    assert market["status"] == "no benchmark: no other asset has returns"
    assert_no_estimates(market)


def test_constant_mean_is_fitted_beside_a_benchmark_too_short_for_the_market_model():
    returns = tiny_returns()
    returns.iloc[:3, returns.columns.get_loc("M")] = np.nan  # 2 benchmark days in the estimation window, need 3
    cars = event_car(returns, "X", one_event(), **TINY)
    row = by_model(cars, "constant_mean")
    assert row["n_estimation"] == 5
    check_constant_mean(row, returns["X"].to_numpy())
    market = by_model(cars, "market")
    assert market["status"] == "only 2 estimation days with returns and a benchmark return (need 3)"
    assert market["n_estimation"] == 2


def assert_no_estimates(row: pd.Series) -> None:
    for column in ["alpha", "beta", "sigma", "car", "car_se", "t_stat", "p_value", "ci_low", "ci_high"]:
        assert np.isnan(row[column]), column


def test_status_reasons():
    returns = tiny_returns()
    short = by_model(event_car(returns, "X", one_event(), **{**TINY, "min_estimation_days": 6}), "constant_mean")
    assert short["status"] == "only 5 estimation days with returns (need 6)"
    outside = by_model(event_car(returns, "X", one_event("2025-06-01"), **TINY), "constant_mean")
    assert outside["status"] == "only 0 estimation days with returns (need 3)"
    late = by_model(event_car(returns, "X", one_event("2024-03-07"), **TINY), "market")  # window to 03-08, no price
    assert late["status"] == "event window has days without a return"
    missing = by_model(event_car(returns, "ZZZ", one_event(), **TINY), "constant_mean")
    assert missing["status"] == "no prices for ZZZ" and missing["n_estimation"] == 0
    for row in (short, outside, late, missing):
        assert_no_estimates(row)


def test_same_day_events_form_one_cluster_and_empty_events_give_no_rows():
    events = pd.DataFrame({"date": [T("2024-03-06"), "2024-03-06", dt.date(2024, 3, 6)],
                           "kind": ["leak", "leak", "etf"], "title": ["cost sheet", "cost sheet", "approval"]})
    cars = event_car(tiny_returns(), "X", events, **TINY)
    assert len(cars) == 2                                               # one cluster, two models
    row = by_model(cars, "market")
    assert row["event_count"] == 2 and row["titles"] == "leak: cost sheet; etf: approval"
    assert row["cluster_start"] == row["cluster_end"] == T("2024-03-06")
    empty = event_car(tiny_returns(), "X", events.iloc[:0], **TINY)
    assert empty.empty and "car_se" in empty.columns


def test_config_must_end_estimation_before_window():
    with pytest.raises(ValueError):
        event_car(tiny_returns(), "X", one_event(), estimation=(-5, 0), window=(0, 1))


def test_draw_car_sum_is_sum_of_cars_plus_scaled_draws():
    cars = pd.DataFrame({"car": [0.1, -0.02, 0.5], "car_se": [0.03, 0.04, 0.9],
                         "status": ["ok", "ok", "event window has days without a return"]})
    draws = draw_car_sum(cars.iloc[:2], np.array([-1.0, 1.0]))
    assert draws == pytest.approx([0.03, 0.13])
    assert draws.mean() == pytest.approx(0.08) and draws.std() == pytest.approx(0.05)
    # events in the window but not all estimable: unknown, never 0 and never the partial sum; no event at all: 0
    assert np.isnan(draw_car_sum(cars, np.array([0.5, -2.0, 1.0]))).all()
    assert np.isnan(draw_car_sum(cars.iloc[2:], np.array([0.5, -2.0, 1.0]))).all()
    assert list(draw_car_sum(cars.iloc[:0], np.array([0.5, -2.0]))) == [0.0, 0.0]
