"""The model stage on partial warehouses: a folder with only leaks, only prices, no capex ... each gives
the marts it can (possibly empty) instead of failing the run, and what it cannot know is NULL with a reason,
never 0: the network slice has a ten-day gap and a day without hashrate for BTC, ETH on proof of stake (a known
0) whose rows end with January, and ETC, which the slice's consensus table does not list."""
from importlib import resources

import duckdb
import pandas as pd
import pytest

from pipelines.defs.models import assets as model_assets
from pipelines.lib.models import assumptions, stage
from pipelines.lib.warehouse.sql import load_sql

BTC_GAP = pd.date_range("2024-02-10", "2024-02-19")
BTC_NO_HASHRATE = pd.Timestamp("2024-03-05")
KEEPS = [(), ("network",), ("prices",), ("specs",), ("quarterly",), ("announcements",), ("lines",), ("events",),
         ("flows",), ("consensus",), ("network", "prices"), ("prices", "flows", "events"),
         ("quarterly", "network", "prices"), ("lines", "network", "prices", "specs")]


@pytest.fixture(scope="module")
def full_inputs(tmp_path_factory):
    """Every model input, read with the asset's own SQL from a warehouse holding a small hand-made slice."""
    con = duckdb.connect(str(tmp_path_factory.mktemp("edge") / "w.duckdb"))
    from pipelines.lib.warehouse.sql import run_file
    run_file(con, "core/schema.sql")
    con.execute("INSERT INTO core.consensus_periods VALUES ('BTC', '2009-01-03', NULL, 'pow', 'genesis'), "
                "('ETH', '2015-07-30', '2022-09-15', 'pow', 'x'), ('ETH', '2022-09-15', NULL, 'pos', 'merge')")
    frames = {name: con.execute(load_sql(f"marts/models_{name}.sql")).df() for name in model_assets.INPUTS}
    days = pd.date_range("2024-01-01", "2024-03-31")
    btc = pd.DataFrame({"coin": "BTC", "date": days, "hashrate_hs": 6e20, "difficulty": None,
                        "block_reward_coins": 6.25, "blocks_per_day": 144.0, "issuance_coins": None,
                        "fees_coins": None, "consensus": "pow"})
    btc = btc[~btc["date"].isin(BTC_GAP)]
    btc.loc[btc["date"] == BTC_NO_HASHRATE, "hashrate_hs"] = None
    january = days[days.month == 1]
    eth = pd.DataFrame({"coin": "ETH", "date": january, "hashrate_hs": 0.0, "difficulty": None,
                        "block_reward_coins": None, "blocks_per_day": None, "issuance_coins": 2600.0,
                        "fees_coins": None, "consensus": "pos"})
    etc = pd.DataFrame({"coin": "ETC", "date": days, "hashrate_hs": 1.8e14, "difficulty": None,
                        "block_reward_coins": 2.56, "blocks_per_day": 6500.0, "issuance_coins": None,
                        "fees_coins": None, "consensus": None})        # not in this slice's consensus table
    frames["network"] = pd.concat([btc, eth, etc], ignore_index=True)
    frames["prices"] = pd.DataFrame({"asset": "BTC", "date": days.date, "close_usd": 40_000.0, "market_cap_usd": None})
    frames["specs"] = pd.DataFrame([("NVIDIA H100 SXM", "datacenter_gpu", "sha256d", 8e9, 700.0, "x")],
                                   columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source"])
    frames["quarterly"] = pd.DataFrame([("Microsoft", "MSFT", pd.Timestamp("2023-12-31").date(), 11.5e9)],
                                       columns=["company", "ticker", "period_end", "capex_usd"])
    frames["lines"] = pd.DataFrame([("d1", 0, 0, "Microsoft Azure", "H100 SXM", 4096.0, 0.7,
                                     pd.Timestamp("2024-01-01").date(), pd.Timestamp("2024-01-31").date(), "BTC", 0.1,
                                     False)], columns=list(frames["lines"].columns))
    frames["flows"] = pd.DataFrame({"date": days.date[10:40], "asset": "BTC", "fund": "TOTAL", "net_flow_usd": 2e8})
    frames["events"] = pd.DataFrame([(pd.Timestamp("2024-03-28").date(), None, "capex", "plan")],
                                    columns=["date", "asset", "kind", "title"])
    return frames


@pytest.mark.parametrize("keep", KEEPS, ids=lambda k: "+".join(k) or "nothing")
def test_the_models_run_on_whatever_the_warehouse_holds(full_inputs, keep):
    text = resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")
    a = assumptions.parse(text.replace("draws = 10000", "draws = 500"))
    empty = {k: v.iloc[0:0] for k, v in full_inputs.items()}
    inputs = {k: (full_inputs[k] if k in keep else empty[k]) for k in full_inputs}
    coins = pd.DataFrame({"ticker": ["BTC", "ETH", "ETC"], "algorithm": ["sha256d", "ethash", "etchash"],
                          "names": ["bitcoin", "ethereum", "ethereum classic"]})
    marts = stage.run_models(stage.ModelInputs(coins=coins, **inputs), a)
    assert set(marts) == set(model_assets.MARTS)
    _unknown_is_null_and_zero_only_where_known(marts["mining_contribution_daily"], keep)
    if {"network", "prices", "specs"} <= set(keep):      # no device, no profitability row
        assert len(marts["mining_profitability_daily"]) > 0
    if "prices" in keep:
        assert len(marts["rally_attribution"]) > 0
    if not keep:
        assert all(len(marts[m]) == 0 for m in model_assets.MARTS if m not in ("model_assumptions",))


VALUES = ["network_share_p05", "network_share_p50", "network_share_p95", "coins_per_day_p05", "coins_per_day_p50",
          "coins_per_day_p95", "usd_per_day_p05", "usd_per_day_p50", "usd_per_day_p95", "fleet_to_network_p50"]


def _unknown_is_null_and_zero_only_where_known(contrib: pd.DataFrame, keep):
    """mining_contribution_daily's values on the slice: NULL with a reason on every day the inputs cannot
    price, 0 only on proof-of-stake days."""
    if "network" not in keep:                          # no chain data: no coin to contribute to
        return
    # ETH and ETC have an assumption range for the fleet's hashrate; BTC needs the H100's sha256d benchmark
    expected = {"ETH", "ETC"} | ({"BTC"} if "specs" in keep else set())
    assert set(contrib["coin"]) == expected
    days = pd.date_range("2024-01-01", "2024-03-31")
    by = {coin: rows.set_index("date").sort_index() for coin, rows in contrib.groupby("coin")}
    for coin, rows in by.items():
        assert list(rows.index) == list(days), coin    # one row per modelled day, with data or not
    # ETC: the consensus table does not list it, so whether it was mined is unknown, on every day
    etc = by["ETC"]
    assert etc[VALUES].isna().all().all()
    assert etc["unknown_reason"].str.contains("not in core.consensus_periods").all()
    # ETH in January: proof of stake by its network rows: a known zero, no reason
    eth = by["ETH"]
    jan = eth[eth.index.month == 1]
    assert (jan[VALUES] == 0).all().all() and jan["unknown_reason"].isna().all()
    # ETH from February: no network rows; the consensus table (when kept) still knows it is proof of stake
    later = eth[eth.index.month > 1]
    if "consensus" in keep:
        assert (later["consensus"] == "pos").all()
        assert (later[VALUES] == 0).all().all() and later["unknown_reason"].isna().all()
    else:
        assert later[VALUES].isna().all().all()
        assert (later["unknown_reason"] == "no network data for this day").all()
    if "BTC" in by:
        btc = by["BTC"]
        gap = btc.loc[BTC_GAP]
        assert gap[VALUES].isna().all().all() and (gap["unknown_reason"] == "no network data for this day").all()
        assert gap["network_hashrate_hs"].isna().all()
        no_hashrate = btc.loc[BTC_NO_HASHRATE]
        assert no_hashrate[VALUES].isna().all()
        assert no_hashrate["unknown_reason"] == "no positive network hashrate on this proof-of-work day"
        known = btc.drop(index=[*BTC_GAP, BTC_NO_HASHRATE])
        assert known["unknown_reason"].isna().all() and (known["network_hashrate_hs"] == 6e20).all()
        # no proof-of-work day of BTC is a stated 0 share where the network is unknown; where it is known the
        # share is the formula's (0 only when the fleet itself is 0)
        assert not ((btc["network_share_p50"] == 0) & btc["network_hashrate_hs"].isna()).any()
        if {"lines", "prices"} <= set(keep):            # the leaked line is January's fleet: a known share
            jan = known[known.index.month == 1]
            assert (jan[["network_share_p50", "coins_per_day_p50", "usd_per_day_p50"]] > 0).all().all()
