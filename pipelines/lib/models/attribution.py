"""Rally attribution: how much of a coin's rally over a window three channels could explain, draw by draw.

rally = ln(close at the window's last priced day / close at its first). Each channel is a log return:
- hashrate: elasticity x (-ln(1 - s_end) + ln(1 - s_start)): the log hashrate the idle fleet adds to the network
  (-ln(1 - s) = ln((network + fleet) / network) for its share s of blocks) at the window's end minus at its
  start, through a price-to-hashrate elasticity drawn from the assumptions. A fleet already mining when the
  window opens moved the price before it; only the hashrate added within the window can move it within. Start
  and end are each the mean of the daily log terms over the window's first and last EDGE_DAYS proof-of-work
  days (one day's network noise does not decide the channel), computed per draw;
- flow: ln(1 + multiplier x F / market value at the window's start), F = the USD the fleet mined in the
  window x the share it held (held coins counted as net demand, the claim's best case); the spot-ETF
  yardstick runs the same formula on the funds' net flows;
- event: the summed cumulative abnormal returns of the window's event clusters (event_study, constant-mean
  model, event windows clipped to the rally's returns), with their sampling error drawn; unknown unless every
  cluster could be estimated (a partial sum is not the channel);
- residual: the rally minus the three.
Shares are channel / rally, stated only for a rally (a positive log return): a share of a fall reads like
"142 %" of nothing; there share_* is NULL with share_reason and the log-return points carry the answer.
A channel's distribution comes from the assumptions' draws.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.lib.models import event_study
from pipelines.lib.models.contribution import CoinDraws

CHANNELS = ("hashrate", "flow", "event", "residual")
MIN_COVERAGE = 0.8   # share of a window's proof-of-work days the network data must cover
EDGE_DAYS = 7        # proof-of-work days averaged for the fleet's share at a window's start and at its end
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


def log_hashrate_added(share: np.ndarray) -> np.ndarray:
    """-ln(1 - s) = ln((network + fleet) / network): the log hashrate a fleet with share s of blocks adds."""
    return -np.log1p(-np.clip(share, 0.0, 1 - 1e-12))


def hashrate_log_return(added_start: np.ndarray, added_end: np.ndarray, elasticity: np.ndarray) -> np.ndarray:
    """elasticity x (-ln(1 - s_end) + ln(1 - s_start)), from the log hashrate added at the start and at the end."""
    return elasticity * (added_end - added_start)


def _window_pow_days(c: CoinDraws | None, r: Rally, pow_days: pd.DatetimeIndex | None) -> pd.DatetimeIndex:
    """The window's proof-of-work days: by the consensus table when given, else every day the chain data do
    not show as known not to be proof of work (a day without them, or without a hashrate, counts as proof of
    work of unknown network)."""
    days = pd.date_range(r.first_day, r.last_day, freq="D")
    if pow_days is None:
        rows = c.dates[(c.dates >= r.first_day) & (c.dates <= r.last_day)] if c is not None else pd.DatetimeIndex([])
        not_pow = rows[c.zero_day[c.dates.isin(rows)]] if c is not None else pd.DatetimeIndex([])
        pow_days = days.difference(not_pow)
    return days.intersection(pow_days)


def window_hashrate_added(c: CoinDraws | None, r: Rally, n: int, pow_days: pd.DatetimeIndex | None = None,
                          edge_days: int = EDGE_DAYS, min_coverage: float = MIN_COVERAGE
                          ) -> tuple[np.ndarray, np.ndarray, str]:
    """Per draw: the log hashrate the fleet adds to the network at the window's start and at its end, and a note.

    Each is the mean over the first (last) `edge_days` proof-of-work days of the window of -ln(1 - s), s the
    day's share of blocks. Zero at both ends when no window day is proof of work (nothing to add); NaN
    (unknown, never zero) at an end whose days the network data cover under `min_coverage`."""
    pow_days = _window_pow_days(c, r, pow_days)
    if len(pow_days) == 0:
        return np.zeros(n), np.zeros(n), "no proof-of-work day in the window: no hashrate to add"
    ends, notes = [], []
    for label, edge in (("first", pow_days[:edge_days]), ("last", pow_days[-edge_days:])):
        networked = c.dates.isin(edge) & c.pow_day if c is not None else np.zeros(0, dtype=bool)
        # a day whose fleet is unknown (no capex, plan or leak evidence: NaN in the draws) is not covered
        cols = networked & c.fleet_known if c is not None else networked
        covered = int(cols.sum())
        if covered < min_coverage * len(edge):
            ends.append(np.full(n, np.nan))
            end = "start" if label == "first" else "end"
            notes.append(f"network data cover {int(networked.sum())} of the window's {label} {len(edge)} proof-of-work "
                         f"days: the fleet's share at the window's {end} is unknown"
                         if networked.sum() < min_coverage * len(edge) else
                         f"no capex, plan or leak evidence for {len(edge) - covered} of the window's {label} "
                         f"{len(edge)} proof-of-work days: the fleet's share at the window's {end} is unknown")
        else:
            ends.append(log_hashrate_added(c.share(cols=cols)).mean(axis=1))
            notes.append(f"{label} {len(edge)} proof-of-work days {edge[0].date()}..{edge[-1].date()} "
                         f"({covered} with network data)")
    return ends[0], ends[1], "share at the start: " + notes[0] + "; at the end: " + notes[1]


def window_mining(c: CoinDraws | None, r: Rally, n: int, pow_days: pd.DatetimeIndex | None = None,
                  min_coverage: float = MIN_COVERAGE) -> tuple[np.ndarray, np.ndarray, str]:
    """Per draw: the fleet's mean network share over the window's days and the USD it mined in them, and a note.

    `pow_days`: the window's proof-of-work days by the consensus table (None: by the chain data, a day without
    them counting as unknown). Zero when no window day is proof of work; NaN (unknown, never zero) when the
    network data and the fleet's evidence cover under `min_coverage` of the proof-of-work days; else the covered
    days scaled up to all. A day with an unknown fleet (NaN in any draw) is not covered."""
    days = pd.date_range(r.first_day, r.last_day, freq="D")
    pow_days = _window_pow_days(c, r, pow_days)
    if len(pow_days) == 0:
        return np.zeros(n), np.zeros(n), "no proof-of-work day in the window: nothing to mine"
    cols = c.dates.isin(pow_days) & c.pow_day & c.fleet_known if c is not None \
        else np.zeros(0, dtype=bool)
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


def channel_draws(r: Rally, subject: str, draws: dict[str, np.ndarray], *, hashrate_added=None, flow_usd=None,
                  cars: pd.DataFrame | None = None) -> dict[str, np.ndarray]:
    """The three channels and the residual as log returns, per draw. `hashrate_added`: the log hashrate the
    fleet adds at the window's start and at its end, per draw (window_hashrate_added)."""
    n = len(draws["idle_share"])
    out = {"hashrate": np.zeros(n), "flow": np.zeros(n), "event": np.zeros(n)}
    if subject != MINING:
        out["hashrate"] = np.full(n, np.nan)   # not applicable: the yardstick adds no hashrate (not a known 0)
    elif hashrate_added is not None:
        out["hashrate"] = hashrate_log_return(*hashrate_added, draws["hashrate_price_elasticity"])
    if flow_usd is not None:
        held = draws["held_share"] if subject == MINING else 1.0
        out["flow"] = flow_log_return(flow_usd * held, draws["price_impact_multiplier"], r.market_value_usd)
    no_event = False
    if cars is not None:
        primary = cars[cars["model"] == event_study.PRIMARY] if "model" in cars else cars
        no_event = primary.empty          # no dated public event in the window: the channel does not apply
        out["event"] = np.full(n, np.nan) if no_event else event_study.draw_car_sum(cars, draws["event_sampling_z"])
    applicable = [c for c in ("hashrate", "flow", "event")
                  if not not_applicable(subject, c) and not (c == "event" and no_event)]
    out["residual"] = r.log_return - sum(out[c] for c in applicable)
    return out


