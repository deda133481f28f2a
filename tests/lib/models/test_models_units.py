"""Model stage units (pipelines.lib.models: assumptions, mining, fleet, contribution, attribution, stage), each
formula pinned on hand-computed cases. The arithmetic behind every expected number is written next to it;
no expectation is computed with the function under test. event_study.py has its own tests/lib/models/test_event_study.py."""
import dataclasses
import hashlib
import math
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from pipelines.lib.models import assumptions, attribution, contribution, fleet, mining, stage
from pipelines.lib.models.assumptions import AssumptionError

T = pd.Timestamp
TOML = resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")
FLEET = "NVIDIA H100 SXM"


def approx(value, rel=1e-9):
    return pytest.approx(value, rel=rel)


# ---------------------------------------------------------------------------------------------------------------
# assumptions


def range_text(name: str, **fields) -> str:
    spec = {"low": 1.0, "central": 2.0, "high": 3.0, "unit": '"x"', "distribution": '"triangular"',
            "source": '"a test"'} | fields
    body = "\n".join(f"{k} = {v}" for k, v in spec.items() if v is not None)
    return f"\n[ranges.{name}]\n{body}\n"


def extra_range(**fields) -> str:
    """The bundled file plus one more range [ranges.zz_test] (a TOML table may follow [supply])."""
    return TOML + range_text("zz_test", **fields)


def test_bundled_file_parses_and_set_id_is_version_plus_digest():
    a = assumptions.parse(TOML)
    assert a.version and a.ranges and a.windows and a.coins
    assert a.set_id == a.version + "+" + hashlib.sha256(TOML.encode()).hexdigest()[:12]
    assert a.draws == 10000                  # the stage tests below cut it to 2000 by replacing this text


def test_set_id_changes_with_the_text_only():
    a = assumptions.parse(TOML)
    b = assumptions.parse(TOML + "\n# a comment\n")
    assert a.version == b.version and a.ranges == b.ranges
    assert a.set_id != b.set_id
    assert assumptions.parse(TOML).set_id == a.set_id


@pytest.mark.parametrize("fields, message", [
    ({"low": 2.5}, "range 'zz_test': need low <= central <= high, got 2.5, 2.0, 3.0"),
    ({"high": 1.5}, "range 'zz_test': need low <= central <= high, got 1.0, 2.0, 1.5"),
    ({"distribution": '"beta"'}, "range 'zz_test': distribution 'beta' is not one of"),
    ({"source": None}, "range 'zz_test' lacks source"),
    ({"source": '"   "'}, "range 'zz_test' has no source"),
    ({"unit": None, "source": None}, "range 'zz_test' lacks unit, source"),
    ({"low": 0.0, "distribution": '"loguniform"'}, "range 'zz_test': a loguniform range needs low > 0"),
    ({"low": -1.0, "distribution": '"loguniform"'}, "range 'zz_test': a loguniform range needs low > 0"),
])
def test_parse_rejects_impossible_ranges_naming_the_range(fields, message):
    with pytest.raises(AssumptionError) as err:
        assumptions.parse(extra_range(**fields))
    assert message in str(err.value)


def test_parse_rejects_bad_windows_and_missing_sections():
    rally = 'rally = ["2023-10-01", "2024-03-31"]'
    assert rally in TOML
    with pytest.raises(AssumptionError, match="window rally: start 2024-03-31 is not before end 2024-03-31"):
        assumptions.parse(TOML.replace(rally, 'rally = ["2024-03-31", "2024-03-31"]'))
    with pytest.raises(AssumptionError, match="window rally: start 2024-04-01 is not before end 2024-03-31"):
        assumptions.parse(TOML.replace(rally, 'rally = ["2024-04-01", "2024-03-31"]'))
    with pytest.raises(AssumptionError, match="window rally: '2023-13-01' is not a date"):
        assumptions.parse(TOML.replace(rally, 'rally = ["2023-13-01", "2024-03-31"]'))
    with pytest.raises(AssumptionError, match="KeyError"):
        assumptions.parse(TOML.replace("[monte_carlo]", "[monte_carlo_renamed]"))


def test_a_valid_extra_range_is_accepted_with_its_default_distribution():
    a = assumptions.parse(extra_range(distribution=None))
    assert a.ranges["zz_test"] == assumptions.Range("zz_test", 1.0, 2.0, 3.0, "x", "triangular", "a test")


def test_sample_is_reproducible_and_seeded():
    a = assumptions.parse(TOML)
    one, two = a.sample(500), a.sample(500)
    assert sorted(one) == sorted(a.ranges)
    for name in one:
        assert one[name].shape == (500,)
        np.testing.assert_array_equal(one[name], two[name])
    other = assumptions.parse(TOML.replace("seed = 20231001", "seed = 1")).sample(500)
    assert not np.array_equal(one["pue"], other["pue"])
    assert len(a.sample()["pue"]) == 10000          # default: the file's draws


def test_sample_respects_bounds_and_shapes():
    a = assumptions.parse(TOML + range_text("zz_tri", low=1.0, central=2.0, high=6.0)
                          + range_text("zz_uni", low=0.0, central=0.5, high=1.0, distribution='"uniform"')
                          + range_text("zz_log", low=1.0, central=5.0, high=25.0, distribution='"loguniform"')
                          + range_text("zz_norm", low=-1.645, central=0.0, high=1.645, distribution='"normal"'))
    s = a.sample(20000)
    for name, r in a.ranges.items():
        if r.distribution in ("triangular", "uniform", "loguniform"):
            assert s[name].min() >= r.low and s[name].max() <= r.high, name
    # triangular mean = (low + central + high) / 3 = (1 + 2 + 6) / 3 = 3; mode at central, not the midpoint
    assert s["zz_tri"].mean() == approx(3.0, rel=1e-2)
    # uniform mean = (low + high) / 2 = 0.5 (its central must be that median: the loader refuses another)
    assert s["zz_uni"].mean() == approx(0.5, rel=2e-2)
    # loguniform median = sqrt(low x high) = sqrt(1 x 25) = 5 (a uniform's would be 13)
    assert np.median(s["zz_log"]) == approx(5.0, rel=5e-2)
    # normal: sd = (high - low) / (2 x 1.6449) = 3.29 / 3.2897 = 1.0001; mean = central = 0
    assert s["zz_norm"].std() == approx(1.0, rel=3e-2)
    assert abs(s["zz_norm"].mean()) < 0.03


def test_a_degenerate_range_draws_its_central():
    a = assumptions.parse(extra_range(low=2.0, central=2.0, high=2.0))
    np.testing.assert_array_equal(a.sample(7)["zz_test"], np.full(7, 2.0))


def test_scenarios_base_then_each_range_at_each_end():
    a = assumptions.parse(TOML)
    labels, draws = a.scenarios()
    assert len(labels) == 1 + 2 * len(a.ranges)
    assert sorted(draws) == sorted(a.ranges)
    assert labels.loc[0, "scenario"] == "base"
    for name, r in a.ranges.items():
        assert len(draws[name]) == len(labels)
        assert draws[name][0] == r.central
    for i in range(1, len(labels)):
        name, end = labels.loc[i, "assumption"], labels.loc[i, "end"]
        assert labels.loc[i, "scenario"] == f"{name}:{end}"
        differ = [k for k in draws if draws[k][i] != draws[k][0]]
        assert differ == [name]
        assert draws[name][i] == getattr(a.ranges[name], end)
    assert list(labels["end"][1:3]) == ["low", "high"]
    assert len(assumptions.parse(extra_range()).scenarios()[0]) == len(labels) + 2


# ---------------------------------------------------------------------------------------------------------------
# mining formulas


def test_coins_per_day():
    # 1e15 / 5e20 = 2e-6 of the network x 500 coins issued = 1e-3 coins
    assert mining.coins_per_day(1e15, 5e20, 500.0) == approx(1e-3)


def test_power_cost_usd_per_day():
    # 3500 W / 1000 = 3.5 kW x 24 h = 84 kWh x PUE 1.2 = 100.8 kWh x 0.05 USD = 5.04 USD
    assert mining.power_cost_usd_per_day(3500.0, 1.2, 0.05) == approx(5.04)
    # 700 W: 0.7 x 24 = 16.8 kWh x 1.0 x 0.10 = 1.68 USD
    assert mining.power_cost_usd_per_day(700.0, 1.0, 0.10) == approx(1.68)


