"""One basis for every power figure (issue 16, point 7): a datacenter GPU's power at the wall is its board power
x the assumptions' server overhead range, in mining_profitability_daily (central), in the fleet's power bill
(drawn) and in the leak checks' power band (low..high); and every range's draws centre on its central value,
so the Monte Carlo and the sensitivity's base case answer for the same world."""
from importlib import resources

import duckdb
import numpy as np
import pandas as pd
import pytest
from tests.lib.verification.test_plausibility import SPECS, frame, line

from pipelines.defs.models import assets as model_assets
from pipelines.lib.verification.plausibility import assess
from pipelines.lib.verification.power import POWER_COST_TOLERANCE, check_power_cost, server_overhead
from pipelines.lib.models import assumptions, fleet, mining, stage
from pipelines.lib.models.assumptions import AssumptionError
from pipelines.lib.warehouse.sql import load_sql, run_file

BUNDLED = resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")


def with_range(name: str, **fields) -> str:
    """The bundled assumptions text with one range's fields replaced."""
    head, rest = BUNDLED.split(f"[ranges.{name}]\n", 1)
    body, tail = rest.split("\n\n", 1)
    lines = [ln for ln in body.splitlines() if ln.split(" = ")[0] not in fields]
    lines += [f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in fields.items()]
    return head + f"[ranges.{name}]\n" + "\n".join(lines) + "\n\n" + tail


# ---------------------------------------------------------------------------------------------
# Distribution and central value agree
def test_elasticity_draws_centre_on_its_central_value():
    a = assumptions.load()
    r = a.ranges["hashrate_price_elasticity"]
    draws = a.sample()["hashrate_price_elasticity"]
    assert r.central == pytest.approx(0.02)
    # the Monte Carlo's median is the sensitivity's base case (it was 0.05 from a uniform 0-0.10)
    assert np.median(draws) == pytest.approx(r.central, rel=0.05)
    labels, base = a.scenarios()
    assert base["hashrate_price_elasticity"][0] == r.central
    assert draws.min() >= r.low and draws.max() <= r.high


def test_every_bundled_range_draws_around_its_central_value():
    a = assumptions.load()
    draws = a.sample()
    for name, r in a.ranges.items():
        if r.distribution == "triangular":      # its mode is central by construction
            continue
        width = np.log(r.high / r.low) if r.distribution == "loguniform" else r.high - r.low
        off = (abs(np.log(np.median(draws[name]) / r.central)) if r.distribution == "loguniform"
               else abs(np.median(draws[name]) - r.central))
        assert off / width <= assumptions.CENTRE_TOLERANCE + 0.01, name


@pytest.mark.parametrize("fields, says", [
    (dict(low=0.0, central=0.02, high=0.10, distribution="uniform"), "centre on 0.05 (the median (low + high) / 2)"),
    (dict(low=0.001, central=0.02, high=0.10, distribution="loguniform"),
     "centre on 0.01 (the median sqrt(low x high))"),
    (dict(low=-0.5, central=0.02, high=0.10, distribution="normal"), "centre on -0.2 (the mean (low + high) / 2)"),
])
def test_load_rejects_a_distribution_that_contradicts_its_central(tmp_path, fields, says):
    path = tmp_path / "assumptions.toml"
    path.write_text(with_range("hashrate_price_elasticity", **fields), encoding="utf-8")
    with pytest.raises(AssumptionError) as err:
        assumptions.load(path)
    text = str(err.value)
    assert "range 'hashrate_price_elasticity'" in text and says in text and "not on its central 0.02" in text
    # the same range with its central where the draws centre loads
    centre = {"uniform": 0.05, "loguniform": np.sqrt(0.001 * 0.10), "normal": -0.2}[fields["distribution"]]
    path.write_text(with_range("hashrate_price_elasticity", **{**fields, "central": centre}), encoding="utf-8")
    assert assumptions.load(path).ranges["hashrate_price_elasticity"].central == pytest.approx(centre)


def test_a_triangular_range_is_judged_by_its_mode():
    a = assumptions.parse(with_range("hashrate_price_elasticity", low=0.0, central=0.02, high=0.10,
                                     distribution="triangular"))
    assert a.ranges["hashrate_price_elasticity"].centre() == (0.02, "mode")