NOT_APPLICABLE = "not applicable"
NO_HASHRATE = f"{NOT_APPLICABLE}: net fund flows add no hashrate to any network"   # the yardstick's hashrate
NO_EVENT = f"{NOT_APPLICABLE}: no dated public event in the window"


def not_applicable(subject: str, channel: str) -> bool:
    """A channel the subject does not have (the spot-ETF yardstick adds no hashrate): NULL, never 0."""
    return subject != MINING and channel == "hashrate"


def mining_events(events: pd.DataFrame, announcements: pd.DataFrame, kinds, coin: str) -> pd.DataFrame:
    """The dated public events of the mining claim for one coin: core.events of the given kinds (for that coin or
    all coins; a leak's publication is an event of kind 'leak' there) and AI data-center capex announcements.
    A leaked sheet's period end is not one: nobody outside saw the sheet on that day, and the sheets carry no
    publication date, so an undated sheet adds no event."""
    cols = ["date", "kind", "title"]
    ev = events[events["kind"].isin(kinds) & (events["asset"].isna() | (events["asset"] == coin))][cols]
    ai = announcements[(announcements["scope"] == "ai_datacenter")]
    if "duplicate_of" in ai:
        ai = ai[ai["duplicate_of"].isna()]
    capex = pd.DataFrame({"date": ai["announced_on"], "kind": "capex_announcement",
                          "title": ai["company"] + " AI data-center plan " + (ai["amount_usd"] / 1e9).round(1).astype(str)
                          + " bn USD"})
    return pd.concat([ev, capex], ignore_index=True).dropna(subset=["date"])