def test_hashprice_usd_per_th_day():
    # 450 coins x 100,000 USD = 4.5e7 USD / (750e18 H/s = 7.5e8 TH/s) = 0.06 USD per TH/s per day
    assert mining.hashprice_usd_per_th_day(450.0, 100_000.0, 750e18) == approx(0.06)


def test_breakeven_j_per_gh_cbeci():
    # 4.5e7 USD/day / (7.5e8 TH/s x 86400 s) = 6.9444e-7 USD per TH; / (0.05 USD / 3.6e6 J) = 6.9444e-7 x 7.2e7
    # = 50 J/TH; / 1000 = 0.05 J/GH
    assert mining.breakeven_j_per_gh(450.0, 100_000.0, 750e18, 0.05) == approx(0.05)
    # twice the power price halves the threshold: 0.025 J/GH
    assert mining.breakeven_j_per_gh(450.0, 100_000.0, 750e18, 0.10) == approx(0.025)


def test_j_per_gh_antminer_s21():
    # 3500 W / 200 TH/s = 17.5 J/TH = 3500 / 200,000 GH/s = 0.0175 J/GH
    assert mining.j_per_gh(3500.0, 200e12) == approx(0.0175)
    # A100: 200 W / 0.17 GH/s = 1176.47 J/GH
    assert mining.j_per_gh(200.0, 170e6) == approx(200 / 0.17)


NETWORK_COLUMNS = ["coin", "date", "hashrate_hs", "difficulty", "block_reward_coins", "blocks_per_day",
                   "issuance_coins", "fees_coins", "consensus"]
COINS = pd.DataFrame({"ticker": ["BTC", "ETH", "ETC"], "algorithm": ["sha256d", "ethash", "etchash"]})


def test_chain_daily_issuance_fees_and_minable():
    nan = np.nan
    network = pd.DataFrame([
        ("BTC", "2024-01-02", 5e20, nan, 6.25, 147.0, 918.75, nan, "pow"),   # issuance given, fees unknown
        ("BTC", "2024-01-01", 5e20, nan, 6.25, 144.0, nan, 20.0, "pow"),     # issuance from reward x blocks
        ("BTC", "2024-01-03", 5e20, nan, nan, nan, nan, 5.0, "pow"),         # nominal: block_rewards.csv
        ("ETC", "2024-01-02", 1.5e14, nan, nan, nan, nan, nan, "pow"),       # no issuance at all
        ("ETH", "2022-09-14", 8.71044e14, nan, 2.0, 6500.0, 13000.0, 100.0, "pow"),
        ("ETH", "2022-09-15", 0.0, nan, nan, nan, 1600.0, 50.0, "pos"),
        ("ETC", "2024-01-01", 0.0, nan, 2.56, 6000.0, nan, 0.0, "pow"),     # pow but no hashrate
    ], columns=NETWORK_COLUMNS)
    prices = pd.DataFrame({"asset": ["BTC", "ETH", "ETH"], "date": ["2024-01-01", "2022-09-14", "2022-09-15"],
                           "close_usd": [42_000.0, 1600.0, 1500.0], "market_cap_usd": [8.2e11, nan, 1.8e11]})
    out = mining.chain_daily(network, prices, COINS)
    assert list(zip(out["coin"], out["date"].dt.strftime("%Y-%m-%d"))) == [
        ("BTC", "2024-01-01"), ("BTC", "2024-01-02"), ("BTC", "2024-01-03"),
        ("ETC", "2024-01-01"), ("ETC", "2024-01-02"), ("ETH", "2022-09-14"), ("ETH", "2022-09-15")]
    o = out.set_index(["coin", out["date"].dt.strftime("%Y-%m-%d")])
    # 6.25 BTC x 144 blocks = 900 + 20 fees = 920
    assert o.loc[("BTC", "2024-01-01"), "issued_coins"] == approx(920.0)
    assert bool(o.loc[("BTC", "2024-01-01"), "fees_known"])
    # the issuance column wins over reward x blocks (6.25 x 147 = 918.75 either way); NaN fees count 0
    assert o.loc[("BTC", "2024-01-02"), "issued_coins"] == approx(918.75)
    assert not bool(o.loc[("BTC", "2024-01-02"), "fees_known"])
    assert o.loc[("BTC", "2024-01-01"), "issuance_basis"] == "network data"
    # neither issuance nor reward x blocks: the consensus rule's 6.25 BTC x 144 = 900 (2020-05-11 .. 2024-04-19)
    # + 5 fees = 905
    assert o.loc[("BTC", "2024-01-03"), "issued_coins"] == approx(905.0)
    assert o.loc[("BTC", "2024-01-03"), "issuance_basis"].startswith("nominal: block_rewards.csv")
    assert np.isnan(o.loc[("ETC", "2024-01-02"), "issued_coins"])          # no rule for ETC: unknown
    # 13000 + 100 fees
    assert o.loc[("ETH", "2022-09-14"), "issued_coins"] == approx(13100.0)
    # pow_day: proof of work with a hashrate; minable: a pow_day with known issuance
    assert o["pow_day"].to_dict() == {
        ("BTC", "2024-01-01"): True, ("BTC", "2024-01-02"): True, ("BTC", "2024-01-03"): True,
        ("ETC", "2024-01-01"): False, ("ETC", "2024-01-02"): True,
        ("ETH", "2022-09-14"): True, ("ETH", "2022-09-15"): False}
    assert o["minable"].to_dict() == {
        ("BTC", "2024-01-01"): True, ("BTC", "2024-01-02"): True, ("BTC", "2024-01-03"): True,
        ("ETC", "2024-01-01"): False, ("ETC", "2024-01-02"): False,
        ("ETH", "2022-09-14"): True, ("ETH", "2022-09-15"): False}
    assert o.loc[("BTC", "2024-01-01"), "close_usd"] == 42_000.0
    assert o.loc[("BTC", "2024-01-01"), "market_cap_usd"] == 8.2e11
    assert np.isnan(o.loc[("BTC", "2024-01-02"), "close_usd"])
    assert o.loc[("ETH", "2022-09-15"), "algorithm"] == "ethash"
    assert o.loc[("ETC", "2024-01-01"), "algorithm"] == "etchash"


SPEC_COLUMNS = ["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source"]


def test_devices_benchmarks_alternates_and_fleet_assumptions():
    specs = pd.DataFrame([
        ("NVIDIA A100", "datacenter_gpu", "ethash", 170e6, 200.0, "s1"),
        ("NVIDIA A100", "datacenter_gpu", "ethash", 150e6, 200.0, "s2"),     # slower duplicate: dropped
        (FLEET, "datacenter_gpu", "sha256d", 8e9, 700.0, "s3"),
        (FLEET, "datacenter_gpu", "etchash", 250e6, 650.0, "s4"),
        (FLEET, "datacenter_gpu", "kawpow", np.nan, 720.0, "power only"),   # no hashrate: not a device row
        ("Bitmain Antminer S21", "asic", "sha256d", 200e12, 3500.0, "s5"),
    ], columns=SPEC_COLUMNS)
    hashrates = {"ethash": 200e6, "etchash": 200e6, "kawpow": 70e6}
    out = mining.devices(specs, FLEET, 999.0, hashrates)
    got = {(r.device, r.algorithm): (r.hashrate_hs, r.power_w, r.basis) for r in out.itertuples()}
    assert got == {
        ("NVIDIA A100", "ethash"): (170e6, 200.0, "benchmark"),
        ("NVIDIA A100", "etchash"): (170e6, 200.0, "benchmark via ethash"),
        (FLEET, "sha256d"): (8e9, 700.0, "benchmark"),
        (FLEET, "etchash"): (250e6, 650.0, "benchmark"),
        (FLEET, "ethash"): (250e6, 650.0, "benchmark via etchash"),
        # only kawpow lacks a benchmark: the range's central, at the device's largest measured power (700 W)
        (FLEET, "kawpow"): (70e6, 700.0, "assumption"),
        ("Bitmain Antminer S21", "sha256d"): (200e12, 3500.0, "benchmark"),
    }
    assert len(out) == 7
    kawpow = out[out["basis"] == "assumption"].iloc[0]
    assert kawpow["source"] == "model_assumptions.toml: hashrate_fleet_kawpow (central)"
    assert kawpow["device_class"] == "datacenter_gpu"