# ---------------------------------------------------------------------------------------------
# The wall-power basis in the models
@pytest.fixture(scope="module")
def inputs() -> stage.ModelInputs:
    """An H100 (board 700 W) and an ASIC on a quarter of BTC, one company's filed capex."""
    con = duckdb.connect()
    run_file(con, "core/schema.sql")
    frames = {name: con.execute(load_sql(f"marts/models_{name}.sql")).df() for name in model_assets.INPUTS}
    days = pd.date_range("2024-01-01", "2024-03-31")
    frames["network"] = pd.DataFrame({"coin": "BTC", "date": days, "hashrate_hs": 6e20, "difficulty": None,
                                      "block_reward_coins": 6.25, "blocks_per_day": 144.0, "issuance_coins": None,
                                      "fees_coins": None, "consensus": "pow"})
    frames["prices"] = pd.DataFrame({"asset": "BTC", "date": days.date, "close_usd": 40_000.0, "market_cap_usd": None})
    frames["specs"] = pd.DataFrame([("NVIDIA H100 SXM", "datacenter_gpu", "sha256d", 8e9, 700.0, "x"),
                                    ("Bitmain Antminer S21", "asic", "sha256d", 200e12, 3500.0, "y")],
                                   columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source"])
    frames["quarterly"] = pd.DataFrame([("Microsoft", "MSFT", pd.Timestamp("2023-12-31").date(), 11.5e9)],
                                       columns=["company", "ticker", "period_end", "capex_usd"])
    coins = pd.DataFrame({"ticker": ["BTC"], "algorithm": ["sha256d"], "names": ["bitcoin"]})
    return stage.ModelInputs(coins=coins, **frames)


def test_profitability_prices_a_datacenter_gpu_at_board_power_times_the_central_overhead(inputs):
    a = assumptions.parse(BUNDLED.replace("draws = 10000", "draws = 200"))
    overhead, pue = a.ranges["server_overhead"], a.ranges["pue"].central
    assert (overhead.low, overhead.central, overhead.high) == (1.0, 1.4, 1.82)
    profit = stage.run_models(inputs, a)["mining_profitability_daily"]
    h100 = profit[(profit["device"] == "NVIDIA H100 SXM") & (profit["price_basis"] == "reference")]
    at = h100.set_index("electricity_usd_per_kwh")
    for price in a.reference_usd_per_kwh:
        # 700 W x 1.4 = 980 W at the wall x 24 h x PUE 1.2 x price
        expected = 700 * 1.4 / 1000 * 24 * pue * price
        assert at.loc[price, "power_cost_usd_per_day"].unique() == pytest.approx([expected])
        assert at.loc[price, "margin_usd_per_day"].to_numpy() == pytest.approx(
            (at.loc[price, "revenue_usd_per_day"] - expected).to_numpy())
    assert h100["device_power_w"].to_numpy() == pytest.approx(np.full(len(h100), 980.0))
    assert set(h100["device_board_power_w"]) == {700.0}
    assert set(h100["power_basis"]) == {"wall: board power x server overhead 1.4 (model_assumptions.toml "
                                        "server_overhead, central)"}
    assert h100["device_j_per_gh"].iloc[0] == pytest.approx(980 / 8)
    # an ASIC's published power is already at the wall
    asic = profit[profit["device"] == "Bitmain Antminer S21"]
    assert set(asic["device_power_w"]) == {3500.0} and set(asic["device_board_power_w"]) == {3500.0}
    assert set(asic["power_basis"]) == {"wall: published power (an ASIC's figure is at the plug)"}
    first = asic.iloc[0]
    assert first["power_cost_usd_per_day"] == pytest.approx(3.5 * 24 * pue * first["electricity_usd_per_kwh"])


def test_the_fleets_power_bill_draws_the_server_overhead(inputs):
    a = assumptions.load()
    labels, draws = a.scenarios()
    chain = mining.chain_daily(inputs.network, inputs.prices, inputs.coins)
    devs = mining.devices(inputs.specs, a.fleet_device, a.fleet_device_power_w, {})
    sim = stage.simulate(inputs, a, draws, chain, devs, [], [])
    # the same draws' fleet, company by company (simulate keeps only its summary)
    companies = fleet.fleet_draws(inputs.quarterly, inputs.announcements, inputs.lines, sim.days, draws,
                                  a.company_ranges(fleet.CAPEX_SHARE))
    idle = sum(f["idle"] for f in companies.values()).astype(float)
    assert idle[:, -1].min() > 0
    per_gpu = sim.power_cost[:, -1] / idle[:, -1]
    row = {(name, end): i for i, (name, end) in enumerate(zip(labels["assumption"], labels["end"]))}
    pue, price = a.ranges["pue"].central, a.ranges["fleet_usd_per_kwh"].central
    # every scenario but server_overhead's at the central 1.4; its low and high end at 1.0 and 1.82
    for scenario, factor in [(0, 1.4), (row["server_overhead", "low"], 1.0), (row["server_overhead", "high"], 1.82)]:
        assert per_gpu[scenario] == pytest.approx(700 * factor / 1000 * 24 * pue * price, rel=1e-5)


# ---------------------------------------------------------------------------------------------
# The same basis in the leak checks
def board_line(times_board: float) -> pd.DataFrame:
    # 1000 H100 x 700 W board = 700 kW, PUE 1, 100 idle hours, 0.1 USD/kWh: 7,000 USD at 1.0 x board power
    return frame(line(power_kw=None, pue=1.0, idle_hours=100.0, utilization_share=None, electricity_price_native=0.1,
                      claimed_opex_native=7000.0 * times_board))


def test_the_power_cost_band_is_board_power_times_the_overhead_range():
    overhead = assumptions.load().ranges["server_overhead"]
    assert server_overhead() == overhead
    at_board = check_power_cost(board_line(1.0), SPECS).iloc[0]
    assert at_board["verdict"] == "plausible"
    assert at_board["expected_low"] == pytest.approx(7000 * 1.0 * (1 - POWER_COST_TOLERANCE))
    assert at_board["expected_high"] == pytest.approx(7000 * 1.82 * (1 + POWER_COST_TOLERANCE))
    assert check_power_cost(board_line(1.75), SPECS).iloc[0]["verdict"] == "plausible"
    twice = check_power_cost(board_line(2.0), SPECS).iloc[0]
    assert twice["verdict"] == "implausible"
    assert ("700-1,274 kW at the wall (1,000 x 700 W board power x a server overhead of 1-1.82 for host CPUs, fans "
            "and power-supply losses, the models' wall-power basis)") in twice["reason"]
    assert "server overhead 1-1.82 (model_assumptions.toml server_overhead)" in twice["inputs"]


def test_the_power_cost_band_follows_the_range_it_is_given():
    narrow = assumptions.Range("server_overhead", 1.2, 1.3, 1.4, "x", "triangular", "test")
    at_board = check_power_cost(board_line(1.0), SPECS, narrow).iloc[0]
    assert at_board["verdict"] == "implausible"
    assert at_board["expected_low"] == pytest.approx(7000 * 1.2 * (1 - POWER_COST_TOLERANCE))
    assert at_board["expected_high"] == pytest.approx(7000 * 1.4 * (1 + POWER_COST_TOLERANCE))


def test_the_leak_checks_take_the_overhead_of_the_assumptions_file_they_are_given(tmp_path):
    """LEAKPIPE_ASSUMPTIONS reaches the leak checks through the model_assumptions resource: the asset passes
    the file's server overhead to assess; without a file it is the bundled one."""
    from tests.lib.verification.test_plausibility import CONSENSUS, D, network

    other = tmp_path / "assumptions.toml"
    other.write_text(with_range("server_overhead", low=1.2, central=1.3, high=1.4))
    narrow = server_overhead(other)
    assert (narrow.low, narrow.central, narrow.high) == (1.2, 1.3, 1.4)
    assert server_overhead() == assumptions.load().ranges["server_overhead"]
    first_seen = pd.Series({"doc": D(2025, 1, 1)})
    power = {name: out[out["claim"] == "power_cost"].iloc[0]
             for name, out in [("bundled", assess(board_line(1.0), SPECS, network(), CONSENSUS, first_seen)),
                               ("other", assess(board_line(1.0), SPECS, network(), CONSENSUS, first_seen, narrow))]}
    assert power["bundled"]["verdict"] == "plausible" and power["other"]["verdict"] == "implausible"
    assert power["other"]["expected_high"] == pytest.approx(7000 * 1.4 * (1 + POWER_COST_TOLERANCE))
