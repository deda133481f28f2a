"""Fees in revenue and hashprice (issue 18, point 1): added where the network data have them, and a day
without fee data keeps the subsidy alone with `hashprice_basis` saying so. The real-data test reads
../shared/data in place (skipped with a message when that folder is absent)."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from pytest import approx

from pipelines.lib.models import mining
from pipelines.lib.sources.network import VALUE_COLUMNS, parse_network_file
from pipelines.lib.sources.prices import parse_price_file
from tests.conftest import SHARED_DATA

COINS = pd.DataFrame({"ticker": ["BTC"], "algorithm": ["sha256d"]})
NETWORK_COLUMNS = ["coin", "date", "hashrate_hs", "difficulty", "block_reward_coins", "blocks_per_day",
                   "issuance_coins", "fees_coins", "consensus"]


def test_fees_are_added_and_a_day_without_fee_data_says_subsidy_only():
    nan = np.nan
    network = pd.DataFrame([
        # 3.125 BTC x 144 blocks = 450 BTC subsidy, + 30 BTC fees = 480 BTC
        ("BTC", "2024-12-01", 800e18, nan, 3.125, 144.0, nan, 30.0, "pow"),
        # no fee data: 450 BTC subsidy only
        ("BTC", "2024-12-02", 800e18, nan, 3.125, 144.0, nan, nan, "pow"),
    ], columns=NETWORK_COLUMNS)
    prices = pd.DataFrame({"asset": "BTC", "date": ["2024-12-01", "2024-12-02"],
                           "close_usd": [100_000.0, 100_000.0], "market_cap_usd": nan})
    chain = mining.chain_daily(network, prices, COINS)
    chain = chain.set_index(chain["date"].dt.strftime("%Y-%m-%d"))
    assert chain.loc["2024-12-01", "issued_coins"] == approx(480.0)
    assert chain.loc["2024-12-01", "hashprice_basis"] == "block subsidy + fees"
    assert chain.loc["2024-12-02", "issued_coins"] == approx(450.0)
    assert chain.loc["2024-12-02", "hashprice_basis"] == "block subsidy only (no fee data for this day)"

    devs = pd.DataFrame([dict(device="S21", device_class="asic", algorithm="sha256d", hashrate_hs=200e12,
                              power_w=3500.0, basis="benchmark", source="test")])
    profit = mining.profitability_daily(chain.reset_index(drop=True), devs,
                                        pd.DataFrame(columns=["coin", "date", "electricity_usd_per_kwh"]),
                                        [0.05], pue=1.0, server_overhead=1.0)
    profit = profit.set_index(profit["date"].dt.strftime("%Y-%m-%d"))
    # 480 BTC x 100,000 USD / 800,000,000 TH/s = 0.06 USD per TH/s per day; 450 BTC: 0.05625
    assert profit.loc["2024-12-01", "hashprice_usd_per_th_day"] == approx(0.06)
    assert profit.loc["2024-12-02", "hashprice_usd_per_th_day"] == approx(0.05625)
    assert profit.loc["2024-12-01", "hashprice_basis"] == "block subsidy + fees"
    assert profit.loc["2024-12-02", "hashprice_basis"] == "block subsidy only (no fee data for this day)"
    # a 200 TH/s device earns 200 x hashprice
    assert profit.loc["2024-12-01", "revenue_usd_per_day"] == approx(12.0)


def test_no_subsidy_no_basis():
    """A day whose subsidy is unknown has no hashprice basis to state (None, not 'subsidy only')."""
    basis = mining.hashprice_basis(pd.Series([True, False, False]), pd.Series([True, True, False]))
    assert basis.tolist() == ["block subsidy + fees", "block subsidy only (no fee data for this day)", None]


# --- real data ---------------------------------------------------------------------------------------------

needs_shared = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real data not found at {SHARED_DATA}")
TODAY = dt.date(2026, 1, 1)


def _network(*paths) -> pd.DataFrame:
    """Each value from the best-ranked file that has it, as core/network_daily_refresh.sql combines them."""
    parsed = [parse_network_file(SHARED_DATA / p, TODAY) for p in paths]
    assert all(p.error is None for p in parsed), [p.error for p in parsed]
    rows = pd.concat([p.rows for p in parsed]).sort_values("source_rank")
    combined = rows.groupby(["coin", "date"])[VALUE_COLUMNS].first().reset_index()
    return combined.assign(consensus="pow")


def _dec_2024_hashprice(network: pd.DataFrame) -> tuple[float, set]:
    prices = parse_price_file(SHARED_DATA / "yahoo_prices_budydeveloper/BTC-USD_1d.csv", TODAY).rows
    chain = mining.chain_daily(network, prices, COINS)
    dec = chain[chain["date"].between("2024-12-01", "2024-12-31")]
    assert len(dec) == 31
    hashprice = mining.hashprice_usd_per_th_day(dec["issued_coins"], dec["close_usd"], dec["hashrate_hs"])
    return float(hashprice.mean()), set(dec["hashprice_basis"])


@needs_shared
def test_real_december_2024_hashprice_with_fees_is_0_060():
    network = _network("bitcoinvisuals_cbeci_krisp140/btc_network_daily.csv",
                       "btc_fees_daily/btc_fees_daily_2022_2025.csv")
    with_fees, basis = _dec_2024_hashprice(network)
    assert basis == {"block subsidy + fees"}
    assert with_fees == approx(0.060, rel=0.05)

    subsidy_only, basis = _dec_2024_hashprice(network.assign(fees_coins=np.nan))
    assert basis == {"block subsidy only (no fee data for this day)"}
    # fees were about 2 % of miner revenue in December 2024: counting them raises the hashprice
    assert subsidy_only < with_fees
    print(f"\nDecember 2024 BTC hashprice: {with_fees:.5f} with fees, {subsidy_only:.5f} subsidy only")