def test_devices_fleet_without_specs_gets_every_range_at_the_configured_power():
    specs = pd.DataFrame([("NVIDIA A100", "datacenter_gpu", "ethash", 170e6, 200.0, "s1")], columns=SPEC_COLUMNS)
    out = mining.devices(specs, FLEET, 700.0, {"kawpow": 70e6, "ethash": 200e6})
    fleet_rows = out[out["device"] == FLEET].sort_values("algorithm")
    assert list(fleet_rows["algorithm"]) == ["ethash", "kawpow"]
    assert list(fleet_rows["hashrate_hs"]) == [200e6, 70e6]
    assert list(fleet_rows["power_w"]) == [700.0, 700.0]
    assert set(fleet_rows["basis"]) == {"assumption"}


LINE_COLUMNS = ["document_id", "table_index", "row_index", "company", "device", "device_count",
                "utilization_share", "period_start", "period_end", "coin", "electricity_usd_per_kwh", "is_total_row"]


def lines_frame(rows: list[dict]) -> pd.DataFrame:
    base = dict(document_id="d1", table_index=0, row_index=0, company=None, device="H100", device_count=np.nan,
                utilization_share=np.nan, period_start=None, period_end=None, coin=None,
                electricity_usd_per_kwh=np.nan, is_total_row=False)
    return pd.DataFrame([base | r for r in rows], columns=LINE_COLUMNS)


def test_leak_prices_expands_each_line_to_its_days():
    lines = lines_frame([
        dict(coin="BTC", period_start="2024-01-30", period_end="2024-02-02", electricity_usd_per_kwh=0.04),
        dict(coin="BTC", period_start="2024-01-30", period_end="2024-02-02", electricity_usd_per_kwh=0.04),  # dup
        dict(coin="ETC", period_start="2024-03-05", period_end="2024-03-05", electricity_usd_per_kwh=0.1),
        dict(coin="ETC", period_start="2024-03-06", period_end="2024-03-07"),                  # no price
        dict(coin="ETC", period_start="2024-03-06", period_end="2024-03-07", electricity_usd_per_kwh=0.0),
        dict(coin=None, period_start="2024-03-06", period_end="2024-03-07", electricity_usd_per_kwh=0.05),
    ])
    out = mining.leak_prices(lines)
    # 2024-01-30 .. 02-02 = 30, 31, 1, 2: four days; the ETC line one day
    assert list(zip(out["coin"], pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d"), out["electricity_usd_per_kwh"])) \
        == [("BTC", "2024-01-30", 0.04), ("BTC", "2024-01-31", 0.04), ("BTC", "2024-02-01", 0.04),
            ("BTC", "2024-02-02", 0.04), ("ETC", "2024-03-05", 0.1)]
    assert mining.leak_prices(lines.iloc[3:5]).empty


def test_profitability_daily_on_a_two_day_chain():
    network = pd.DataFrame([
        ("ETH", "2022-09-14", 1e15, np.nan, np.nan, np.nan, 13000.0, np.nan, "pow"),
        ("ETH", "2022-09-15", 0.0, np.nan, np.nan, np.nan, 1600.0, np.nan, "pos"),
    ], columns=NETWORK_COLUMNS)
    prices = pd.DataFrame({"asset": ["ETH", "ETH"], "date": ["2022-09-14", "2022-09-15"],
                           "close_usd": [1600.0, 1500.0], "market_cap_usd": [np.nan, np.nan]})
    chain = mining.chain_daily(network, prices, COINS)
    devs = pd.DataFrame([("NVIDIA A100", "datacenter_gpu", "ethash", 170e6, 200.0, "benchmark", "s1")],
                        columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "basis", "source"])
    leak = mining.leak_prices(lines_frame([dict(coin="ETH", period_start="2022-09-14", period_end="2022-09-15",
                                                electricity_usd_per_kwh=0.10)]))
    # server overhead 1: wall = board power here (tests/lib/verification/test_wall_power.py prices the overhead)
    out = mining.profitability_daily(chain, devs, leak, [0.05, 0.7, 1.0], 1.2, 1.0)
    # no row on 09-15 (proof of stake); 3 reference prices + the leak's own price on 09-14
    assert set(out["date"]) == {T("2022-09-14")}
    assert list(zip(out["price_basis"], out["electricity_usd_per_kwh"])) == [
        ("leak", 0.10), ("reference", 0.05), ("reference", 0.7), ("reference", 1.0)]
    o = out.set_index("electricity_usd_per_kwh")
    # coins = 170e6 / 1e15 = 1.7e-7 x 13000 ETH = 2.21e-3 ETH; revenue = 2.21e-3 x 1600 = 3.536 USD
    np.testing.assert_allclose(o["coins_per_day"].to_numpy(float), 2.21e-3, rtol=1e-12)
    np.testing.assert_allclose(o["revenue_usd_per_day"].to_numpy(float), 3.536, rtol=1e-12)
    # power = 200 W / 1000 x 24 = 4.8 kWh x PUE 1.2 = 5.76 kWh x price
    cost = {0.05: 0.288, 0.7: 4.032, 1.0: 5.76, 0.10: 0.576}
    margin = {0.05: 3.248, 0.7: -0.496, 1.0: -2.224, 0.10: 2.96}   # 3.536 - cost
    for price in cost:
        assert o.loc[price, "power_cost_usd_per_day"] == approx(cost[price])
        assert o.loc[price, "margin_usd_per_day"] == approx(margin[price])
        assert bool(o.loc[price, "profitable"]) is (margin[price] > 0)
    # hashprice = 13000 x 1600 / (1e15 H/s = 1000 TH/s) = 20,800 USD per TH/s per day
    np.testing.assert_allclose(o["hashprice_usd_per_th_day"].to_numpy(float), 20_800.0, rtol=1e-12)
    # break-even = 20800 / 86400 USD per TH x 3.6e6 / price / 1000 = 866,666.67 / price / 1000 J/GH
    for price, j in {0.05: 17_333.333333, 0.7: 1238.095238, 1.0: 866.666667, 0.10: 8666.666667}.items():
        assert o.loc[price, "breakeven_j_per_gh"] == approx(j, rel=1e-8)
    # device: 200 W / 0.17 GH/s = 1176.47 J/GH
    np.testing.assert_allclose(o["device_j_per_gh"].to_numpy(float), 1176.470588, rtol=1e-8)
    assert o["below_breakeven"].to_dict() == {0.10: True, 0.05: True, 0.7: True, 1.0: False}
    # at 0.7 USD/kWh the CBECI threshold (no PUE) says below break-even while the margin (with PUE) is negative
    assert not bool(o.loc[0.7, "profitable"])
    assert (o["pue"] == 1.2).all() and (o["fees_known"] == False).all()  # noqa: E712
    assert (o["network_hashrate_hs"] == 1e15).all() and (o["device_hashrate_hs"] == 170e6).all()


# ---------------------------------------------------------------------------------------------------------------
# fleet


def test_canonical_company():
    assert fleet.canonical_company("Microsoft Azure") == "Microsoft"
    assert fleet.canonical_company("Microsoft") == "Microsoft"
    assert fleet.canonical_company("  Acme Cloud ") == "Acme Cloud"
    assert fleet.canonical_company(None) is None
    assert fleet.canonical_company("  ") is None


def test_filed_spend_spreads_a_quarter_evenly():
    axis = pd.date_range("2024-03-30", "2024-07-02", freq="D")
    q = pd.DataFrame({"company": ["Microsoft Azure"], "period_end": ["2024-06-30"], "capex_usd": [91e9]})
    spend = pd.Series(fleet.filed_spend(q, axis)["Microsoft"], index=axis)
    # Q2 2024 = April 1 .. June 30 = 30 + 31 + 30 = 91 days: 91e9 / 91 = 1e9 USD per day, nothing on March 31
    assert spend["2024-03-31"] == 0.0
    assert spend["2024-04-01"] == approx(1e9)
    assert spend["2024-04-10"] == approx(10e9)
    assert spend["2024-06-30"] == approx(91e9)
    assert spend["2024-07-02"] == approx(91e9)


