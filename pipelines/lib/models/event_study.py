"""Event channel of the rally attribution: abnormal returns and cumulative abnormal returns (CAR) around dated
events, from a market model fitted on an estimation window before each event (MacKinlay 1997, "Event Studies in
Economics and Finance", J. Econ. Lit. 35(1), eq. 7-8 and 13). Pure: numpy, pandas and scipy.stats only."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

METHOD_VERSION = "event-study-1"

NO_BENCHMARK = "none: constant-mean model"
ESTIMATES = ["alpha", "beta", "sigma", "car", "car_se", "t_stat", "p_value", "ci_low", "ci_high"]
COLUMNS = ["asset", "cluster_start", "cluster_end", "event_count", "titles", "window_start", "window_end",
           "estimation_start", "estimation_end", "n_estimation", *ESTIMATES, "benchmark", "model", "status"]


def _days(values) -> pd.Series:
    """Dates (python date, Timestamp or 'YYYY-MM-DD') as normalized Timestamps; missing values become NaT."""
    return pd.to_datetime(pd.Series(values, dtype=object)).dt.normalize()


def log_returns(prices: pd.DataFrame) -> pd.DataFrame:
    """Wide daily log returns (calendar-day index, one column per asset) from a long frame asset, date, close_usd.
    NaN where either day is missing or a close is missing or <= 0; a duplicated (asset, date) keeps its last row."""
    close = pd.to_numeric(prices["close_usd"], errors="coerce")
    frame = pd.DataFrame({"asset": prices["asset"].to_numpy(), "date": _days(prices["date"]).to_numpy(),
                          "close": close.where(close > 0).to_numpy()}).dropna()
    if frame.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
    wide = frame.drop_duplicates(["asset", "date"], keep="last").pivot(index="date", columns="asset", values="close")
    wide = wide.reindex(pd.date_range(wide.index.min(), wide.index.max(), freq="D", name="date"))
    return np.log(wide / wide.shift(1)).rename_axis(columns=None)


def benchmark_returns(returns: pd.DataFrame, asset: str) -> tuple[pd.Series, str]:
    """Equal-weighted mean log return of every other asset with a value that day (NaN when none), and its
    description; with no other asset, an all-NaN series and NO_BENCHMARK."""
    others = returns.drop(columns=[asset], errors="ignore")
    if others.columns.empty:
        return pd.Series(np.nan, index=returns.index, name="benchmark"), NO_BENCHMARK
    names = ", ".join(sorted(str(c) for c in others.columns))
    return others.mean(axis=1).rename("benchmark"), f"equal-weighted daily log return of {names}"


def cluster_events(dates: list, window: tuple[int, int]) -> list[list]:
    """Sorted unique event dates, merged into clusters whose windows [d+window[0], d+window[1]] overlap or touch
    (no gap day between them), so that no day's abnormal return is counted twice."""
    clusters: list[list] = []
    for day in sorted(set(_days(dates).dropna())):
        if clusters and (day - clusters[-1][-1]).days <= window[1] - window[0] + 1:
            clusters[-1].append(day)
        else:
            clusters.append([day])
    return clusters


