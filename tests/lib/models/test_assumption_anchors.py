"""The H100 hashrate ranges on the GPU algorithms are assumptions anchored on stored GA100 figures (A100, CMP 170HX)
scaled by memory bandwidth; the model uses them wherever core.hardware_specs has no H100 figure."""
import numpy as np
import pytest

from pipelines.lib.models import assumptions, contribution, mining
from pipelines.lib.sources.hardware import parse_hardware_file
from tests.conftest import SHARED_DATA

BENCHMARKS = SHARED_DATA / "gpu_mining_benchmarks" / "gpu_hashrate_benchmarks.csv"
ANCHORED = ("ethash", "etchash", "kawpow", "kheavyhash", "randomx")
FLEET = "NVIDIA H100 SXM"


def test_every_gpu_algorithm_range_writes_its_anchor():
    a = assumptions.load()
    for algo in ANCHORED:
        r = a.ranges[f"hashrate_fleet_{algo}"]
        anchor = dict(r.anchor)
        assert anchor["anchor_algorithm"] == algo and anchor["anchor_source"], r.name
        assert r.low <= anchor["anchor_scaled_hs"] <= r.high, r.name
        assert "anchor:" in a.table().set_index("name").loc[r.name, "source"]


def test_a_range_that_excludes_its_anchor_is_refused():
    text = assumptions.resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")
    broken = text.replace("anchor_scaled_hs = 366.2e6", "anchor_scaled_hs = 500e6")
    with pytest.raises(assumptions.AssumptionError, match="anchor_scaled_hs"):
        assumptions.parse(broken)
    old = text.replace("low = 170e6\ncentral = 360e6\nhigh = 420e6", "low = 150e6\ncentral = 200e6\nhigh = 300e6", 1)
    with pytest.raises(assumptions.AssumptionError, match="does not hold its own anchor"):
        assumptions.parse(old)


@pytest.mark.realdata
def test_each_range_holds_the_bandwidth_scaled_anchor_from_the_benchmark_file():
    if not BENCHMARKS.is_file():
        pytest.skip(f"real data not found at {BENCHMARKS} (set LEAKPIPE_SHARED_DATA to the shared data folder)")
    rows = parse_hardware_file(BENCHMARKS, assumptions.dt.date(2026, 11, 26)).rows
    a = assumptions.load()
    for algo in ANCHORED:
        r = a.ranges[f"hashrate_fleet_{algo}"]
        anchor = dict(r.anchor)
        stored = rows[(rows["device"] == anchor["anchor_device"]) & (rows["algorithm"] == algo)]
        assert len(stored) == 1, (algo, anchor["anchor_device"])
        figure = stored["hashrate_hs"].iloc[0]
        assert figure == pytest.approx(anchor["anchor_hashrate_hs"]), algo
        assert anchor["anchor_source"].startswith(stored["source_kind"].iloc[0] + ":"), algo
        scaled = figure * anchor["fleet_bandwidth_tbs"] / anchor["anchor_bandwidth_tbs"]
        assert r.low <= scaled <= r.high, f"{algo}: {scaled:.4g} outside [{r.low:.4g}, {r.high:.4g}]"
    # the two GA100 anchors agree on the memory-bound hash: A100 Ethash and CMP Etchash scale to within 3 %
    ethash, etchash = (dict(a.ranges[f"hashrate_fleet_{x}"].anchor)["anchor_scaled_hs"] for x in ("ethash", "etchash"))
    assert etchash == pytest.approx(ethash, rel=0.03)


@pytest.mark.realdata
def test_the_model_uses_the_ranges_where_the_stored_files_hold_no_h100_figure():
    if not BENCHMARKS.is_file():
        pytest.skip(f"real data not found at {BENCHMARKS} (set LEAKPIPE_SHARED_DATA to the shared data folder)")
    today = assumptions.dt.date(2026, 11, 26)
    specs = [parse_hardware_file(p, today).rows for p in
             (BENCHMARKS, SHARED_DATA / "hardware_specs_compiled" / "hardware_specs.csv")]
    specs = mining.pd.concat(specs, ignore_index=True)
    a = assumptions.load()
    central = {k.removeprefix("hashrate_fleet_"): r.central for k, r in a.ranges.items()
               if k.startswith("hashrate_fleet_")}
    devs = mining.devices(specs, FLEET, a.fleet_device_power_w, central)
    fleet = devs[mining.is_device(devs, FLEET)].set_index("algorithm")
    for algo in ANCHORED:
        assert fleet.loc[algo, "basis"] == "assumption", algo
        assert fleet.loc[algo, "hashrate_hs"] == central[algo]
    assert fleet.loc["sha256d", "basis"] == "benchmark"     # the derived hashcat figure is the H100's own
    draws = a.sample(200)
    for algo in ("etchash", "randomx"):
        hs, basis = contribution.fleet_hashrate(algo, devs, FLEET, draws)
        assert basis == f"assumption range hashrate_fleet_{algo}"
        np.testing.assert_array_equal(hs, draws[f"hashrate_fleet_{algo}"])
