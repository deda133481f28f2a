"""Leak checks derive their tolerance from the data (issue 16, defect 8).

The coins check allows the network's day-to-day variability over the line's own period plus the
rounding of the printed figure (not a fixed factor of 3); it counts pre-Merge Ethereum issuance on
the models' basis (block_rewards.csv where the network data give only the hashrate); and a coin is
whatever the coin table (pipelines/reference/coins.csv) names, while 'etc.' is an abbreviation.
"""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipelines.lib.verification.coins import COINS_NOISE_SIGMAS, check_coins, printed_decimals
from pipelines.lib.verification.verdicts import fmt_times
from pipelines.lib.costsheets.extract import Limits, extract_document
from pipelines.lib.costsheets.numbers import parse_number
from pipelines.lib.costsheets.vocab import coin_of, read_header
from pipelines.lib.models import mining

D = dt.date
SPECS = pd.DataFrame([
    ("NVIDIA H100 SXM", "datacenter_gpu", "sha256d", 8e9, 700.0, "hashcat / 2"),
    ("NVIDIA A100", "datacenter_gpu", "ethash", 170e6, 200.0, "NiceHash"),
], columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source"])
CONSENSUS = pd.DataFrame([
    ("BTC", D(2009, 1, 3), None, "pow"),
    ("ETH", D(2015, 7, 30), D(2022, 9, 15), "pow"),
    ("ETH", D(2022, 9, 15), None, "pos"),
], columns=["coin", "valid_from", "valid_to", "consensus"])
COINS = pd.DataFrame({"ticker": ["BTC", "ETH"], "algorithm": ["sha256d", "ethash"]})


def line(**values) -> pd.DataFrame:
    row = dict(document_id="doc", page=1, table_index=0, row_index=0, company="Acme", site="Site",
               period_start=D(2024, 1, 1), period_end=D(2024, 1, 30), device="H100 SXM", device_count=1000.0,
               utilization_share=0.0, idle_hours=720.0, power_kw=None, pue=None, electricity_price_native=None,
               currency="USD", electricity_usd_per_kwh=None, coin="BTC", algorithm="sha256d",
               claimed_hashrate_hs=None, claimed_hashrate_per_device_hs=8e9, claimed_coins_mined=None,
               claimed_revenue_native=None, claimed_opex_native=None, claimed_opex_usd=None, is_total_row=False)
    row.update(values)
    out = pd.DataFrame([row])
    for column in ["device_count", "utilization_share", "idle_hours", "power_kw", "pue", "electricity_price_native",
                   "electricity_usd_per_kwh", "claimed_hashrate_hs", "claimed_hashrate_per_device_hs",
                   "claimed_coins_mined", "claimed_revenue_native", "claimed_opex_native", "claimed_opex_usd"]:
        out[column] = out[column].astype(float)
    return out


def btc_network() -> pd.DataFrame:
    """30 days of a network whose hashrate estimate swings +-10 % from one day to the next."""
    dates = pd.date_range("2024-01-01", periods=30, freq="D")
    hashrate = np.where(np.arange(30) % 2 == 0, 0.9e17, 1.1e17)
    return pd.DataFrame({"coin": "BTC", "date": dates, "hashrate_hs": hashrate, "block_reward_coins": np.nan,
                         "blocks_per_day": np.nan, "issuance_coins": 900.0, "fees_coins": 0.0})


NET = btc_network()
DAILY = 8e12 / NET["hashrate_hs"] * 900          # coins 1000 H100 x 8 GH/s mine per day
TRUE_SUM = float(DAILY.sum())                    # 2.1818... BTC over the 30 days
MID_PERIOD = 8e12 / NET["hashrate_hs"].iloc[15] * 900 * 30    # one mid-period figure x 30 days
SPREAD = float(DAILY.std(ddof=0) / DAILY.mean())  # 10 %: the daily yield's standard deviation / mean


def coins_result(claimed: float, **values) -> pd.Series:
    result = check_coins(line(claimed_coins_mined=claimed, **values), SPECS, NET, CONSENSUS)
    assert len(result) == 1
    return result.iloc[0]


def test_the_tolerance_is_the_networks_daily_variability_plus_the_printed_rounding():
    assert SPREAD == pytest.approx(0.1, abs=1e-9)
    at_sum = coins_result(round(TRUE_SUM, 4))
    assert at_sum["verdict"] == "plausible"
    tolerance = COINS_NOISE_SIGMAS * SPREAD
    assert at_sum["expected_low"] == pytest.approx(TRUE_SUM * (1 - tolerance) - 0.00005)
    assert at_sum["expected_high"] == pytest.approx(TRUE_SUM * (1 + tolerance) + 0.00005)
    assert "varied by 10.0% (standard deviation) from day to day" in at_sum["reason"]
    assert "the tolerance is 30.0% (3 standard deviations) plus 0.00005 BTC for the printed rounding" \
        in at_sum["reason"]
    assert "range 1.527-2.836 BTC" in at_sum["reason"]
    # a sheet that priced its period at one mid-period network figure stays within the tolerance
    assert coins_result(round(MID_PERIOD, 4))["verdict"] == "plausible"


@pytest.mark.parametrize("inflation", [2.0, 2.9])
def test_an_inflated_coin_claim_is_implausible_with_its_tolerance_in_the_reason(inflation):
    result = coins_result(round(TRUE_SUM * inflation, 4))
    assert result["verdict"] == "implausible"
    assert result["expected_high"] == pytest.approx(TRUE_SUM * 1.3 + 0.00005)
    assert "the tolerance is 30.0% (3 standard deviations)" in result["reason"]
    assert result["reason"].endswith(f"so the claim is {fmt_times(inflation)}.")


def test_a_steady_network_leaves_only_the_printed_rounding():
    steady = NET.assign(hashrate_hs=1e17)
    expected = 8e12 / 1e17 * 900 * 30
    ok = check_coins(line(claimed_coins_mined=round(expected, 2)), SPECS, steady, CONSENSUS).iloc[0]
    assert (ok["verdict"], ok["expected_low"], ok["expected_high"]) == ("plausible", pytest.approx(expected - 0.005),
                                                                        pytest.approx(expected + 0.005))
    off = check_coins(line(claimed_coins_mined=round(expected * 1.05, 2)), SPECS, steady, CONSENSUS).iloc[0]
    assert off["verdict"] == "implausible"


def test_the_printed_precision_is_the_tables_not_the_single_figures():
    # 0.40 prints at 2 decimals like its neighbour 0.37: half a unit is 0.005, not 0.05
    lines = pd.concat([line(row_index=0, claimed_coins_mined=0.37), line(row_index=1, claimed_coins_mined=0.4)])
    assert list(printed_decimals(lines["claimed_coins_mined"], lines)) == [2, 2]


# ---------------------------------------------------------------------------------------------
def eth_network() -> pd.DataFrame:
    """August 2022 as Etherscan's daily export gives it: the hashrate only, no issuance."""
    dates = pd.date_range("2022-08-01", periods=10, freq="D")
    hashrate = np.where(np.arange(10) % 2 == 0, 880e12, 920e12)
    return pd.DataFrame({"coin": "ETH", "date": dates, "hashrate_hs": hashrate, "block_reward_coins": np.nan,
                         "blocks_per_day": np.nan, "issuance_coins": np.nan, "fees_coins": np.nan})


def eth_line(claimed: float) -> pd.DataFrame:
    return line(device="A100 80GB", coin="ETH", algorithm="ethash", period_start=D(2022, 8, 1),
                period_end=D(2022, 8, 10), idle_hours=240.0, claimed_hashrate_per_device_hs=170e6,
                claimed_coins_mined=claimed)


def test_pre_merge_eth_coins_are_checked_on_the_models_issuance_basis():
    network = eth_network()
    # the models' issuance on the same rows: block_rewards.csv's 2 ETH x 6,450 blocks a day
    chain = mining.chain_daily(network.assign(consensus="pow"), pd.DataFrame(
        columns=["asset", "date", "close_usd", "market_cap_usd"]), COINS)
    assert chain["issued_coins"].tolist() == [12_900.0] * 10
    expected = float((170e9 / chain["hashrate_hs"] * chain["issued_coins"]).sum())
    ok = check_coins(eth_line(round(expected, 2)), SPECS, network, CONSENSUS).iloc[0]
    assert ok["verdict"] == "plausible"
    assert "10 of them at the consensus rule's nominal issuance from block_rewards.csv" in ok["reason"]
    assert ok["expected_low"] < expected < ok["expected_high"]
    bad = check_coins(eth_line(round(expected * 2, 2)), SPECS, network, CONSENSUS).iloc[0]
    assert bad["verdict"] == "implausible"
    assert "(10 days nominal issuance: block_rewards.csv)" in bad["inputs"]


# ---------------------------------------------------------------------------------------------
def test_a_coin_is_what_the_coin_table_names_and_etc_dot_is_an_abbreviation():
    for text in ["GPUs, NICs, etc.", "Server, Kühlung etc.", "etc."]:
        coin, algorithm = coin_of(text)
        assert coin != "ETC" and algorithm is None, text
    # the coin itself still reads as the coin, and every coin of the table, not six symbols
    for text, ticker in [("ETC", "ETC"), ("ETC.", "ETC"), ("Ethereum Classic", "ETC"), ("LTC", "LTC"),
                         ("Dogecoin", "DOGE"), ("ERG", "ERG"), ("Zcash", "ZEC")]:
        assert coin_of(text)[0] == ticker and coin_of(text)[1] is not None, text


def test_a_coin_amount_column_is_recognised_from_the_coin_table():
    for header, field in [("Ertrag (LTC)", "coins_mined"), ("Revenue (DOGE)", "coins_mined"),
                          ("Erlös (ERG)", "coins_mined"), ("Ertrag (ETC)", "coins_mined"),
                          ("Ertrag (Coins)", "coins_mined"), ("Opex (power, cooling, etc.)", "opex"),
                          ("Revenue (EUR)", "revenue")]:
        assert read_header(header).field == field, header


def test_a_number_followed_by_any_coin_of_the_table_is_read():
    assert parse_number("12,5 LTC", "de").value == 12.5
    assert parse_number("1,234.5 DOGE", "en").value == 1234.5


def test_a_sheet_mining_litecoin_with_an_etc_in_its_notes(tmp_path):
    path = tmp_path / "ltc.csv"
    path.write_text("\n".join([
        "Company: Microsoft", "Period: Q1 2024",
        "Site,GPU type,Count,Coin,Ertrag (LTC),\"Opex (power, cooling, etc.) (USD)\"",
        "Dublin,H100,1000,LTC,12.5,4500.00",
        "Amsterdam,A100,500,\"GPUs, NICs, etc.\",,1200.00",
    ]) + "\n", encoding="utf-8")
    rows, _rejected, _pages, _notes = extract_document(path, Limits(ocr=False), None)
    rows = rows.set_index("site")
    assert rows.loc["Dublin", "coin"] == "LTC" and rows.loc["Dublin", "algorithm"] == "scrypt"
    assert rows.loc["Dublin", "claimed_coins_mined"] == 12.5
    assert rows.loc["Dublin", "claimed_opex_native"] == 4500.0
    assert rows.loc["Amsterdam", "coin"] != "ETC"
    assert rows.loc["Amsterdam", "claimed_opex_native"] == 1200.0
