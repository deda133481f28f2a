"""Event channel of the rally attribution: abnormal returns and cumulative abnormal returns (CAR) around dated
events (MacKinlay 1997, "Event Studies in Economics and Finance", J. Econ. Lit. 35(1), eq. 7-8 and 13), from two
normal-return models fitted on an estimation window before each event:
- constant_mean (the primary estimate): the asset's mean log return. The claim under test says these events
  moved crypto as a whole; a benchmark made of the other coins would net that reaction out and find nothing
  by construction, and the data hold no non-crypto benchmark;
- market: a market model on the equal-weighted return of the other coins (a crypto benchmark), reported beside
  the primary estimate: what is left of the reaction beyond the crypto market's.
Pure: numpy, pandas and scipy.stats only."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

METHOD_VERSION = "event-study-2"

NO_BENCHMARK = "none: constant-mean model"
PRIMARY, CRYPTO_BENCHMARK = "constant_mean", "market"
MODELS = (PRIMARY, CRYPTO_BENCHMARK)
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


def _estimate(r: pd.Series, m: pd.Series | None, est_days: pd.DatetimeIndex, win_days: pd.DatetimeIndex,
              min_days: int, confidence: float) -> dict:
    """Fit the constant-mean model (m None) or the market model on benchmark m on est_days and measure the CAR
    over win_days."""
    r_e = r.reindex(est_days)
    usable = r_e.notna() if m is None else r_e.notna() & m.reindex(est_days).notna()
    kept = est_days[usable.to_numpy()]
    row = {"n_estimation": len(kept)}
    if len(win_days) == 0:
        return {**row, "status": "no event-window day inside the rally's returns"}
    if len(kept) < min_days:
        what = "returns" if m is None else "returns and a benchmark return"
        return {**row, "status": f"only {len(kept)} estimation days with {what} (need {min_days})"}
    if r.reindex(win_days).isna().any():
        return {**row, "status": "event window has days without a return"}
    if r_e.loc[kept].nunique() < 2:
        return {**row, "status": "the returns do not vary over the estimation window (no price moves)"}
    if m is not None and m.reindex(kept).nunique() < 2:
        return {**row, "status": "the benchmark does not vary over the estimation window"}
    if m is not None and m.reindex(win_days).isna().any():
        return {**row, "status": "event window has days without a benchmark return"}
    fit = _car(r_e.loc[kept].to_numpy(), _design(m, kept), r.reindex(win_days).to_numpy(),
               _design(m, win_days), confidence)
    return {**row, **fit, "status": "ok"}


def event_car(returns: pd.DataFrame, asset: str, events: pd.DataFrame, *,
              estimation: tuple[int, int] = (-120, -11), window: tuple[int, int] = (0, 2),
              min_estimation_days: int = 60, confidence: float = 0.90, clip=None) -> pd.DataFrame:
    """Two rows per event cluster (see cluster_events and COLUMNS), one per model (MODELS; constant_mean first):
    the asset's CAR over cluster_start+window[0] .. cluster_end+window[1], cut to the days `clip` = (first, last)
    when given (the rally's return days: an abnormal return outside them is no part of the rally), from the
    model fitted on cluster_start+estimation[0] .. +estimation[1]. Estimates are NaN unless status is 'ok';
    n_estimation counts the estimation days the model used (or could use)."""
    _check_config(estimation, window, min_estimation_days, confidence)
    dated = events.assign(date=_days(events["date"]).to_numpy()).dropna(subset=["date"])
    dated = dated.drop_duplicates(["date", "kind", "title"]).sort_values("date", kind="stable")
    returns = returns.set_axis(pd.DatetimeIndex(pd.to_datetime(returns.index)).normalize())
    m, description = benchmark_returns(returns, asset)
    lo, hi = (pd.Timestamp(d).normalize() for d in clip) if clip is not None else (None, None)
    rows = []
    for cluster in cluster_events(list(dated["date"]), window):
        members = dated[dated["date"].between(cluster[0], cluster[-1])]
        est_days = pd.date_range(cluster[0] + pd.Timedelta(days=estimation[0]),
                                 cluster[0] + pd.Timedelta(days=estimation[1]), freq="D")
        win_days = pd.date_range(cluster[0] + pd.Timedelta(days=window[0]),
                                 cluster[-1] + pd.Timedelta(days=window[1]), freq="D")
        if clip is not None:
            win_days = win_days[(win_days >= lo) & (win_days <= hi)]
        base = {"asset": asset, "cluster_start": cluster[0], "cluster_end": cluster[-1], "event_count": len(members),
                "titles": "; ".join(f"{k}: {t}" for k, t in zip(members["kind"], members["title"])),
                "window_start": win_days[0] if len(win_days) else pd.NaT,
                "window_end": win_days[-1] if len(win_days) else pd.NaT,
                "estimation_start": est_days[0], "estimation_end": est_days[-1]}
        for model in MODELS:
            row = base | {"model": model, "benchmark": NO_BENCHMARK if model == PRIMARY else description}
            if asset not in returns.columns:
                row |= {"n_estimation": 0, "status": f"no prices for {asset}"}
            elif model == CRYPTO_BENCHMARK and description == NO_BENCHMARK:
                row |= {"n_estimation": 0, "status": "no benchmark: no other asset has returns"}
            else:
                row |= _estimate(returns[asset], None if model == PRIMARY else m, est_days, win_days,
                                 min_estimation_days, confidence)
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS).astype({c: float for c in ESTIMATES})


def cluster_counts(cars: pd.DataFrame, model: str = PRIMARY) -> tuple[int, int]:
    """(clusters the model could estimate, clusters) in an event_car frame."""
    rows = cars[cars["model"] == model] if "model" in cars else cars
    return int((rows["status"] == "ok").sum()), len(rows)


def draw_car_sum(cars: pd.DataFrame, z: np.ndarray, model: str = PRIMARY) -> np.ndarray:
    """sum_i car_i + z * sqrt(sum_i car_se_i^2) over the model's clusters (non-overlapping, so independent), for
    standard-normal draws z of shape (n,). Zeros when the window has no event; NaN (unknown, never 0, and
    never a partial sum shown as the whole) unless every cluster could be estimated."""
    z = np.asarray(z, dtype=float)
    rows = cars[cars["model"] == model] if "model" in cars else cars
    if rows.empty:
        return np.zeros_like(z)
    if (rows["status"] != "ok").any():
        return np.full_like(z, np.nan)
    return rows["car"].sum() + z * np.sqrt((rows["car_se"] ** 2).sum())
