"""What the idle AI fleet could add to each proof-of-work network, draw by draw.

fleet H/s = idle accelerators x the fleet device's hashrate on the coin's algorithm (the measured figure
when core.hardware_specs has one, else the assumptions' range). Its share of the network is the share of
blocks it would win if it joined the network as observed: fleet / (network + fleet). `fleet_to_network`
= fleet / network says whether the observed network could even contain such a fleet (> 1: it could not
have been mining there unseen). Coins per day = share x the day's issuance; USD = coins x close. A coin
on a proof-of-stake day gets nothing: no hashrate can mine it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.lib.models.fleet import QUANTILES, quantiles
from pipelines.lib.models.mining import is_device

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

    def share(self, fleet_hs=None, cols=slice(None)) -> np.ndarray:
        """The fleet's share of blocks for a fleet hashrate (default: every draw) on the days `cols`."""
        f = self.fleet_hs[:, cols] if fleet_hs is None else fleet_hs
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.pow_day[cols], f / (self.network_hs[cols] + f), 0.0)

    def coins(self, fleet_hs=None, cols=slice(None)) -> np.ndarray:
        return self.share(fleet_hs, cols) * self.issued_coins[cols]

    def usd(self, fleet_hs=None, cols=slice(None)) -> np.ndarray:
        """USD per day; NaN where the issuance or the close is unknown."""
        return self.coins(fleet_hs, cols) * self.close_usd[cols]


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
               fleet_device: str, draws: dict[str, np.ndarray]) -> tuple[list[CoinDraws], list[str]]:
    """One CoinDraws per coin with network data on the model's days; and why any coin was left out."""
    out, skipped = [], []
    for coin, rows in chain.groupby("coin", sort=True):
        rows = rows[rows["date"].isin(days)]
        algorithm = rows["algorithm"].dropna().iloc[0] if rows["algorithm"].notna().any() else None
        if rows.empty or algorithm is None:
            skipped.append(f"{coin}: " + ("no network days in the model's span" if rows.empty else "unknown algorithm"))
            continue
        per_device, basis = fleet_hashrate(algorithm, devs, fleet_device, draws)
        if per_device is None:
            skipped.append(f"{coin}: {basis}")
            continue
        cols = days.get_indexer(pd.DatetimeIndex(rows["date"]))
        pow_day = rows["pow_day"].to_numpy(bool)
        fleet = idle_total[:, cols] * per_device.astype(np.float32)[:, None]
        out.append(CoinDraws(coin, algorithm, pd.DatetimeIndex(rows["date"]),
                             fleet if pow_day.all() else np.where(pow_day, fleet, np.float32(0)),
                             rows["hashrate_hs"].to_numpy(float), np.where(pow_day, rows["issued_coins"], 0.0),
                             rows["close_usd"].ffill(limit=CLOSE_CARRIED_DAYS).to_numpy(float), pow_day,
                             rows["consensus"].to_numpy(object), basis))
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
            ratio = np.where(c.pow_day, fq[1] / c.network_hs, 0.0)
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
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
