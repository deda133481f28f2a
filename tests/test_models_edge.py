"""The model stage on partial warehouses: a folder with only leaks, only prices, no capex ... each gives
the marts it can (possibly empty) instead of failing the run."""
from importlib import resources

import duckdb
import pandas as pd
import pytest

from pipelines.defs.models import assets as model_assets
from pipelines.lib.models import assumptions, stage
from pipelines.lib.sql import load_sql

KEEPS = [(), ("network",), ("prices",), ("specs",), ("quarterly",), ("announcements",), ("lines",), ("events",),
         ("flows",), ("consensus",), ("network", "prices"), ("prices", "flows", "events"),
         ("quarterly", "network", "prices"), ("lines", "network", "prices", "specs")]


@pytest.fixture(scope="module")
def full_inputs(tmp_path_factory):
    """Every model input, read with the asset's own SQL from a warehouse holding a small hand-made slice."""
    con = duckdb.connect(str(tmp_path_factory.mktemp("edge") / "w.duckdb"))
    from pipelines.lib.sql import run_file
    run_file(con, "core/schema.sql")
    con.execute("INSERT INTO core.consensus_periods VALUES ('BTC', '2009-01-03', NULL, 'pow', 'genesis'), "
                "('ETH', '2015-07-30', '2022-09-15', 'pow', 'x'), ('ETH', '2022-09-15', NULL, 'pos', 'merge')")
    frames = {name: con.execute(load_sql(f"marts/models_{name}.sql")).df() for name in model_assets.INPUTS}
    days = pd.date_range("2024-01-01", "2024-03-31")
    frames["network"] = pd.DataFrame({"coin": "BTC", "date": days, "hashrate_hs": 6e20, "difficulty": None,
                                      "block_reward_coins": 6.25, "blocks_per_day": 144.0, "issuance_coins": None,
                                      "fees_coins": None, "consensus": "pow"})
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
    coins = pd.DataFrame({"ticker": ["BTC", "ETH"], "algorithm": ["sha256d", "ethash"], "names": ["bitcoin", "ethereum"]})
    marts = stage.run_models(stage.ModelInputs(coins=coins, **inputs), a)
    assert set(marts) == set(model_assets.MARTS)
    if {"network", "prices", "specs"} <= set(keep):      # no device, no profitability row
        assert len(marts["mining_profitability_daily"]) > 0
    if "prices" in keep:
        assert len(marts["rally_attribution"]) > 0
    if not keep:
        assert all(len(marts[m]) == 0 for m in model_assets.MARTS if m not in ("model_assumptions",))