def test_filed_spend_consecutive_quarters_do_not_overlap():
    axis = pd.date_range("2023-12-31", "2024-07-01", freq="D")
    q = pd.DataFrame({"company": ["Microsoft", "Microsoft", "Meta"],
                      "period_end": ["2024-03-31", "2024-06-30", "2024-03-31"],
                      "capex_usd": [91e9, 182e9, 9.1e9]})
    out = fleet.filed_spend(q, axis)
    spend = pd.Series(out["Microsoft"], index=axis)
    # Q1 2024 = 31 + 29 + 31 = 91 days (leap year) at 1e9/day; Q2 = 91 days at 182e9 / 91 = 2e9/day
    assert spend["2023-12-31"] == 0.0
    assert spend["2024-01-01"] == approx(1e9)
    assert spend["2024-03-31"] == approx(91e9)
    assert spend["2024-04-01"] == approx(93e9)      # 91e9 + 2e9
    assert spend["2024-06-30"] == approx(273e9)     # 91e9 + 182e9
    assert pd.Series(out["Meta"], index=axis)["2024-02-01"] == approx(32 * 0.1e9)   # Jan 1..Feb 1 = 32 days


QUARTER_COLUMNS = ["company", "ticker", "period_end", "capex_usd"]
ANNOUNCEMENT_COLUMNS = ["announcement_id", "company", "announced_on", "amount_usd", "scope", "horizon_years",
                        "duplicate_of"]
NO_PLANS = pd.DataFrame(columns=ANNOUNCEMENT_COLUMNS)
NO_LINES = lines_frame([]).iloc[0:0]


def fleet_draw_set(**over) -> dict[str, np.ndarray]:
    base = dict(idle_share=0.2, gpu_service_life_years=5.0, gpus_per_billion_usd=25_000.0, gpu_share_of_capex=0.5,
                gpu_share_of_ai_capex=0.5, plan_realisation_share=0.8, plan_horizon_years=1.0)
    base |= over
    n = max(np.size(v) for v in base.values())
    return {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy() for k, v in base.items()}


def one_quarter(company="Microsoft Azure") -> pd.DataFrame:
    # Q1 2024: January 1 .. March 31 = 91 days, 91e9 USD = 1e9 USD per day
    return pd.DataFrame([(company, "MSFT", "2024-03-31", 91e9)], columns=QUARTER_COLUMNS)


def at(frame_days: pd.DatetimeIndex, matrix: np.ndarray, day: str) -> np.ndarray:
    return matrix[:, frame_days.get_loc(T(day))]


def test_fleet_draws_one_quarter_installed_then_retired():
    days = pd.date_range("2023-12-31", "2025-04-05", freq="D")
    draws = fleet_draw_set(gpu_service_life_years=[1.0, 5.0], idle_share=[0.2, 0.5])
    out = fleet.fleet_draws(one_quarter(), NO_PLANS, NO_LINES, days, draws)
    assert list(out) == ["Microsoft"]
    installed, idle = out["Microsoft"]["installed"], out["Microsoft"]["idle"]
    assert installed.shape == (2, len(days))
    # before the filed quarter no evidence covers the day: unknown (NaN), not an empty fleet
    np.testing.assert_allclose(at(days, installed, "2023-12-31"), [np.nan, np.nan])
    # 10 days x 1e9 = 10e9 USD x 0.5 GPU share x 25,000 / 1e9 = 125,000
    np.testing.assert_allclose(at(days, installed, "2024-01-10"), [125_000, 125_000], rtol=1e-6)
    # whole quarter: 91e9 x 0.5 x 25,000 / 1e9 = 1,137,500
    np.testing.assert_allclose(at(days, installed, "2024-03-31"), [1_137_500, 1_137_500], rtol=1e-6)
    # life 1 year = 12 months x 365.25 / 12 = 365.25 -> 365 days: on 2024-12-31 the spend of 2024-01-01
    # (365 days earlier) is retired: 90e9 x 0.5 x 25,000 / 1e9 = 1,125,000; 5 years keeps all
    np.testing.assert_allclose(at(days, installed, "2024-12-31"), [1_125_000, 1_137_500], rtol=1e-6)
    # 2025-03-30: only 2024-03-31's 1e9 is still in service: 1e9 x 0.5 x 25,000 / 1e9 = 12,500
    np.testing.assert_allclose(at(days, installed, "2025-03-30"), [12_500, 1_137_500], rtol=1e-5)
    # 2025-03-31: 365 days after the quarter's end, everything bought is retired under a 1-year life: no
    # evidence is left for that draw's day (unknown, NaN, not zero)
    np.testing.assert_allclose(at(days, installed, "2025-03-31"), [np.nan, 1_137_500], rtol=1e-6)
    # idle = installed x idle share: 1,137,500 x 0.2 = 227,500; x 0.5 = 568,750
    np.testing.assert_allclose(at(days, idle, "2024-03-31"), [227_500, 568_750], rtol=1e-6)
    assert np.isnan(out["Microsoft"]["leak"]).all() and np.isnan(out["Microsoft"]["idle_share_leak"]).all()


@pytest.mark.parametrize("horizon", [1.0, np.nan], ids=["stated_horizon", "drawn_horizon"])
def test_fleet_draws_plans_count_only_after_the_last_filed_quarter(horizon):
    days = pd.date_range("2024-01-01", "2025-03-01", freq="D")
    plans = pd.DataFrame([
        # 365.25e9 over 1 year (365.25 days; stated, or drawn as plan_horizon_years = 1) = 1e9 USD per day
        ("a1", "Microsoft", "2024-02-01", 365.25e9, "ai_datacenter", horizon, None),
        ("a2", "Microsoft", "2024-02-01", 365.25e9, "ai_datacenter", horizon, "a1"),     # duplicate: ignored
        ("a3", "Amazon", "2024-02-01", 365.25e9, "total_capex", horizon, None),
        ("a4", "Amazon", "2024-02-01", 1e12, "cloud_region", horizon, None),             # other scope: ignored
    ], columns=ANNOUNCEMENT_COLUMNS)
    out = fleet.fleet_draws(one_quarter(), plans, NO_LINES, days, fleet_draw_set(gpu_share_of_ai_capex=0.4))
    assert sorted(out) == ["Amazon", "Microsoft"]
    msft, amzn = out["Microsoft"]["installed"], out["Amazon"]["installed"]
    # Microsoft up to its last filed day (03-31): the filing only, 1,137,500 (the plan's Feb-Mar spend is in it)
    np.testing.assert_allclose(at(days, msft, "2024-03-31"), [1_137_500], rtol=1e-6)
    # + April 1..10 of the plan: 10 x 1e9 x 0.4 AI-plan GPU share x 0.8 realised x 25,000 / 1e9 = 80,000
    np.testing.assert_allclose(at(days, msft, "2024-04-10"), [1_217_500], rtol=1e-6)
    # the plan runs 2024-02-01 + 365.25 days; after 03-31 that leaves 365.25 - 60 (Feb 1 .. Mar 31) = 305.25 days
    # x 1e9 x 0.4 x 0.8 x 25,000 / 1e9 = 2,442,000 + the filing's 1,137,500 = 3,579,500
    np.testing.assert_allclose(at(days, msft, "2025-03-01"), [3_579_500], rtol=1e-6)
    # Amazon has no filings: its plan counts from its announcement, at the total-capex GPU share (0.5):
    # Feb 1..10 = 10 x 1e9 x 0.5 x 0.8 x 25,000 / 1e9 = 100,000; all of it = 365.25 x that / 10 = 3,652,500
    # before the announcement nothing covers Amazon's day: unknown, not zero
    np.testing.assert_allclose(at(days, amzn, "2024-01-31"), [np.nan])
    np.testing.assert_allclose(at(days, amzn, "2024-02-10"), [100_000], rtol=1e-6)
    np.testing.assert_allclose(at(days, amzn, "2025-03-01"), [3_652_500], rtol=1e-6)


