"""What the idle AI fleet could add to each proof-of-work network, draw by draw.

fleet H/s = idle accelerators x the fleet device's hashrate on the coin's algorithm (the measured figure
when core.hardware_specs has one, else the assumptions' range). Its share of the network is the share of
blocks it would win if it joined the network as observed: fleet / (network + fleet). `fleet_to_network`
= fleet / network says whether the observed network could even contain such a fleet (> 1: it could not
have been mining there unseen). Coins per day = share x the day's issuance; USD = coins x close. A coin
on a proof-of-stake day gets nothing: no hashrate can mine it (a known 0). A day that may be proof of work
but lacks what the formulas need (no network row or hashrate, no issuance, the coin missing from the
consensus table) is unknown: NaN, with the reason in `unknown_reason`, never 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from pipelines.lib.models.fleet import QUANTILES, quantiles
from pipelines.lib.models.mining import NO_CONSENSUS, NO_NETWORK_ROW, is_device, unknown_reasons
from pipelines.lib.verification.consensus import consensus_by_day

CLOSE_CARRIED_DAYS = 7   # a missing close takes the last one up to a week old (for USD mined, not for prices)


@dataclass
class CoinDraws:
    coin: str
    algorithm: str
    dates: pd.DatetimeIndex
    fleet_hs: np.ndarray        # draws x days
    network_hs: np.ndarray      # days
    issued_coins: np.ndarray    # days (0 where not proof of work, NaN where unknown)
    close_usd: np.ndarray       # days (NaN where unknown)
    pow_day: np.ndarray         # days: proof of work with a network hashrate
    consensus: np.ndarray       # days
    hashrate_basis: str
    zero_day: np.ndarray | None = None       # days known not to be proof of work (default: by `consensus`)
    unknown_reason: np.ndarray | None = None  # days: why the share, coins or USD are unknown (None: known)

    def __post_init__(self):
        if self.zero_day is None:
            self.zero_day = zero_days(self.consensus)
        if self.unknown_reason is None:
            self.unknown_reason = np.full(len(self.dates), None, dtype=object)

    @cached_property
    def fleet_known(self) -> np.ndarray:
        """Days whose fleet hashrate is known in every draw (no NaN: some capex, plan or leak evidence)."""
        return ~np.isnan(self.fleet_hs).any(axis=0)

    def share(self, fleet_hs=None, cols=slice(None)) -> np.ndarray:
        """The fleet's share of blocks for a fleet hashrate (default: every draw) on the days `cols`: 0 on a day
        known not to be proof of work, NaN on one without a network hashrate or a known consensus."""
        f = self.fleet_hs[:, cols] if fleet_hs is None else fleet_hs
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.pow_day[cols], f / (self.network_hs[cols] + f),
                            np.where(self.zero_day[cols], 0.0, np.nan))

    def coins(self, fleet_hs=None, cols=slice(None)) -> np.ndarray:
        return self.share(fleet_hs, cols) * self.issued_coins[cols]

    def usd(self, fleet_hs=None, cols=slice(None)) -> np.ndarray:
        """USD per day; 0 where nothing can be mined, NaN where the share, issuance or close is unknown."""
        with np.errstate(invalid="ignore"):
            return np.where(self.zero_day[cols], 0.0, self.coins(fleet_hs, cols) * self.close_usd[cols])


def zero_days(consensus: np.ndarray) -> np.ndarray:
    """Days known not to be proof of work (proof of stake, or before the coin existed): nothing to mine."""
    known = pd.Series(consensus, dtype=object)
    return (known.notna() & known.ne("pow")).to_numpy(bool)


def on_every_day(rows: pd.DataFrame, coin: str, algorithm: str, days: pd.DatetimeIndex,
                 consensus: pd.DataFrame | None) -> pd.DataFrame:
    """The coin's chain rows on every model day: a day without a network row keeps its consensus from the
    consensus table (proof of stake there is a known zero) and is otherwise unknown."""
    full = rows.set_index("date").reindex(days).rename_axis("date").reset_index()
    missing = full["coin"].isna().to_numpy()
    if not missing.any():
        return full
    full["coin"] = coin
    full["algorithm"] = algorithm
    full[["pow_day", "minable"]] = full[["pow_day", "minable"]].astype("boolean").fillna(False).astype(bool)
    unlisted = np.zeros(missing.sum(), dtype=bool)
    if consensus is not None and len(consensus):
        by_day = consensus_by_day(full.loc[missing, ["coin", "date"]], consensus)
        full.loc[missing, "consensus"] = by_day.to_numpy()
        unlisted = by_day.isna().to_numpy()
    full.loc[missing, "unknown_reason"] = np.where(
        unlisted, f"{NO_NETWORK_ROW}; {NO_CONSENSUS}",
        np.where(zero_days(full.loc[missing, "consensus"].to_numpy(object)), None, NO_NETWORK_ROW))
    return full


def fleet_hashrate(algorithm: str, devs: pd.DataFrame, fleet_device: str,
                   draws: dict[str, np.ndarray]) -> tuple[np.ndarray | None, str]:
    """Per-draw H/s of one fleet device on `algorithm` and where it comes from; (None, reason) when neither a
    benchmark nor a range exists."""
    measured = devs[is_device(devs, fleet_device) & (devs["algorithm"] == algorithm).to_numpy(bool)
                    & devs["basis"].str.startswith("benchmark").to_numpy(bool)]
    n = len(next(iter(draws.values())))
    if len(measured):
        row = measured.iloc[0]
        return np.full(n, float(row["hashrate_hs"])), f"{row['basis']}: {row['source']}"
    name = f"hashrate_fleet_{algorithm}"
    if name in draws:
        return draws[name], f"assumption range {name}"
    return None, f"no benchmark or range for {fleet_device} on {algorithm}"


def coin_draws(chain: pd.DataFrame, idle_total: np.ndarray, days: pd.DatetimeIndex, devs: pd.DataFrame,
               fleet_device: str, draws: dict[str, np.ndarray],
               consensus: pd.DataFrame | None = None) -> tuple[list[CoinDraws], list[str]]:
    """One CoinDraws per coin with network data, over every model day (a day without a network row, e.g. after
    the coin's data stop, is unknown unless `consensus`, core.consensus_periods, says it is not proof of work);
    and why any coin was left out."""
    out, skipped = [], []
    if "unknown_reason" not in chain:
        chain = chain.assign(unknown_reason=unknown_reasons(chain))
    for coin, rows in chain.groupby("coin", sort=True):
        algorithm = rows["algorithm"].dropna().iloc[0] if rows["algorithm"].notna().any() else None
        rows = rows[rows["date"].isin(days)]
        if len(days) == 0 or algorithm is None:
            skipped.append(f"{coin}: " + ("no modelled days" if len(days) == 0 else "unknown algorithm"))
            continue
        per_device, basis = fleet_hashrate(algorithm, devs, fleet_device, draws)
        if per_device is None:
            skipped.append(f"{coin}: {basis}")
            continue
        rows = on_every_day(rows, coin, algorithm, days, consensus)
        pow_day = rows["pow_day"].to_numpy(bool)
        zero_day = zero_days(rows["consensus"].to_numpy(object))
        fleet = idle_total * per_device.astype(np.float32)[:, None]
        np.copyto(fleet, np.float32(0), where=zero_day[None, :])    # nothing to mine: a known zero
        close = rows["close_usd"].ffill(limit=CLOSE_CARRIED_DAYS).to_numpy(float)
        reason = rows["unknown_reason"].to_numpy(object, copy=True)
        no_close = pow_day & np.isnan(close) & pd.isna(reason)
        reason[no_close] = f"no close within {CLOSE_CARRIED_DAYS} days: USD unknown"
        out.append(CoinDraws(coin, algorithm, days,
                             fleet,
                             rows["hashrate_hs"].to_numpy(float),
                             np.where(zero_day, 0.0, np.where(pow_day, rows["issued_coins"], np.nan)),
                             close, pow_day, rows["consensus"].to_numpy(object), basis, zero_day, reason))
    return out, skipped


def contribution_daily(coins: list[CoinDraws], power_cost: np.ndarray | None, days: pd.DatetimeIndex) -> pd.DataFrame:
    """marts.mining_contribution_daily. Share, coins and USD rise with the fleet's hashrate on each day, so
    their quantiles are those of the fleet's hashrate pushed through the formulas."""
    frames = []
    cost = quantiles(power_cost, (0.5,))[0] if power_cost is not None else None
    for c in coins:
        fq = quantiles(c.fleet_hs)
        share = np.stack([c.share(f) for f in fq])
        coins_q = np.stack([c.coins(f) for f in fq])
        usd_q = np.stack([c.usd(f) for f in fq])
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(c.pow_day, fq[1] / c.network_hs, np.where(c.zero_day, 0.0, np.nan))
        frame = pd.DataFrame({"date": c.dates, "coin": c.coin, "algorithm": c.algorithm, "consensus": c.consensus,
                              "network_hashrate_hs": c.network_hs})
        for i, q in enumerate(QUANTILES):
            tag = f"p{round(q * 100):02d}"
            frame[f"fleet_hashrate_hs_{tag}"] = fq[i]
            frame[f"network_share_{tag}"] = share[i]
            frame[f"coins_per_day_{tag}"] = coins_q[i]
            frame[f"usd_per_day_{tag}"] = usd_q[i]
        frame["fleet_to_network_p50"] = ratio
        frame["fleet_power_cost_usd_per_day_p50"] = cost[days.get_indexer(c.dates)] if cost is not None else np.nan
        frame["hashrate_basis"] = c.hashrate_basis
        frame["unknown_reason"] = c.unknown_reason
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
