"""Would the chain show the fleet? (pipelines/lib/chain/detectability.py) on synthetic series with a known
noise level (no data needed) and on the real ETC and XMR series."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipelines.lib.chain import breaks, detectability as det
from tests.conftest import SHARED_DATA

FAST = det.Settings(trials=20, probability=0.95, seed=1)
WINDOW = {"rally": (dt.date(2023, 10, 1), dt.date(2024, 3, 31))}


def _network(step_at=None, step=0.0, sigma=0.02, coin="ETC", seed=5):
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    logs = np.log(1.5e14) + rng.normal(0, sigma, len(days))
    if step_at is not None:
        logs[days >= pd.Timestamp(step_at)] += step
    return pd.DataFrame({"coin": coin, "date": days.date, "hashrate_hs": np.exp(logs), "consensus": "pow"})


def _contribution(net, shares=(0.5, 1.0, 2.0), algorithm="etchash"):
    c = net.rename(columns={"hashrate_hs": "network_hashrate_hs"}).copy()
    c["algorithm"] = algorithm
    for q, f in zip(("p05", "p50", "p95"), shares):
        c[f"fleet_hashrate_hs_{q}"] = c["network_hashrate_hs"] * f
    c["unknown_reason"] = None
    return c


def _run(net, contribution, lines=None, s=FAST):
    return det.fleet_detectability(net, breaks.hashrate_breaks(net), contribution, lines, WINDOW, s)


def test_min_detectable_step_scales_with_the_noise():
    quiet = det.Series(_network(sigma=0.01).set_index("date")["hashrate_hs"])
    noisy = det.Series(_network(sigma=0.04).set_index("date")["hashrate_hs"])
    q, _ = quiet.min_detectable(dt.date(2023, 10, 1), FAST)
    n, why = noisy.min_detectable(dt.date(2023, 10, 1), FAST)
    assert 0.02 < q < 0.08 and 0.08 < n < 0.32, (q, n)
    assert n / q == pytest.approx(4, rel=0.5)
    assert "95% of 20 trials" in why
    assert noisy.min_detectable(dt.date(2023, 10, 1), FAST) == (n, why)   # seeded: the same answer


def test_a_large_fleet_and_a_flat_chain_is_evidence_against():
    net = _network()
    out = _run(net, _contribution(net))
    row = out.iloc[0]
    assert (row["coin"], row["subject"], row["subject_id"]) == ("ETC", "rally_window", "rally")
    assert row["implied_step_log_p05"] == pytest.approx(np.log(1.5))
    assert row["implied_step_log_p95"] == pytest.approx(np.log(3.0))
    assert row["min_detectable_step_log"] < 0.1
    assert row["observed_step_log"] == 0.0
    assert row["verdict"] == "visible_and_absent"
    assert row["withdrawal_matches"] is False or row["withdrawal_matches"] == False  # noqa: E712


def test_a_step_where_the_claim_puts_it_is_present_and_a_drop_at_the_end_lines_up():
    net = _network(step_at="2023-10-01", step=0.6)
    net.loc[pd.to_datetime(net["date"]) >= "2024-04-01", "hashrate_hs"] /= np.exp(0.6)
    out = _run(net, _contribution(net, shares=(0.4, 0.6, 0.9)))
    row = out.iloc[0]
    assert row["verdict"] == "visible_and_present"
    assert row["observed_step_log"] == pytest.approx(0.6, abs=0.05)
    assert row["observed_break_date"] == dt.date(2023, 10, 1)
    assert row["withdrawal_step_log"] == pytest.approx(-0.6, abs=0.05)
    assert row["withdrawal_break_date"] == dt.date(2024, 4, 1)
    assert row["withdrawal_matches"] == True  # noqa: E712


def test_a_small_fleet_is_too_small_to_see_and_a_straddling_one_inconclusive():
    net = _network()
    small = _run(net, _contribution(net, shares=(0.001, 0.002, 0.005))).iloc[0]
    assert small["verdict"] == "too_small_to_see"
    wide = _run(net, _contribution(net, shares=(0.001, 0.1, 1.0))).iloc[0]
    assert wide["verdict"] == "unknown" and wide["reason"].startswith("inconclusive")


def test_missing_fleet_or_chain_is_unknown_with_the_missing_input_named():
    net = _network()
    c = _contribution(net)
    c[["fleet_hashrate_hs_p05", "fleet_hashrate_hs_p50", "fleet_hashrate_hs_p95"]] = np.nan
    c["unknown_reason"] = "no hashrate figure for NVIDIA H100 SXM on etchash"
    row = _run(net, c).iloc[0]
    assert row["verdict"] == "unknown"
    assert "fleet hashrate of ETC in rally" in row["reason"] and "etchash" in row["reason"]
    assert np.isnan(row["implied_step_log_p50"])


def test_no_chain_data_over_the_window_is_an_unknown_observed_step_not_zero():
    """A chain series that ends before the window: no break can be looked for there, so the observed step is
    NULL (not 0), no withdrawal can be judged, and the verdict is unknown with the missing input named."""
    net = _network()
    net = net[pd.to_datetime(net["date"]) < pd.Timestamp("2023-06-01")]
    row = _run(net, _contribution(_network())).iloc[0]
    assert np.isnan(row["observed_step_log"]) and pd.isna(row["observed_break_date"])
    assert row["withdrawal_matches"] is None
    assert row["verdict"] == "unknown" and "network hashrate of ETC" in row["reason"]


def test_sheet_lines_use_their_own_claim():
    net = _network()
    lines = pd.DataFrame([
        dict(document_id="d1", table_index=0, row_index=0, coin="ETC", period_start=dt.date(2023, 7, 1),
             period_end=dt.date(2023, 12, 31), claimed_hashrate_hs=1.5e14, claimed_hashrate_per_device_hs=None,
             device_count=None, is_total_row=False),
        dict(document_id="d1", table_index=0, row_index=1, coin="ETC", period_start=dt.date(2023, 7, 1),
             period_end=dt.date(2023, 12, 31), claimed_hashrate_hs=None, claimed_hashrate_per_device_hs=1e8,
             device_count=1000, is_total_row=False),
        dict(document_id="d1", table_index=0, row_index=2, coin="ETC", period_start=dt.date(2023, 7, 1),
             period_end=dt.date(2023, 12, 31), claimed_hashrate_hs=9e14, claimed_hashrate_per_device_hs=None,
             device_count=None, is_total_row=True),
        dict(document_id="d2", table_index=0, row_index=0, coin="DOGE", period_start=dt.date(2023, 7, 1),
             period_end=dt.date(2023, 12, 31), claimed_hashrate_hs=1e12, claimed_hashrate_per_device_hs=None,
             device_count=None, is_total_row=False),
    ])
    out = _run(net, _contribution(net), lines).set_index("subject_id")
    big, small = out.loc["d1:0:0"], out.loc["d1:0:1"]
    assert big["claimed_step_log"] == pytest.approx(np.log(2), rel=0.05)
    assert big["verdict"] == "visible_and_absent"
    assert small["implied_hashrate_hs_p50"] == 1e11 and small["verdict"] == "too_small_to_see"
    assert out.loc["d1:ETC", "subject"] == "sheet_document"
    assert out.loc["d1:ETC", "implied_hashrate_hs_p50"] == pytest.approx(1.5e14 + 1e11)
    assert out.loc["d1:ETC", "verdict"] == "visible_and_absent"
    assert "d1:0:2" not in out.index                                    # totals rows are not lines
    assert out.loc["d2:0:0", "verdict"] == "unknown"
    assert "network hashrate of DOGE" in out.loc["d2:0:0", "reason"]
    assert set(out["verdict"]) <= set(det.VERDICTS)


def test_a_sheet_mining_month_after_month_joins_once():
    net = _network()
    months = [(dt.date(2023, m, 1), (pd.Timestamp(2023, m, 1) + pd.offsets.MonthEnd()).date()) for m in (7, 8, 9)]
    lines = pd.DataFrame([dict(document_id="d9", table_index=0, row_index=i * 2 + j, coin="ETC", period_start=a,
                               period_end=b, claimed_hashrate_hs=h, claimed_hashrate_per_device_hs=None,
                               device_count=None, is_total_row=False)
                          for i, (a, b) in enumerate(months) for j, h in enumerate((4e13, 2e13 + i * 1e13))])
    row = _run(net, _contribution(net), lines).set_index("subject_id").loc["d9:ETC"]
    assert (row["period_start"], row["period_end"]) == (dt.date(2023, 7, 1), dt.date(2023, 9, 30))
    assert row["implied_hashrate_hs_p50"] == pytest.approx(8e13)        # September's two lines
    assert "3 periods" in row["reason"]


def test_host_cpus_are_a_setting_stated_in_the_reason():
    net = _network(coin="XMR")
    c = _contribution(net, shares=(0.01, 0.02, 0.04), algorithm="randomx")
    off = _run(net, c).iloc[0]
    assert off["host_cpus_counted"] == False  # noqa: E712
    assert "host CPUs of the idle servers not counted" in off["reason"]
    on = _run(net, c, s=det.Settings(trials=20, seed=1, count_host_cpus=True, host_cpu_randomx_hs_per_gpu=7e3,
                                     gpu_randomx_hs=3.5e3)).iloc[0]
    assert on["implied_hashrate_hs_p50"] == pytest.approx(off["implied_hashrate_hs_p50"] * 3)
    assert "host CPUs counted" in on["reason"]


def test_the_bundled_assumptions_say_whether_host_cpus_count():
    s = det.settings()
    assert s.count_host_cpus is False and s.trials >= 20 and s.probability == 0.95
    assert s.gpu_randomx_hs == 3.5e3


COINMETRICS = SHARED_DATA / "coinmetrics_community_2022_2025"


@pytest.mark.skipif(not COINMETRICS.is_dir(), reason=f"real Coin Metrics data not found at {COINMETRICS}")
def test_real_series_detection_limits_are_a_few_percent():
    for coin, unit in (("etc", 1e12), ("xmr", 1.0)):
        d = pd.read_csv(COINMETRICS / f"{coin}_daily_coinmetrics_2022_2025.csv", parse_dates=["time"])
        series = det.Series(d.set_index("time")["HashRate"].astype(float) * unit)
        for day in (dt.date(2023, 10, 1), dt.date(2024, 10, 1)):
            value, _ = series.min_detectable(day, FAST)
            assert 0.02 < value < 0.3, (coin, day, value)
