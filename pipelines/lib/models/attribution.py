"""Rally attribution: how much of a coin's rally over a window three channels could explain, draw by draw.

rally = ln(close at the window's last priced day / close at its first). Each channel is a log return:
- hashrate: elasticity x -ln(1 - s), s = the idle fleet's mean share of the network over the window (the
  hashrate it would add, through a price-to-hashrate elasticity drawn from the assumptions);
- flow: ln(1 + multiplier x F / market value at the window's start), F = the USD the fleet mined in the
  window x the share it held (held coins counted as net demand, the claim's best case); the spot-ETF
  yardstick runs the same formula on the funds' net flows;
- event: the summed cumulative abnormal returns of the window's event clusters (event_study), with their
  sampling error drawn;
- residual: the rally minus the three.
Shares are channel / rally. A channel's distribution comes from the assumptions' draws.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.lib.models import event_study
from pipelines.lib.models.contribution import CoinDraws

CHANNELS = ("hashrate", "flow", "event", "residual")
MIN_COVERAGE = 0.8   # share of a window's proof-of-work days the network data must cover
MINING, YARDSTICK = "idle_ai_mining", "spot_etf_flows"


@dataclass
class Window:
    name: str
    start: pd.Timestamp
    end: pd.Timestamp


@dataclass
class Rally:
    coin: str
    window: Window
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    log_return: float
    market_value_usd: float | None
    market_value_how: str


def rally(prices: pd.DataFrame, coin: str, window: Window, supply: dict[str, tuple[float, str]]) -> Rally | None:
    """The coin's log return between the first and last priced days of the window and its market value on the
    first (the data's market cap, else close x the assumptions' supply); None without two priced days."""
    px = prices[(prices["asset"] == coin) & prices["close_usd"].gt(0)]
    px = px[pd.to_datetime(px["date"]).between(window.start, window.end)].sort_values("date")
    if len(px) < 2:
        return None
    first, last = px.iloc[0], px.iloc[-1]
    cap = first.get("market_cap_usd")
    if pd.notna(cap) and cap > 0:
        value, how = float(cap), "core.prices_daily.market_cap_usd"
    elif coin in supply:
        value, how = float(first["close_usd"]) * supply[coin][0], f"close x supply {supply[coin][0]:.4g} ({supply[coin][1]})"
    else:
        value, how = None, f"no market cap and no supply for {coin} in the assumptions"
    return Rally(coin, window, pd.Timestamp(first["date"]), pd.Timestamp(last["date"]),
                 float(np.log(last["close_usd"] / first["close_usd"])), value, how)


def flow_log_return(flow_usd: np.ndarray, multiplier: np.ndarray, market_value: float | None) -> np.ndarray:
    """ln(1 + multiplier x flow / market value): the price move a net flow buys through the multiplier."""
    if market_value is None:
        return np.full(np.shape(multiplier), np.nan)
    return np.log1p(np.maximum(multiplier * flow_usd / market_value, -0.999999))


def hashrate_log_return(mean_share: np.ndarray, elasticity: np.ndarray) -> np.ndarray:
    """elasticity x -ln(1 - s): the log change in hashrate the fleet would add, times the elasticity."""
    return elasticity * -np.log1p(-np.clip(mean_share, 0.0, 1 - 1e-12))


def window_mining(c: CoinDraws | None, r: Rally, n: int, pow_days: pd.DatetimeIndex | None = None,
                  min_coverage: float = MIN_COVERAGE) -> tuple[np.ndarray, np.ndarray, str]:
    """Per draw: the fleet's mean network share over the window's days and the USD it mined in them, and a note.

    `pow_days`: the window's proof-of-work days by the consensus table (None: by the chain data, a day without
    them counting as unknown). Zero when no window day is proof of work; NaN (unknown, never zero) when the
    network data cover under `min_coverage` of the proof-of-work days; else the covered days scaled up to all."""
    days = pd.date_range(r.first_day, r.last_day, freq="D")
    rows = c.dates[(c.dates >= r.first_day) & (c.dates <= r.last_day)] if c is not None else pd.DatetimeIndex([])
    if pow_days is None:
        not_pow = rows[c.zero_day[c.dates.isin(rows)]] if c is not None else pd.DatetimeIndex([])
        pow_days = days.difference(not_pow)
    pow_days = days.intersection(pow_days)
    if len(pow_days) == 0:
        return np.zeros(n), np.zeros(n), "no proof-of-work day in the window: nothing to mine"
    cols = c.dates.isin(pow_days) & c.pow_day if c is not None else np.zeros(0, dtype=bool)
    covered = int(cols.sum())
    if covered < min_coverage * len(pow_days):
        return np.full(n, np.nan), np.full(n, np.nan), (
            f"network data cover {covered} of the window's {len(pow_days)} proof-of-work days: the fleet's share "
            "and output are unknown")
    scale = len(pow_days) / covered
    usd = c.usd(cols=cols)
    # A pow day without issuance or price leaves the USD mined unknown, not zero.
    mined = np.where(np.isnan(usd).any(axis=1), np.nan, np.nansum(usd, axis=1) * scale)
    note = f"network data on {covered} of {len(pow_days)} proof-of-work days" + (
        " (scaled up to all of them)" if scale > 1 else "")
    return c.share(cols=cols).sum(axis=1) * scale / len(days), mined, note


def channel_draws(r: Rally, subject: str, draws: dict[str, np.ndarray], *, mean_share=None, flow_usd=None,
                  cars: pd.DataFrame | None = None) -> dict[str, np.ndarray]:
    """The three channels and the residual as log returns, per draw."""
    n = len(draws["idle_share"])
    out = {"hashrate": np.zeros(n), "flow": np.zeros(n), "event": np.zeros(n)}
    if mean_share is not None:
        out["hashrate"] = hashrate_log_return(mean_share, draws["hashrate_price_elasticity"])
    if flow_usd is not None:
        held = draws["held_share"] if subject == MINING else 1.0
        out["flow"] = flow_log_return(flow_usd * held, draws["price_impact_multiplier"], r.market_value_usd)
    if cars is not None:
        out["event"] = event_study.draw_car_sum(cars, draws["event_sampling_z"])
    out["residual"] = r.log_return - out["hashrate"] - out["flow"] - out["event"]
    return out


def mining_events(events: pd.DataFrame, announcements: pd.DataFrame, lines: pd.DataFrame, documents: pd.DataFrame,
                  kinds, coin: str) -> pd.DataFrame:
    """The dated events of the mining claim for one coin: core.events of the given kinds (for that coin or all
    coins), AI data-center capex announcements, and each leaked sheet's last period end (the earliest day it
    could have been written; its publication date is unknown)."""
    cols = ["date", "kind", "title"]
    ev = events[events["kind"].isin(kinds) & (events["asset"].isna() | (events["asset"] == coin))][cols]
    ai = announcements[(announcements["scope"] == "ai_datacenter")]
    if "duplicate_of" in ai:
        ai = ai[ai["duplicate_of"].isna()]
    capex = pd.DataFrame({"date": ai["announced_on"], "kind": "capex_announcement",
                          "title": ai["company"] + " AI data-center plan " + (ai["amount_usd"] / 1e9).round(1).astype(str)
                          + " bn USD"})
    dated = lines.dropna(subset=["period_end"]).groupby("document_id")["period_end"].max().reset_index()
    names = documents.drop_duplicates("document_id").set_index("document_id")["path"]
    leaks = pd.DataFrame({"date": dated["period_end"], "kind": "leak_sheet",
                          "title": "last period end of leaked sheet " + dated["document_id"].map(names).fillna(
                              dated["document_id"].str[:12]).astype(str) + " (publication date unknown)"})
    return pd.concat([ev, capex, leaks], ignore_index=True).dropna(subset=["date"])


def summarise(r: Rally, subject: str, channels: dict[str, np.ndarray], methods: dict[str, str],
              inputs: dict[str, str]) -> pd.DataFrame:
    """marts.rally_attribution rows: each channel's share of the rally and its log return, p05/p50/p95."""
    rows = []
    for channel in CHANNELS:
        values = np.asarray(channels[channel], dtype=float)
        known = len(values) > 0 and bool(np.isfinite(values).all())   # one unknown draw: the channel is unknown
        lr = np.quantile(values, [0.05, 0.5, 0.95]) if known else np.full(3, np.nan)
        share = np.quantile(values / r.log_return, [0.05, 0.5, 0.95]) if known and r.log_return else \
            np.full(3, np.nan)
        rows.append(dict(coin=r.coin, window_name=r.window.name, window_start=r.window.start.date(),
                         window_end=r.window.end.date(), subject=subject, rally_log_return=r.log_return,
                         channel=channel, share_p05=share[0], share_p50=share[1], share_p95=share[2],
                         log_return_p05=lr[0], log_return_p50=lr[1], log_return_p95=lr[2],
                         method=methods[channel], inputs=inputs.get(channel, ""),
                         first_priced_day=r.first_day.date(), last_priced_day=r.last_day.date(),
                         market_value_usd=r.market_value_usd, market_value_how=r.market_value_how))
    return pd.DataFrame(rows)
