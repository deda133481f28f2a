"""Does hashrate lead price, or price hashrate? Granger causality per coin and sample.

Series: daily log changes of network hashrate and daily log returns of the close, on the days both are
known (a change across a missing day is not a one-day change and is dropped). Beside the daily test, the same
test on weekly series (`frequency` 'weekly': the week's mean hashrate, which averages out the luck of a day's
block count that dominates a daily hashrate estimate, and the week's last close), the frequency of the
literature's tests; a window of a few months is too short for it and says so. Each series is checked for a
unit root first (augmented Dickey-Fuller, statsmodels `adfuller`, lag by AIC); when either is not stationary
at 5 % both are differenced once more and the row says so. The lag order of the bivariate VAR is chosen by
an information criterion (statsmodels `VAR.select_order`, AIC by default) up to a cap that shrinks with the
sample (at most one lag per `OBS_PER_LAG` observations, never more than `MAX_LAG`), and the causality is the
F-test that the other series' lags add nothing (`VARResults.test_causality`, kind 'f'): the same test as
`grangercausalitytests`' ssr F-test, both directions from one fitted VAR.

A sample with too few days, or a coin without one of the series, gives rows with NULL statistic and p-value
and a reason: never a 0.

Why both directions matter: a mining-driven rally (an idle fleet switching on, the network's hashrate jumping,
the price following) needs hashrate to lead price. The literature finds the reverse for Bitcoin: price leads
hashrate, as prices lead rig counts in oil and gas (Kristoufek 2020, Energy Economics; Fantazzini and Kolodin
2020, J. Risk Financial Manag. 13(11) 263).
"""
from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd

DIRECTIONS = ("hashrate_to_price", "price_to_hashrate")
COLUMNS = ["coin", "sample", "frequency", "sample_start", "sample_end", "direction", "lags", "statistic", "p_value",
           "df_num", "df_denom", "n_obs", "differences", "adf_p_hashrate", "adf_p_price", "criterion", "max_lag",
           "method", "reason"]
MIN_OBS = 60          # periods (days or weeks) of both log changes a sample needs
FREQUENCIES = ("daily", "weekly")
MIN_DAYS_PER_WEEK = 5  # a week's mean hashrate and last close need this many days of both
MAX_LAG = 28          # four weeks: Fantazzini and Kolodin find price leading hashrate at 1-6 weeks (weekly data)
OBS_PER_LAG = 10      # at most one lag per 10 observations in short windows
ADF_ALPHA = 0.05
CRITERIA = ("aic", "bic")
FULL = "full_history"