def share_reason(log_return: float, known: bool) -> str | None:
    """Why a channel's share of the rally is not stated (None when it is)."""
    if not log_return > 0:
        what = "fell" if log_return < 0 else "did not move"
        return (f"not a rally: the price {what} over the window (log return {log_return:+.4f}), so a channel is no "
                "share of it; its contribution is stated in log-return points (log_return_p05/p50/p95)")
    if not known:
        return "the channel is unknown (see inputs), so is its share"
    return None


EXTRA_COLUMNS = ["event_clusters_estimable", "event_clusters_total", "crypto_benchmark_log_return_p05",
                 "crypto_benchmark_log_return_p50", "crypto_benchmark_log_return_p95"]


def summarise(r: Rally, subject: str, channels: dict[str, np.ndarray], methods: dict[str, str],
              inputs: dict[str, str], extras: dict[str, dict] | None = None) -> pd.DataFrame:
    """marts.rally_attribution rows: each channel's log return and share of the rally, p05/p50/p95; share_reason
    says why a share is NULL. `extras`: per channel, values of EXTRA_COLUMNS (NULL elsewhere)."""
    rows = []
    for channel in CHANNELS:
        values = np.asarray(channels[channel], dtype=float)
        known = len(values) > 0 and bool(np.isfinite(values).all())   # one unknown draw: the channel is unknown
        lr = np.quantile(values, [0.05, 0.5, 0.95]) if known else np.full(3, np.nan)
        text = inputs.get(channel, "")
        reason = text if text.startswith(NOT_APPLICABLE) else NO_HASHRATE if not_applicable(subject, channel) \
            else share_reason(r.log_return, known)
        share = np.quantile(values / r.log_return, [0.05, 0.5, 0.95]) if reason is None else np.full(3, np.nan)
        rows.append(dict(coin=r.coin, window_name=r.window.name, window_start=r.window.start.date(),
                         window_end=r.window.end.date(), subject=subject, rally_log_return=r.log_return,
                         channel=channel, share_p05=share[0], share_p50=share[1], share_p95=share[2],
                         share_reason=reason, log_return_p05=lr[0], log_return_p50=lr[1], log_return_p95=lr[2],
                         method=methods[channel], inputs=inputs.get(channel, ""),
                         first_priced_day=r.first_day.date(), last_priced_day=r.last_day.date(),
                         market_value_usd=r.market_value_usd, market_value_how=r.market_value_how,
                         **{c: (extras or {}).get(channel, {}).get(c, np.nan) for c in EXTRA_COLUMNS}))
    return pd.DataFrame(rows)
