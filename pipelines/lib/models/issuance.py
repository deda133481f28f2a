"""Coins issued to miners per coin and day, on one basis for the models and the leak checks.

The network data's own issuance, else its block reward x block count, else the consensus rule's
nominal reward x blocks per day (pipelines/reference/block_rewards.csv: Ethereum's daily export,
for one, gives only the hashrate). Fees are added by the caller where it needs them.

A module of the models package (so the models' code digest covers it) that imports nothing of the
models: the leak checks import it without importing mining, which imports them.
"""
from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

NETWORK_BASIS = "network data"
NOMINAL_BASIS = "nominal: block_rewards.csv (fees and uncles not included)"


def nominal_rewards() -> pd.DataFrame:
    """Block rewards and blocks per day by consensus rule (pipelines/reference/block_rewards.csv), for days
    whose network data give neither issuance nor reward and block count."""
    with resources.files("pipelines.reference").joinpath("block_rewards.csv").open() as fh:
        return pd.read_csv(fh, parse_dates=["valid_from", "valid_to"])


def block_subsidy(network: pd.DataFrame, rewards: pd.DataFrame | None = None) -> tuple[pd.Series, pd.Series]:
    """(coins issued per row without fees, its basis) for rows of (coin, date, issuance_coins,
    block_reward_coins, blocks_per_day): NaN and None where no basis applies."""
    def number(column: str) -> pd.Series:
        return pd.to_numeric(network[column], errors="coerce").astype(float)

    subsidy = number("issuance_coins").fillna(number("block_reward_coins") * number("blocks_per_day"))
    basis = pd.Series(np.where(subsidy.notna(), NETWORK_BASIS, None), index=network.index, dtype=object)
    rewards = nominal_rewards() if rewards is None else rewards
    dates = pd.to_datetime(network["date"])
    for _, rule in rewards.iterrows():
        hit = subsidy.isna() & (network["coin"] == rule["coin"]) & dates.between(rule["valid_from"], rule["valid_to"])
        subsidy = subsidy.mask(hit, rule["block_reward_coins"] * rule["blocks_per_day"])
        basis = basis.mask(hit, NOMINAL_BASIS)
    return subsidy, basis