def log_changes(hashrate: pd.Series, close: pd.Series, frequency: str = "daily") -> pd.DataFrame:
    """Log changes of hashrate (`d_log_hashrate`) and close (`d_log_price`), indexed by date, on days
    where both series have a positive value that day and the day before. Weekly: the change of the week's
    mean hashrate and of its last close (weeks end on Sunday, indexed by that day; weeks with fewer than
    MIN_DAYS_PER_WEEK days of both are dropped, and so are the changes across them)."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency {frequency!r} is not one of {FREQUENCIES}")
    frame = pd.DataFrame({"h": hashrate, "p": close})
    frame.index = pd.to_datetime(frame.index)
    frame = frame[~frame.index.duplicated()].sort_index()
    frame = frame.where(frame > 0)
    if frame.empty:
        return pd.DataFrame(columns=["d_log_hashrate", "d_log_price"], dtype=float)
    full = frame.reindex(pd.date_range(frame.index.min(), frame.index.max(), freq="D"))
    if frequency == "weekly":
        both = full.dropna()
        weeks = both.resample("W-SUN").agg({"h": "mean", "p": "last"})
        days = both["h"].resample("W-SUN").count()
        full = weeks.where(days >= MIN_DAYS_PER_WEEK, axis=0)
    out = np.log(full).diff().rename(columns={"h": "d_log_hashrate", "p": "d_log_price"})
    return out.dropna()


def _adf_p(x: np.ndarray) -> float:
    from statsmodels.tsa.stattools import adfuller

    return float(adfuller(x, autolag="AIC")[1])


def _na_rows(base: dict, reason: str, **extra) -> list[dict]:
    return [dict(base, direction=d, lags=None, statistic=None, p_value=None, df_num=None, df_denom=None,
                 reason=reason, **extra) for d in DIRECTIONS]


def granger_sample(changes: pd.DataFrame, coin: str, sample: str, start: dt.date | None = None,
                   end: dt.date | None = None, criterion: str = "aic", max_lag: int = MAX_LAG,
                   frequency: str = "daily") -> list[dict]:
    """Two rows (one per direction) for one coin and sample of `log_changes` output (dates inclusive)."""
    from statsmodels.tsa.api import VAR

    if criterion not in CRITERIA:
        raise ValueError(f"criterion {criterion!r} is not one of {CRITERIA}")
    data = changes
    if start is not None:
        data = data[data.index >= pd.Timestamp(start)]
    if end is not None:
        data = data[data.index <= pd.Timestamp(end)]
    first = data.index.min().date() if len(data) else start
    last = data.index.max().date() if len(data) else end
    unit = "days" if frequency == "daily" else "weeks"
    if frequency == "weekly":
        max_lag = max(1, max_lag // 7 * 2)     # 28 days -> 8 weeks: the literature's 1-6 weeks and a margin
    base = dict(coin=coin, sample=sample, frequency=frequency, sample_start=first, sample_end=last, n_obs=int(len(data)),
                differences=None, adf_p_hashrate=None, adf_p_price=None, criterion=criterion, max_lag=None,
                method=None)
    if len(data) < MIN_OBS:
        return _na_rows(base, f"only {len(data)} {unit} with both hashrate and price changes in {sample} "
                              f"({start or first} .. {end or last}); the test needs at least {MIN_OBS}")
    x = data[["d_log_hashrate", "d_log_price"]].to_numpy(dtype=float)
    if np.any(x.std(axis=0) == 0):
        which = "hashrate" if x[:, 0].std() == 0 else "price"
        return _na_rows(base, f"the {which} series does not change in {sample}: nothing to test")
    differences = 1
    adf = (_adf_p(x[:, 0]), _adf_p(x[:, 1]))
    if max(adf) > ADF_ALPHA:
        differences, x = 2, np.diff(x, axis=0)
        adf = (_adf_p(x[:, 0]), _adf_p(x[:, 1]))
    base.update(differences=differences, adf_p_hashrate=adf[0], adf_p_price=adf[1], n_obs=int(len(x)))
    if max(adf) > ADF_ALPHA:
        return _na_rows(base, f"not stationary after differencing twice (ADF p hashrate {adf[0]:.3g}, "
                              f"price {adf[1]:.3g}): a Granger F-test would be spurious")
    cap = int(max(1, min(max_lag, len(x) // OBS_PER_LAG)))
    frame = pd.DataFrame(x, columns=["hashrate", "price"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = VAR(frame)
        lags = int(max(1, getattr(model.select_order(maxlags=cap, trend="c"), criterion)))
        fitted = model.fit(lags, trend="c")
        tests = {"hashrate_to_price": fitted.test_causality("price", ["hashrate"], kind="f"),
                 "price_to_hashrate": fitted.test_causality("hashrate", ["price"], kind="f")}
    series = "log changes" if differences == 1 else "second differences of the logs"
    what = "of hashrate and close" if frequency == "daily" else "of the week's mean hashrate and last close"
    base.update(max_lag=cap, method=(f"VAR({lags}) on {frequency} {series} {what}, lag by "
                                     f"{criterion.upper()} (1..{cap}); F-test of the other series' lags "
                                     f"(statsmodels VAR.test_causality); ADF (AIC lag) checked first"))
    rows = []
    for direction, test in tests.items():
        df_num, df_denom = (int(v) for v in test.df)
        rows.append(dict(base, direction=direction, lags=lags, statistic=float(test.test_statistic),
                         p_value=float(test.pvalue), df_num=df_num, df_denom=df_denom, reason=None))
    return rows


def granger_table(hashrate: pd.DataFrame, prices: pd.DataFrame,
                  windows: dict[str, tuple[dt.date, dt.date]], coins: list[str] | None = None,
                  criterion: str = "aic", max_lag: int = MAX_LAG,
                  frequencies: tuple[str, ...] = FREQUENCIES) -> pd.DataFrame:
    """marts.hashrate_price_causality: per coin, frequency, each window and the whole common history, both
    directions.

    hashrate: coin, date, hashrate_hs (proof-of-work days only); prices: coin (or asset), date, close_usd.
    coins: which coins get rows (default: every coin in either frame)."""
    prices = prices.rename(columns={"asset": "coin"})
    if coins is None:
        coins = sorted(set(hashrate["coin"]) | set(prices["coin"]))
    rows: list[dict] = []
    for coin in coins:
        h = hashrate.loc[(hashrate["coin"] == coin) & hashrate["hashrate_hs"].notna()].set_index("date")["hashrate_hs"]
        p = prices.loc[(prices["coin"] == coin) & prices["close_usd"].notna()].set_index("date")["close_usd"]
        samples = [(FULL, None, None)] + [(name, a, b) for name, (a, b) in windows.items()]
        missing = [what for what, s in (("network hashrate", h), ("price", p)) if not (s > 0).any()]
        if missing:
            for (name, a, b), freq in ((s, f) for s in samples for f in frequencies):
                base = dict(coin=coin, sample=name, frequency=freq, sample_start=a, sample_end=b, n_obs=0, differences=None,
                            adf_p_hashrate=None, adf_p_price=None, criterion=criterion, max_lag=None, method=None)
                rows += _na_rows(base, f"no daily {' or '.join(missing)} for {coin} in the warehouse")
            continue
        for freq in frequencies:
            changes = log_changes(h, p, freq)
            for name, a, b in samples:
                rows += granger_sample(changes, coin, name, a, b, criterion, max_lag, freq)
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("sample_start", "sample_end"):
        out[col] = pd.to_datetime(out[col]).dt.date
    return out