def events_in_window(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """The events whose date lies in [start, end] inclusive, with dates as normalized Timestamps."""
    dated = events.assign(date=_days(events["date"]).to_numpy())
    lo, hi = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    return dated[dated["date"].between(lo, hi)].reset_index(drop=True)


def _check_config(estimation: tuple[int, int], window: tuple[int, int], min_days: int, confidence: float) -> None:
    if not (estimation[0] <= estimation[1] < window[0] <= window[1]):
        raise ValueError(f"need estimation[0] <= estimation[1] < window[0] <= window[1], got {estimation}, {window}")
    if min_days < 3 or not 0 < confidence < 1:
        raise ValueError(f"need min_estimation_days >= 3 and 0 < confidence < 1, got {min_days}, {confidence}")


def _design(market: pd.Series | None, days: pd.DatetimeIndex) -> np.ndarray:
    """Design matrix [1, m_t] for the market model, [1] for the constant-mean model (market None)."""
    ones = np.ones((len(days), 1))
    return ones if market is None else np.column_stack([ones, market.reindex(days).to_numpy()])


def _car(y_e: np.ndarray, x_e: np.ndarray, y_w: np.ndarray, x_w: np.ndarray, confidence: float) -> dict:
    """OLS of y_e on x_e, then the window's CAR and its variance 1'V1 with
    V = sigma^2 (I + X_w (X_e'X_e)^-1 X_w'), which includes the parameter-estimation error."""
    coef = np.linalg.lstsq(x_e, y_e, rcond=None)[0]
    dof = len(y_e) - x_e.shape[1]
    resid = y_e - x_e @ coef
    sigma2 = resid @ resid / dof
    column_sums = x_w.sum(axis=0)
    car = float((y_w - x_w @ coef).sum())
    car_se = float(np.sqrt(sigma2 * (len(y_w) + column_sums @ np.linalg.solve(x_e.T @ x_e, column_sums))))
    t_stat = car / car_se
    half = stats.t.ppf(0.5 + confidence / 2, dof) * car_se
    return {"alpha": coef[0], "beta": coef[1] if len(coef) > 1 else np.nan, "sigma": np.sqrt(sigma2),
            "car": car, "car_se": car_se, "t_stat": t_stat, "p_value": 2 * stats.t.sf(abs(t_stat), dof),
            "ci_low": car - half, "ci_high": car + half}


def _estimate(r: pd.Series, m: pd.Series, est_days: pd.DatetimeIndex, win_days: pd.DatetimeIndex,
              min_days: int, confidence: float) -> dict:
    """Fit the market model (or the constant-mean fallback) on est_days and measure the CAR over win_days."""
    r_e, m_e = r.reindex(est_days), m.reindex(est_days)
    both = r_e.notna() & m_e.notna()
    market = m if both.sum() >= min_days and m_e[both].nunique() > 1 else None
    kept = est_days[(both if market is not None else r_e.notna()).to_numpy()]
    row = {"n_estimation": len(kept), "model": "constant_mean" if market is None else "market"}
    if len(kept) < min_days:
        return {**row, "model": None, "status": f"only {len(kept)} estimation days with returns (need {min_days})"}
    if r.reindex(win_days).isna().any():
        return {**row, "status": "event window has days without a return"}
    if r_e.loc[kept].nunique() < 2:
        return {**row, "model": None, "status": "the returns do not vary over the estimation window (no price moves)"}
    if market is not None and market.reindex(win_days).isna().any():
        return {**row, "status": "event window has days without a benchmark return"}
    fit = _car(r_e.loc[kept].to_numpy(), _design(market, kept), r.reindex(win_days).to_numpy(),
               _design(market, win_days), confidence)
    return {**row, **fit, "status": "ok"}


def event_car(returns: pd.DataFrame, asset: str, events: pd.DataFrame, *,
              estimation: tuple[int, int] = (-120, -11), window: tuple[int, int] = (0, 2),
              min_estimation_days: int = 60, confidence: float = 0.90) -> pd.DataFrame:
    """One row per event cluster (see cluster_events and COLUMNS): the asset's CAR over
    cluster_start+window[0] .. cluster_end+window[1], from a market model (else the constant-mean model when the
    benchmark lacks min_estimation_days usable days) fitted on cluster_start+estimation[0] .. +estimation[1].
    Estimates are NaN unless status is 'ok'; n_estimation counts the estimation days the model used (or could use)."""
    _check_config(estimation, window, min_estimation_days, confidence)
    dated = events.assign(date=_days(events["date"]).to_numpy()).dropna(subset=["date"])
    dated = dated.drop_duplicates(["date", "kind", "title"]).sort_values("date", kind="stable")
    returns = returns.set_axis(pd.DatetimeIndex(pd.to_datetime(returns.index)).normalize())
    m, description = benchmark_returns(returns, asset)
    rows = []
    for cluster in cluster_events(list(dated["date"]), window):
        members = dated[dated["date"].between(cluster[0], cluster[-1])]
        est_days = pd.date_range(cluster[0] + pd.Timedelta(days=estimation[0]),
                                 cluster[0] + pd.Timedelta(days=estimation[1]), freq="D")
        win_days = pd.date_range(cluster[0] + pd.Timedelta(days=window[0]),
                                 cluster[-1] + pd.Timedelta(days=window[1]), freq="D")
        row = {"asset": asset, "cluster_start": cluster[0], "cluster_end": cluster[-1], "event_count": len(members),
               "titles": "; ".join(f"{k}: {t}" for k, t in zip(members["kind"], members["title"])),
               "window_start": win_days[0], "window_end": win_days[-1],
               "estimation_start": est_days[0], "estimation_end": est_days[-1], "benchmark": description}
        if asset not in returns.columns:
            row |= {"n_estimation": 0, "model": None, "status": f"no prices for {asset}"}
        else:
            row |= _estimate(returns[asset], m, est_days, win_days, min_estimation_days, confidence)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS).astype({c: float for c in ESTIMATES})


def draw_car_sum(cars: pd.DataFrame, z: np.ndarray) -> np.ndarray:
    """sum_i car_i + z * sqrt(sum_i car_se_i^2) over the ok clusters (non-overlapping, so independent), for
    standard-normal draws z of shape (n,). Zeros when the window has no event; NaN (unknown, never 0)
    when it has events of which none could be estimated."""
    z = np.asarray(z, dtype=float)
    ok = cars[cars["status"] == "ok"]
    if ok.empty:
        return np.zeros_like(z) if cars.empty else np.full_like(z, np.nan)
    return ok["car"].sum() + z * np.sqrt((ok["car_se"] ** 2).sum())