def test_fleet_draws_leak_count_is_a_floor_and_its_own_idle_share():
    days = pd.date_range("2024-03-31", "2024-06-10", freq="D")
    lines = lines_frame([
        # document d1: 1.5 M at 0.6 busy + 0.5 M at 0.8 busy = 2 M devices in April
        dict(document_id="d1", company="Microsoft Azure", device_count=1_500_000, utilization_share=0.6,
             period_start="2024-04-01", period_end="2024-04-30"),
        dict(document_id="d1", row_index=1, company="Microsoft Azure", device_count=500_000,
             utilization_share=0.8, period_start="2024-04-01", period_end="2024-04-30"),
        dict(document_id="d1", row_index=2, company="Microsoft Azure", device_count=9_999_999,
             period_start="2024-04-01", period_end="2024-04-30", is_total_row=True),        # totals: skipped
        # document d2 (maybe a version of d1): 1 M, 04-15 .. 05-15, no utilisation
        dict(document_id="d2", company="Microsoft", device_count=1_000_000,
             period_start="2024-04-15", period_end="2024-05-15"),
        dict(document_id="d3", company="Oracle", device_count=100, utilization_share=0.9,
             period_start="2024-04-01", period_end="2024-04-01"),
    ])
    out = fleet.fleet_draws(one_quarter(), NO_PLANS, lines, days, fleet_draw_set(idle_share=[0.2, 0.5]))
    assert sorted(out) == ["Microsoft", "Oracle"]
    m = out["Microsoft"]
    i = {d: days.get_loc(T(d)) for d in ("2024-03-31", "2024-04-10", "2024-04-20", "2024-05-10", "2024-06-10")}
    # capex estimate 1,137,500 (91e9 x 0.5 x 25,000 / 1e9) vs the leak's 2,000,000 in April: the leak wins
    np.testing.assert_allclose(m["installed"][:, i["2024-04-10"]], [2_000_000, 2_000_000], rtol=1e-6)
    # 04-20: documents d1 (2 M) and d2 (1 M) overlap; the largest document counts, not their sum
    assert m["leak"][i["2024-04-20"]] == 2_000_000
    np.testing.assert_allclose(m["installed"][:, i["2024-04-20"]], [2_000_000, 2_000_000], rtol=1e-6)
    # 05-10: d2 alone says 1 M < 1,137,500: the capex estimate stays
    assert m["leak"][i["2024-05-10"]] == 1_000_000
    np.testing.assert_allclose(m["installed"][:, i["2024-05-10"]], [1_137_500, 1_137_500], rtol=1e-6)
    assert np.isnan(m["leak"][i["2024-06-10"]]) and np.isnan(m["leak"][i["2024-03-31"]])
    np.testing.assert_allclose(m["installed"][:, i["2024-06-10"]], [1_137_500, 1_137_500], rtol=1e-6)
    # idle = installed x the drawn idle share: 2 M x 0.2 = 400,000; 2 M x 0.5 = 1,000,000
    np.testing.assert_allclose(m["idle"][:, i["2024-04-10"]], [400_000, 1_000_000], rtol=1e-6)
    # leak idle share = 1 - (1.5 M x 0.6 + 0.5 M x 0.8) / 2 M = 1 - 1.3 / 2 = 0.35; none where no utilisation
    assert m["idle_share_leak"][i["2024-04-10"]] == approx(0.35)
    assert np.isnan(m["idle_share_leak"][i["2024-05-10"]])
    # a company known only from a leak: its count, and 1 - 0.9 = 0.1 idle
    o = out["Oracle"]
    np.testing.assert_allclose(o["installed"][:, days.get_loc(T("2024-04-01"))], [100, 100])
    # the day after the leak's period nothing covers Oracle: unknown, not zero
    np.testing.assert_allclose(o["installed"][:, days.get_loc(T("2024-04-02"))], [np.nan, np.nan])
    assert o["idle_share_leak"][days.get_loc(T("2024-04-01"))] == approx(0.1)


def test_company_daily_quantiles_and_basis():
    days = pd.date_range("2024-04-01", "2024-04-02", freq="D")
    f = {"X": {"installed": np.array([[100.0, 100.0], [200.0, 200.0], [300.0, 300.0]], dtype=np.float32),
               "idle": np.array([[10.0, 10.0], [20.0, 20.0], [30.0, 30.0]], dtype=np.float32),
               "leak": np.array([np.nan, 150.0]), "idle_share_leak": np.array([np.nan, 0.3])}}
    out = fleet.company_daily("X", f["X"], days, 0.2)
    # quantiles of 100, 200, 300 (linear): p05 = 100 + 0.05 x 2 x 100 = 110, p50 = 200, p95 = 290
    assert list(out["gpus_p05"]) == approx([110.0, 110.0]) and list(out["gpus_p50"]) == approx([200.0, 200.0])
    assert list(out["gpus_p95"]) == approx([290.0, 290.0]) and list(out["idle_gpus_p50"]) == approx([20.0, 20.0])
    assert list(out["basis"]) == ["capex", "capex; leak count as floor"]


# ---------------------------------------------------------------------------------------------------------------
# contribution


def coin_draws_fixture() -> contribution.CoinDraws:
    return contribution.CoinDraws(
        coin="BTC", algorithm="sha256d", dates=pd.date_range("2024-01-01", periods=3, freq="D"),
        fleet_hs=np.array([[1e18, 1e18, 1e18], [3e18, 3e18, 3e18]]), network_hs=np.array([9e18, 7e18, 0.0]),
        issued_coins=np.array([450.0, 450.0, 0.0]), close_usd=np.array([40_000.0, np.nan, 40_000.0]),
        pow_day=np.array([True, True, False]), consensus=np.array(["pow", "pow", "pos"], dtype=object),
        hashrate_basis="benchmark")


def test_coin_draws_share_coins_usd():
    c = coin_draws_fixture()
    # draw 0: 1 / (9 + 1) = 0.1; 1 / (7 + 1) = 0.125; not minable: 0. draw 1: 3 / 12 = 0.25; 3 / 10 = 0.3; 0
    np.testing.assert_allclose(c.share(), [[0.1, 0.125, 0.0], [0.25, 0.3, 0.0]])
    # coins = share x 450: 45, 56.25, 0 and 112.5, 135, 0
    np.testing.assert_allclose(c.coins(), [[45.0, 56.25, 0.0], [112.5, 135.0, 0.0]])
    # usd = coins x close: 45 x 40,000 = 1.8e6; 112.5 x 40,000 = 4.5e6; unknown close: unknown (NaN)
    np.testing.assert_allclose(c.usd(), [[1.8e6, np.nan, 0.0], [4.5e6, np.nan, 0.0]])
    # a given fleet hashrate, on chosen days: 7e18 / (7e18 + 7e18) = 0.5
    np.testing.assert_allclose(c.share(np.array([7e18]), cols=slice(1, 2)), [0.5])


def hand_devs() -> pd.DataFrame:
    return pd.DataFrame([
        (FLEET, "datacenter_gpu", "sha256d", 8e9, 700.0, "benchmark", "hashcat / 2"),
        (FLEET, "datacenter_gpu", "ethash", 240e6, 700.0, "benchmark", "lab"),
        (FLEET, "datacenter_gpu", "etchash", 240e6, 700.0, "benchmark via ethash", "lab"),
        (FLEET, "datacenter_gpu", "kawpow", 70e6, 700.0, "assumption", "toml"),
        ("NVIDIA A100", "datacenter_gpu", "randomx", 1e3, 200.0, "benchmark", "other device"),
    ], columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "basis", "source"])


def test_fleet_hashrate_benchmark_then_range_then_reason():
    draws = {"idle_share": np.zeros(3), "hashrate_fleet_kawpow": np.array([40e6, 70e6, 130e6]),
             "hashrate_fleet_ethash": np.array([1.0, 2.0, 3.0])}
    hs, how = contribution.fleet_hashrate("sha256d", hand_devs(), FLEET, draws)
    np.testing.assert_array_equal(hs, [8e9, 8e9, 8e9])
    assert how == "benchmark: hashcat / 2"
    hs, how = contribution.fleet_hashrate("etchash", hand_devs(), FLEET, draws)
    np.testing.assert_array_equal(hs, [240e6] * 3)
    assert how == "benchmark via ethash: lab"
    # a benchmark beats the range
    hs, _ = contribution.fleet_hashrate("ethash", hand_devs(), FLEET, draws)
    np.testing.assert_array_equal(hs, [240e6] * 3)
    # an 'assumption' row is not a benchmark: the per-draw range
    hs, how = contribution.fleet_hashrate("kawpow", hand_devs(), FLEET, draws)
    np.testing.assert_array_equal(hs, [40e6, 70e6, 130e6])
    assert how == "assumption range hashrate_fleet_kawpow"
    # another device's benchmark does not count
    hs, how = contribution.fleet_hashrate("randomx", hand_devs(), FLEET, draws)
    assert hs is None and how == f"no benchmark or range for {FLEET} on randomx"


