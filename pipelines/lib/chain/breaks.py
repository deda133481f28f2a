"""Level shifts in a coin's daily network hashrate (marts.hashrate_breaks).

A fleet that starts (or stops) mining a coin moves the network's hashrate by a step, from one day to
the next: a level shift in log hashrate. The detector is ruptures' PELT (Killick, Fearnhead and Eckley
2012) with the least-squares cost ("l2", a change in mean) on log hashrate, one penalty rule for every
coin, chosen on the data:

    penalty = PENALTY_K x sigma^2 x log(n)

sigma is the day-to-day noise of the series' own log hashrate, estimated robustly from its first
differences (MAD x 1.4826 / sqrt(2): a difference holds two days' noise, the MAD ignores the jumps
themselves), n its length. PENALTY_K = 2 is the BIC of a change in mean (each change adds two
parameters, its date and the new level). No coin has its own penalty.

The rows are the breaks in both directions: a positive step_log is hashrate arriving, a negative one
hashrate leaving (the withdrawal the claim predicts when AI load rises).

Missing days: the series is put on a full daily calendar, the missing days of log hashrate are filled
by linear interpolation for the detector only, and a break whose date falls in a gap (or on the first day
after one) is dropped: it cannot be told apart from the gap. The dropped count is returned beside the rows
(`dropped_in_gap`), never silently lost.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import ruptures as rpt

METHOD = "pelt_l2_log_hashrate"
PENALTY_K = 2.0           # BIC: two parameters per change (date, new level)
MIN_SEGMENT_DAYS = 7      # a level must hold a week to count as one
LOCAL_DAYS = 14           # step_log: the median level of up to this many days on each side of the break
MAD_TO_SIGMA = 1.4826
COLUMNS = ["coin", "break_date", "direction", "step_log", "level_before_hs", "level_after_hs", "method", "score",
           "noise_sigma_log", "penalty", "days_in_series"]


def noise_sigma(log_values: np.ndarray) -> float:
    """The day-to-day noise of a log series: MAD of its first differences x 1.4826 / sqrt(2)."""
    diffs = np.diff(log_values[np.isfinite(log_values)])
    if len(diffs) < 3:
        return float("nan")
    mad = np.median(np.abs(diffs - np.median(diffs)))
    return float(mad * MAD_TO_SIGMA / np.sqrt(2))


def daily_log(series: pd.Series) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    """A hashrate series (index: dates) on a full daily calendar: the days, log hashrate with the missing
    (or non-positive) days interpolated, and a mask of those days."""
    s = pd.Series(series.to_numpy(dtype=float), index=pd.to_datetime(series.index)).sort_index()
    s = s[~s.index.duplicated(keep="last")]
    days = pd.date_range(s.index.min(), s.index.max(), freq="D")
    s = s.reindex(days)
    missing = ~(s > 0).to_numpy()
    logs = np.log(s.where(s > 0))
    filled = logs.interpolate(method="linear", limit_area="inside").to_numpy()
    return days, filled, missing


def penalty(sigma: float, n: int, k: float = PENALTY_K) -> float:
    """The one penalty rule: k x sigma^2 x log(n)."""
    return k * sigma ** 2 * np.log(n)


def change_points(log_values: np.ndarray, pen: float, min_size: int = MIN_SEGMENT_DAYS) -> list[int]:
    """ruptures' PELT with the l2 cost on a complete log series: the positions where a new level starts.
    Run as ruptures' KernelCPD with the linear kernel (whose cost is the l2 cost; its penalised search is PELT,
    in C): the same breakpoints as `rpt.Pelt(model="l2", jump=1)` (tests/lib/chain/test_breaks.py), about a
    thousand times faster, which keeps the mart cheap on a history back to 2009."""
    n = len(log_values)
    if n < 2 * min_size or not np.isfinite(pen) or pen <= 0:
        return []
    ends = rpt.KernelCPD(kernel="linear", min_size=min_size).fit(log_values.reshape(-1, 1)).predict(pen=pen)
    return [e for e in ends if e < n]


def change_points_fast(log_values: np.ndarray, pen: float, min_size: int = MIN_SEGMENT_DAYS) -> list[int]:
    """The same optimum as `change_points` (PELT is exact: it returns the partition that minimises the
    penalised l2 cost, which optimal partitioning, Jackson et al. 2005, finds without pruning), computed with
    numpy: the power analysis runs it thousands of times, where ruptures' pure-Python loop takes ~30 ms a
    run. tests/lib/chain checks the two agree."""
    return change_points_batch(np.asarray(log_values, dtype=float)[None, :], pen, min_size)[0]


def change_points_batch(rows: np.ndarray, pen: float, min_size: int = MIN_SEGMENT_DAYS) -> list[list[int]]:
    """`change_points_fast` for many series of the same length at once (one per row of `rows`)."""
    y = np.asarray(rows, dtype=float)
    k, n = y.shape
    if n < 2 * min_size or not np.isfinite(pen) or pen <= 0:
        return [[] for _ in range(k)]
    s1 = np.concatenate([np.zeros((k, 1)), np.cumsum(y, axis=1)], axis=1)
    s2 = np.concatenate([np.zeros((k, 1)), np.cumsum(y * y, axis=1)], axis=1)
    best = np.full((k, n + 1), np.inf)
    best[:, 0] = -pen
    last = np.zeros((k, n + 1), dtype=int)
    rows_ix = np.arange(k)
    for t in range(min_size, n + 1):
        starts = np.arange(0, t - min_size + 1)
        starts = starts[(starts == 0) | (starts >= min_size)]
        cost = s2[:, [t]] - s2[:, starts] - (s1[:, [t]] - s1[:, starts]) ** 2 / (t - starts)
        total = best[:, starts] + cost + pen
        i = np.argmin(total, axis=1)
        best[:, t], last[:, t] = total[rows_ix, i], starts[i]
    out = []
    for r in range(k):
        points, t = [], n
        while t > 0:
            t = last[r, t]
            if t > 0:
                points.append(int(t))
        out.append(sorted(points))
    return out


def local_steps(log_values: np.ndarray, points: list[int], width: int = LOCAL_DAYS):
    """For each break: the median log level of up to `width` days before it and after it, stopping at the
    neighbouring breaks (so one level shift is not counted twice)."""
    bounds = [0, *points, len(log_values)]
    out = []
    for i, p in enumerate(points):
        lo = max(bounds[i], p - width)
        hi = min(bounds[i + 2], p + width)
        out.append((float(np.median(log_values[lo:p])), float(np.median(log_values[p:hi])), p - lo, hi - p))
    return out


def detect(series: pd.Series, coin: str = "", k: float = PENALTY_K,
           min_size: int = MIN_SEGMENT_DAYS) -> tuple[pd.DataFrame, int]:
    """The level shifts of one coin's daily hashrate (H/s, index: dates). Returns (rows, dropped_in_gap).

    step_log: median log level after minus before (local, LOCAL_DAYS each side within the neighbouring
    segments), signed; level_*_hs: those medians in H/s; score: |step_log| in standard errors of that
    difference of medians (1.2533 sigma / sqrt(days) each side; above ~3 a step is not noise)."""
    series = series.dropna()
    series = series[series > 0]
    if len(series) < 2 * min_size:
        return pd.DataFrame(columns=COLUMNS), 0
    days, logs, missing = daily_log(series)
    sigma = noise_sigma(np.log(series.to_numpy(dtype=float)))
    pen = penalty(sigma, len(logs), k) if np.isfinite(sigma) and sigma > 0 else float("nan")
    points = change_points(logs, pen, min_size)
    rows, dropped = [], 0
    for p, (before, after, nb, na) in zip(points, local_steps(logs, points)):
        if missing[p] or missing[p - 1]:
            dropped += 1
            continue
        step = after - before
        se = 1.2533 * sigma * np.sqrt(1.0 / nb + 1.0 / na)
        rows.append(dict(coin=coin, break_date=days[p].date(), direction="up" if step > 0 else "down",
                         step_log=step, level_before_hs=float(np.exp(before)), level_after_hs=float(np.exp(after)),
                         method=METHOD, score=abs(step) / se if se > 0 else float("nan"),
                         noise_sigma_log=sigma, penalty=pen, days_in_series=len(logs)))
    return pd.DataFrame(rows, columns=COLUMNS), dropped


def hashrate_breaks(network: pd.DataFrame, k: float = PENALTY_K) -> pd.DataFrame:
    """marts.hashrate_breaks from core.network_daily rows (coin, date, hashrate_hs, consensus): every coin
    with proof-of-work hashrate, its proof-of-work days only (ETH's stop at the Merge). The breaks dropped
because they fall in a gap are counted per coin in `.attrs["dropped_in_gap"]`."""
    frames, dropped = [], {}
    net = network.copy()
    if "consensus" in net:
        net = net[net["consensus"].isna() | (net["consensus"] == "pow")]
    net = net.dropna(subset=["hashrate_hs"])
    for coin, rows in net.groupby("coin", sort=True):
        series = rows.set_index(pd.to_datetime(rows["date"]))["hashrate_hs"]
        found, dropped[coin] = detect(series, coin, k)
        if not found.empty:
            frames.append(found)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    out.attrs["dropped_in_gap"] = {c: n for c, n in dropped.items() if n}
    return out