def test_coin_draws_builds_fleet_hashrate_and_zeroes_pos_days():
    days = pd.date_range("2024-01-01", periods=2, freq="D")
    chain = pd.DataFrame({
        "coin": ["BTC", "BTC", "ETH", "ETH", "XMR"], "date": list(days) * 2 + [days[0]],
        "consensus": ["pow", "pow", "pow", "pos", "pow"], "hashrate_hs": [8e14, 8e14, 1e15, 0.0, 5e9],
        "issued_coins": [450.0, 450.0, 13000.0, 2000.0, 432.0], "fees_known": True,
        "close_usd": [40_000.0, 41_000.0, 2000.0, 2100.0, 150.0], "market_cap_usd": np.nan,
        "algorithm": ["sha256d", "sha256d", "ethash", "ethash", "randomx"],
        "pow_day": [True, True, True, False, True], "minable": [True, True, True, False, True]})
    idle = np.array([[1000.0, 1000.0], [2000.0, 2000.0]], dtype=np.float32)
    draws = {"idle_share": np.zeros(2), "hashrate_fleet_ethash": np.array([200e6, 300e6])}
    out, skipped = contribution.coin_draws(chain, idle, days, hand_devs().iloc[[0, 3]], FLEET, draws)
    assert [c.coin for c in out] == ["BTC", "ETH"]
    assert skipped == [f"XMR: no benchmark or range for {FLEET} on randomx"]
    btc, eth = out
    # 1000 idle x 8e9 = 8e12 H/s; 2000 x 8e9 = 1.6e13
    np.testing.assert_allclose(btc.fleet_hs, [[8e12, 8e12], [1.6e13, 1.6e13]])
    # ETH day 1: 1000 x 200e6 = 2e11, 2000 x 300e6 = 6e11; day 2 is proof of stake: nothing, no issuance
    np.testing.assert_allclose(eth.fleet_hs, [[2e11, 0.0], [6e11, 0.0]])
    np.testing.assert_array_equal(eth.issued_coins, [13000.0, 0.0])
    assert eth.hashrate_basis == "assumption range hashrate_fleet_ethash"
    # share of BTC on day 1, draw 0: 8e12 / (8e14 + 8e12) = 1 / 101
    assert btc.share()[0, 0] == approx(1 / 101, rel=1e-6)            # fleet H/s are float32
    np.testing.assert_array_equal(eth.share()[:, 1], [0.0, 0.0])


def test_contribution_daily_quantiles_through_the_formulas():
    c = coin_draws_fixture()
    c.fleet_hs = np.array([[1e18] * 3, [2e18] * 3, [3e18] * 3])
    out = contribution.contribution_daily([c], None, c.dates)
    # p50 fleet = 2e18; day 1: 2 / (9 + 2) = 0.181818; coins 450 x 2/11 = 81.818; usd x 40,000 = 3,272,727
    assert out.loc[0, "fleet_hashrate_hs_p50"] == approx(2e18)
    assert out.loc[0, "network_share_p50"] == approx(2 / 11)
    assert out.loc[0, "coins_per_day_p50"] == approx(900 / 11)
    assert out.loc[0, "usd_per_day_p50"] == approx(36e6 / 11)
    # fleet / network at p50: 2e18 / 9e18
    assert out.loc[0, "fleet_to_network_p50"] == approx(2 / 9)
    # non-minable day: zero share, coins and USD
    last = out.iloc[2]
    assert last["network_share_p95"] == 0 and last["coins_per_day_p95"] == 0 and last["usd_per_day_p95"] == 0
    assert last["fleet_to_network_p50"] == 0


# ---------------------------------------------------------------------------------------------------------------
# attribution

WINDOW = attribution.Window("jan", T("2024-01-01"), T("2024-01-31"))


def prices_frame() -> pd.DataFrame:
    return pd.DataFrame([
        ("BTC", "2023-12-31", 30_000.0, 6e11),       # before the window
        ("BTC", "2024-01-01", 40_000.0, 8e11),
        ("BTC", "2024-01-30", 50_000.0, 9.8e11),
        ("BTC", "2024-01-31", 0.0, np.nan),          # not a price: 01-30 is the last priced day
        ("BTC", "2024-02-01", 60_000.0, 1.2e12),     # after the window
        ("ETH", "2024-01-02", 2000.0, np.nan),
        ("ETH", "2024-01-20", 4000.0, np.nan),
        ("XMR", "2024-01-02", 150.0, np.nan),
        ("XMR", "2024-01-03", 160.0, np.nan),
        ("ETC", "2024-01-03", 20.0, np.nan),
    ], columns=["asset", "date", "close_usd", "market_cap_usd"])


def test_rally_log_return_and_market_value():
    supply = {"ETH": (120e6, "etherscan")}
    btc = attribution.rally(prices_frame(), "BTC", WINDOW, supply)
    # ln(50,000 / 40,000) = ln 1.25 = 0.22314; market value = the data's market cap on the first day
    assert btc.log_return == approx(math.log(1.25)) and btc.log_return == approx(0.2231435513)
    assert (btc.first_day, btc.last_day) == (T("2024-01-01"), T("2024-01-30"))
    assert btc.market_value_usd == 8e11 and btc.market_value_how == "core.prices_daily.market_cap_usd"
    eth = attribution.rally(prices_frame(), "ETH", WINDOW, supply)
    # ln(4000 / 2000) = ln 2 = 0.693147; no market cap: 2000 x 120e6 = 2.4e11
    assert eth.log_return == approx(0.6931471806)
    assert eth.market_value_usd == approx(2.4e11) and eth.market_value_how.startswith("close x supply 1.2e+08")
    xmr = attribution.rally(prices_frame(), "XMR", WINDOW, supply)
    assert xmr.market_value_usd is None and "no market cap and no supply for XMR" in xmr.market_value_how
    assert attribution.rally(prices_frame(), "ETC", WINDOW, supply) is None      # one priced day
    assert attribution.rally(prices_frame(), "LTC", WINDOW, supply) is None      # none


def test_flow_log_return():
    # ln(1 + 5 x 1e9 / 1e12) = ln 1.005 = 0.0049875415; ln(1 + 10 x 1e9 / 1e12) = ln 1.01 = 0.00995033
    np.testing.assert_allclose(attribution.flow_log_return(np.array([1e9, 1e9]), np.array([5.0, 10.0]), 1e12),
                               [0.0049875415, 0.0099503309], rtol=1e-8)
    # an outflow: ln(1 - 2 x 1e11 / 1e12) = ln 0.8 = -0.22314
    assert attribution.flow_log_return(np.array([-1e11]), np.array([2.0]), 1e12)[0] == approx(-0.2231435513)
    assert np.isnan(attribution.flow_log_return(np.array([1e9]), np.array([5.0]), None)).all()


def test_hashrate_log_return():
    # -ln(1 - 0.5) = 0.693147, -ln(1 - 0.2) = 0.2231436: the log hashrate a fleet with that share of blocks adds
    np.testing.assert_allclose(attribution.log_hashrate_added(np.array([0.5, 0.2, 0.0])),
                               [0.6931471806, 0.2231435513, 0.0], rtol=1e-8)
    assert np.isfinite(attribution.log_hashrate_added(np.array([1.0]))).all()
    # from 0 at the start to s at the end: 0.02 x 0.693147 = 0.0138629; 0.1 x 0.2231436 = 0.0223144
    np.testing.assert_allclose(attribution.hashrate_log_return(np.zeros(2), np.array([0.6931471806, 0.2231435513]),
                                                               np.array([0.02, 0.1])),
                               [0.0138629436, 0.0223143551], rtol=1e-8)


def test_channel_draws_and_residual():
    r = attribution.Rally("BTC", WINDOW, T("2024-01-01"), T("2024-01-31"), 0.5, 1e12, "cap")
    draws = {"idle_share": np.zeros(2), "hashrate_price_elasticity": np.array([0.02, 0.1]),
             "held_share": np.array([0.5, 1.0]), "price_impact_multiplier": np.array([5.0, 10.0]),
             "event_sampling_z": np.array([0.0, 1.0])}
    cars = pd.DataFrame({"status": ["ok", "ok"], "car": [0.03, 0.01], "car_se": [0.03, 0.04]})
    ch = attribution.channel_draws(r, attribution.MINING, draws, hashrate_added=(np.zeros(2), np.log([2.0, 2.0])),
                                   flow_usd=np.array([2e9, 2e9]), cars=cars)
    # hashrate: [0.02, 0.1] x (ln 2 - 0) = [0.0138629, 0.0693147]
    np.testing.assert_allclose(ch["hashrate"], [0.0138629436, 0.0693147181], rtol=1e-8)
    # flow: held 2e9 x [0.5, 1] = [1e9, 2e9] x [5, 10] / 1e12 = [0.005, 0.02] -> ln 1.005, ln 1.02
    np.testing.assert_allclose(ch["flow"], [0.0049875415, 0.0198026273], rtol=1e-8)
    # event: 0.03 + 0.01 = 0.04 + z x sqrt(0.03^2 + 0.04^2) = 0.04 + z x 0.05 -> [0.04, 0.09]
    np.testing.assert_allclose(ch["event"], [0.04, 0.09], rtol=1e-12)
    # residual = 0.5 - (0.0138629 + 0.0049875 + 0.04) = 0.4411496; 0.5 - (0.0693147 + 0.0198026 + 0.09) = 0.3208827
    np.testing.assert_allclose(ch["residual"], [0.4411495149, 0.3208826546], rtol=1e-8)
    # the yardstick: no hashrate channel, every flow counted (held share not applied):
    # 2e9 x [5, 10] / 1e12 = [0.01, 0.02] -> ln 1.01, ln 1.02
    y = attribution.channel_draws(r, attribution.YARDSTICK, draws, flow_usd=2e9, cars=None)
    assert np.isnan(y["hashrate"]).all()   # not applicable: NULL, not a known 0 (issue 16)
    np.testing.assert_array_equal(y["event"], [0.0, 0.0])
    np.testing.assert_allclose(y["flow"], [0.0099503309, 0.0198026273], rtol=1e-8)
    np.testing.assert_allclose(y["residual"], [0.4900496691, 0.4801973727], rtol=1e-8)


def test_window_mining_mean_share_usd_and_coverage():
    c = coin_draws_fixture()
    r = attribution.Rally("BTC", WINDOW, T("2024-01-01"), T("2024-01-04"), 0.1, 1e12, "cap")
    pow_days = pd.DatetimeIndex([T("2024-01-01"), T("2024-01-02")])        # by the consensus table
    share, usd, note = attribution.window_mining(c, r, 2, pow_days)
    # 4 calendar days; draw 0 shares 0.1 + 0.125 = 0.225 / 4 = 0.05625; draw 1 (0.25 + 0.3) / 4 = 0.1375
    np.testing.assert_allclose(share, [0.05625, 0.1375])
    assert note == "network data on 2 of 2 proof-of-work days"
    # 01-02 has no close: the USD mined over the window is unknown
    assert np.isnan(usd).all()
    one_day = attribution.Rally("BTC", WINDOW, T("2024-01-01"), T("2024-01-01"), 0.1, 1e12, "cap")
    share, usd, _ = attribution.window_mining(c, one_day, 2, pow_days)
    np.testing.assert_allclose(share, [0.1, 0.25])                   # one day: its share
    np.testing.assert_allclose(usd, [1.8e6, 4.5e6])                  # 45 and 112.5 BTC x 40,000
    # Without a consensus table, 01-04 (no chain row) may be proof of work: 2 of 3 days covered < 80 %: unknown.
    share, usd, note = attribution.window_mining(c, r, 2)
    assert np.isnan(share).all() and np.isnan(usd).all() and "cover 2 of the window's 3" in note
    # No network data at all for a proof-of-work coin: unknown, never zero.
    share, _, note = attribution.window_mining(None, r, 2, pow_days)
    assert np.isnan(share).all() and "cover 0 of" in note
    # No proof-of-work day in the window (ETH after the Merge): nothing to mine, known to be zero.
    share, usd, note = attribution.window_mining(None, r, 2, pd.DatetimeIndex([]))
    np.testing.assert_array_equal(share, [0.0, 0.0])
    np.testing.assert_array_equal(usd, [0.0, 0.0])
    # Covered days are scaled up to every proof-of-work day: 9 of 10 days at share s -> mean = s x 10/9 x 9/10 = s.
    ten = contribution.CoinDraws(
        coin="BTC", algorithm="sha256d", dates=pd.date_range("2024-01-01", periods=9, freq="D"),
        fleet_hs=np.full((1, 9), 1e18), network_hs=np.full(9, 9e18), issued_coins=np.full(9, 450.0),
        close_usd=np.full(9, 1.0), pow_day=np.ones(9, dtype=bool), consensus=np.array(["pow"] * 9, dtype=object),
        hashrate_basis="benchmark")
    r10 = attribution.Rally("BTC", WINDOW, T("2024-01-01"), T("2024-01-10"), 0.1, 1e12, "cap")
    share, usd, note = attribution.window_mining(ten, r10, 1, pd.date_range("2024-01-01", "2024-01-10"))
    np.testing.assert_allclose(share, [0.1])                         # 1 / (9 + 1)
    np.testing.assert_allclose(usd, [45.0 * 10])                     # 45 coins x 1 USD on each of 10 days
    assert note.endswith("(scaled up to all of them)")


def test_mining_events_kinds_and_capex_plans():
    events = pd.DataFrame([("2024-01-05", None, "capex", "capex everywhere"), ("2024-01-06", "ETH", "leak", "eth only"),
                           ("2024-01-07", "BTC", "mining", "btc mining"), ("2024-01-08", None, "etf", "not a kind")],
                          columns=["date", "asset", "kind", "title"])
    plans = pd.DataFrame([
        ("a1", "Microsoft", "2024-03-29", 100e9, "ai_datacenter", np.nan, None),
        ("a2", "Microsoft", "2024-03-30", 100e9, "ai_datacenter", np.nan, "a1"),    # duplicate
        ("a3", "Amazon", "2024-03-28", 150e9, "total_capex", 15.0, None),           # not an AI plan
    ], columns=ANNOUNCEMENT_COLUMNS)
    out = attribution.mining_events(events, plans, ["capex", "leak", "mining"], "BTC")
    got = sorted(zip(pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d"), out["kind"], out["title"]))
    assert got == [
        ("2024-01-05", "capex", "capex everywhere"),
        ("2024-01-07", "mining", "btc mining"),
        ("2024-03-29", "capex_announcement", "Microsoft AI data-center plan 100.0 bn USD"),
    ]
    only_capex = attribution.mining_events(events, plans, ["capex"], "BTC")
    assert sorted(only_capex["kind"]) == ["capex", "capex_announcement"]


def test_summarise_four_channels_quantiles_and_shares():
    r = attribution.Rally("BTC", WINDOW, T("2024-01-01"), T("2024-01-31"), 0.5, 1e12, "cap")
    values = np.linspace(0.0, 0.1, 101)           # quantiles: p05 = 0.005, p50 = 0.05, p95 = 0.095
    channels = {"hashrate": values, "flow": np.full(101, np.nan), "event": values * 2, "residual": 0.5 - 3 * values}
    methods = {c: f"method {c}" for c in attribution.CHANNELS}
    out = attribution.summarise(r, attribution.MINING, channels, methods, {"flow": "market value: cap"})
    assert list(out["channel"]) == ["hashrate", "flow", "event", "residual"]
    h = out.set_index("channel").loc["hashrate"]
    assert (h["log_return_p05"], h["log_return_p50"], h["log_return_p95"]) == (
        approx(0.005), approx(0.05), approx(0.095))
    # share = log return / rally: 0.005 / 0.5 = 0.01, 0.05 / 0.5 = 0.1, 0.095 / 0.5 = 0.19
    assert (h["share_p05"], h["share_p50"], h["share_p95"]) == (approx(0.01), approx(0.1), approx(0.19))
    e = out.set_index("channel").loc["event"]
    assert e["share_p50"] == approx(0.2)                               # 0.1 / 0.5
    res = out.set_index("channel").loc["residual"]
    assert res["log_return_p50"] == approx(0.35)                       # 0.5 - 3 x 0.05
    assert res["share_p05"] == approx(0.43) and res["share_p95"] == approx(0.97)   # (0.5 - 0.285) / 0.5, 0.485/0.5
    finite = out.dropna(subset=["log_return_p50"])
    assert len(finite) == 3 and out.set_index("channel").loc["flow", ["share_p50", "log_return_p50"]].isna().all()
    assert (finite["log_return_p05"] <= finite["log_return_p50"]).all()
    assert (finite["log_return_p50"] <= finite["log_return_p95"]).all()
    assert (finite["share_p05"] <= finite["share_p50"]).all() and (finite["share_p50"] <= finite["share_p95"]).all()
    assert set(out["subject"]) == {attribution.MINING} and (out["rally_log_return"] == 0.5).all()
    assert out.set_index("channel").loc["flow", "inputs"] == "market value: cap"


# ---------------------------------------------------------------------------------------------------------------
# stage


def tiny_inputs() -> stage.ModelInputs:
    days = pd.date_range("2024-01-01", "2024-01-20", freq="D")
    pos_from = T("2024-01-11")
    net = []
    for d in days:
        net.append(("BTC", d.date(), 5e20, 7e13, 6.25, 144.0, np.nan, 20.0, "pow"))
        pos = d >= pos_from
        net.append(("ETH", d.date(), 0.0 if pos else 1e15, np.nan, np.nan, np.nan, 2000.0 if pos else 13000.0,
                    np.nan, "pos" if pos else "pow"))
    prices = [("BTC", d.date(), 40_000.0 * (1 + 0.01 * i), 8e11 * (1 + 0.01 * i)) for i, d in enumerate(days)]
    prices += [("ETH", d.date(), 2000.0 * (1 + 0.005 * i), np.nan) for i, d in enumerate(days)]
    specs = pd.DataFrame([(FLEET, "datacenter_gpu", "sha256d", 8e9, 700.0, "hashcat / 2"),
                          ("NVIDIA A100", "datacenter_gpu", "ethash", 170e6, 200.0, "nicehash")], columns=SPEC_COLUMNS)
    return stage.ModelInputs(
        network=pd.DataFrame(net, columns=NETWORK_COLUMNS),
        prices=pd.DataFrame(prices, columns=["asset", "date", "close_usd", "market_cap_usd"]),
        specs=specs, coins=COINS,
        quarterly=pd.DataFrame([("Microsoft", "MSFT", "2023-09-30", 10e9), ("Microsoft", "MSFT", "2023-12-31", 11e9)],
                               columns=QUARTER_COLUMNS),
        announcements=NO_PLANS, lines=NO_LINES,
        events=pd.DataFrame(columns=["date", "asset", "kind", "title"]),
        flows=pd.DataFrame(columns=["date", "asset", "fund", "net_flow_usd"]),
        documents=pd.DataFrame(columns=["document_id", "path"]))


@pytest.fixture(scope="module")
def staged():
    text = TOML.replace("draws = 10000", "draws = 2000")
    assert text != TOML
    a = assumptions.parse(text)
    return a, stage.run_models(tiny_inputs(), a, {"jan": ("2024-01-01", "2024-01-20")})


def test_run_models_stamps_every_mart(staged):
    a, marts = staged
    assert a.draws == 2000
    assert set(marts) == {"model_assumptions", "mining_profitability_daily", "ai_fleet_daily",
                          "mining_contribution_daily", "rally_attribution", "event_study", "sensitivity"}
    for name, frame in marts.items():
        assert "assumption_set" in frame.columns, name
        assert (frame["assumption_set"] == a.set_id).all(), name
        assert (frame["model_version"] == stage.MODEL_VERSION).all(), name
        if name != "event_study":                                      # no events: no clusters
            assert len(frame), name


def test_run_models_nothing_mined_on_proof_of_stake_days(staged):
    _, marts = staged
    profit = marts["mining_profitability_daily"]
    eth = profit[profit["coin"] == "ETH"]
    assert len(eth) and eth["date"].max() == T("2024-01-10")
    assert set(profit["coin"]) == {"BTC", "ETH"}
    contrib = marts["mining_contribution_daily"]
    pos = contrib[(contrib["coin"] == "ETH") & (contrib["date"] >= T("2024-01-11"))]
    assert len(pos) == 10 and set(pos["consensus"]) == {"pos"}
    quantile_cols = [c for c in contrib.columns if c.startswith(("network_share_", "coins_per_day_", "usd_per_day_",
                                                                 "fleet_hashrate_hs_"))]
    assert len(quantile_cols) == 12
    assert (pos[quantile_cols] == 0).all().all()
    pow_days = contrib[(contrib["coin"] == "ETH") & (contrib["date"] < T("2024-01-11"))]
    assert len(pow_days) == 10 and (pow_days["network_share_p50"] > 0).all()
    btc = contrib[contrib["coin"] == "BTC"]
    assert len(btc) == 20 and (btc["usd_per_day_p50"] > 0).all()


def test_run_models_fleet_and_attribution(staged):
    a, marts = staged
    fl = marts["ai_fleet_daily"]
    assert set(fl["company"]) == {"Microsoft"} and len(fl) == 20
    # 21e9 USD filed in Q3 + Q4 2023, all within every service life (>= 4 years) on 2024-01-01:
    # installed = 21e9 x GPU share x GPUs per bn; at the extremes 21 x 0.10 x 20,000 = 42,000 and
    # 21 x 0.35 x 40,000 = 294,000
    assert (fl["gpus_p05"] >= 42_000 * 0.999).all() and (fl["gpus_p95"] <= 294_000 * 1.001).all()
    assert (fl["gpus_p05"] <= fl["gpus_p50"]).all() and (fl["gpus_p50"] <= fl["gpus_p95"]).all()
    ra = marts["rally_attribution"]
    assert set(ra["coin"]) == {"BTC", "ETH"}                 # ETC, XMR have no prices
    for coin in ("BTC", "ETH"):
        rows = ra[(ra["coin"] == coin) & (ra["subject"] == attribution.MINING)]
        assert list(rows["channel"]) == list(attribution.CHANNELS)
    btc = ra[ra["coin"] == "BTC"].iloc[0]
    # BTC 40,000 -> 40,000 x 1.19 over 20 days: ln 1.19 = 0.1739533
    assert btc["rally_log_return"] == approx(0.1739533071)
    assert btc["market_value_usd"] == 8e11
    eth = ra[ra["coin"] == "ETH"].iloc[0]
    # ETH 2000 -> 2000 x 1.095: ln 1.095 = 0.0907544; market value 2000 x 120.2e6 = 2.404e11 (the file's supply)
    assert eth["rally_log_return"] == approx(0.0907543633)
    assert eth["market_value_usd"] == approx(2.404e11)
    sens = marts["sensitivity"]
    assert set(sens["assumption"]) == set(a.ranges)


def test_run_models_with_a_price_gap_in_the_window():
    """A proof-of-work day without a close inside the window takes the last close up to a week old; past
    that the USD mined there is unknown, so the flow channel and the residual are unknown (NaN) for the idle
    fleet; the run still completes and the sensitivity leaves those rows unranked."""
    inputs = tiny_inputs()
    a = assumptions.parse(TOML.replace("draws = 10000", "draws = 2000"))
    one_day = (inputs.prices["asset"] == "BTC") & (inputs.prices["date"] == T("2024-01-10").date())
    short = dataclasses.replace(inputs, prices=inputs.prices[~one_day])
    ra = stage.run_models(short, a, {"jan": ("2024-01-01", "2024-01-20")})["rally_attribution"]
    ra = ra.set_index(["coin", "subject", "channel"])
    assert np.isfinite(ra.loc[("BTC", attribution.MINING, "flow"), "log_return_p50"])
    week = (inputs.prices["asset"] == "BTC") & inputs.prices["date"].between(T("2024-01-10").date(),
                                                                             T("2024-01-18").date())
    inputs.prices = inputs.prices[~week]
    marts = stage.run_models(inputs, a, {"jan": ("2024-01-01", "2024-01-20")})
    ra = marts["rally_attribution"].set_index(["coin", "subject", "channel"])
    assert np.isnan(ra.loc[("BTC", attribution.MINING, "flow"), "log_return_p50"])
    assert np.isnan(ra.loc[("BTC", attribution.MINING, "residual"), "log_return_p50"])
    # the hashrate channel stays known: the fleet (filings end 2023-12-31) and the network (5e20) are constant
    # over the window, so the fleet adds no hashrate within it: exactly 0, not unknown
    assert ra.loc[("BTC", attribution.MINING, "hashrate"), ["log_return_p05", "log_return_p95"]].tolist() == [0, 0]
    assert np.isfinite(ra.loc[("ETH", attribution.MINING, "residual"), "log_return_p50"])
    sens = marts["sensitivity"]
    flow = sens[(sens["coin"] == "BTC") & (sens["metric"] == "rally_share") & (sens["channel"] == "flow")]
    assert len(flow) == len(a.ranges) and flow["rank"].isna().all()
    ranked = sens[sens["swing"] > 0]
    assert len(ranked) and (ranked["rank"] >= 1).all()
    assert sens.loc[sens["swing"] == 0, "rank"].isna().all()          # no move, no rank
