"""Level shifts in log network hashrate (pipelines/lib/chain/breaks.py): a synthetic series with known
steps and gaps (no data needed), then the real ETC and XMR series from ../shared/data: the Merge as the
positive control, and known steps injected at the real series' own noise."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipelines.lib.chain import breaks
from tests.conftest import SHARED_DATA

COINMETRICS = SHARED_DATA / "coinmetrics_community_2022_2025"
UNIT_HS = {"etc": 1e12, "xmr": 1.0}   # Coin Metrics' HashRate: TH/s for ETC, H/s for XMR (SOURCES.md)
real = pytest.mark.skipif(not COINMETRICS.is_dir(),
                          reason=f"real Coin Metrics data not found at {COINMETRICS} (set LEAKPIPE_SHARED_DATA)")


def _real(coin: str) -> pd.Series:
    frame = pd.read_csv(COINMETRICS / f"{coin}_daily_coinmetrics_2022_2025.csv", parse_dates=["time"])
    return frame.set_index("time")["HashRate"].astype(float) * UNIT_HS[coin]


def _synthetic(seed=1, n=400, sigma=0.03):
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-01-01", periods=n, freq="D")
    logs = np.log(1e12) + rng.normal(0, sigma, n)
    steps = {100: 0.4, 220: -0.25, 320: 0.15}
    for at, step in steps.items():
        logs[at:] += step
    return pd.Series(np.exp(logs), index=days), {days[a].date(): s for a, s in steps.items()}


def _near(found: pd.DataFrame, day, days=3) -> pd.DataFrame:
    gap = (pd.to_datetime(found["break_date"]) - pd.Timestamp(day)).dt.days.abs()
    return found[gap <= days]


def test_synthetic_steps_found_both_directions_and_nothing_else():
    series, truth = _synthetic()
    found, dropped = breaks.detect(series, "SYN")
    assert dropped == 0
    assert len(found) == 3, found
    for day, step in truth.items():
        hit = _near(found, day, 1)
        assert len(hit) == 1, (day, found)
        assert hit["step_log"].iloc[0] == pytest.approx(step, abs=0.03)
        assert hit["direction"].iloc[0] == ("up" if step > 0 else "down")
        assert hit["score"].iloc[0] > 5
    first = _near(found, dt.date(2023, 4, 11), 1).iloc[0]
    assert first["level_after_hs"] / first["level_before_hs"] == pytest.approx(np.exp(0.4), rel=0.04)
    assert set(found["method"]) == {breaks.METHOD}


def test_pure_noise_has_no_break():
    rng = np.random.default_rng(7)
    days = pd.date_range("2023-01-01", periods=500, freq="D")
    found, _ = breaks.detect(pd.Series(np.exp(30 + rng.normal(0, 0.05, 500)), index=days), "NOISE")
    assert found.empty, found


def test_a_gap_is_not_a_break_and_a_break_inside_a_gap_is_not_reported():
    series, truth = _synthetic()
    # 20 missing days in a flat stretch: interpolated, no break there
    holed = series.drop(series.index[150:170])
    found, dropped = breaks.detect(holed, "SYN")
    assert dropped == 0 and len(found) == 3
    assert _near(found, series.index[150].date(), 25).empty
    # the step of day 220 falls inside a gap (days 215..225 missing): dropped and counted, not reported
    holed = series.drop(series.index[215:226])
    found, dropped = breaks.detect(holed, "SYN")
    assert dropped >= 1   # the interpolated ramp may hold two candidate breaks: both dropped
    assert _near(found, series.index[220].date(), 8).empty
    assert len(found) == 2


def test_hashrate_breaks_skips_proof_of_stake_days():
    series, _ = _synthetic()
    net = pd.DataFrame({"coin": "ETH", "date": series.index.date, "hashrate_hs": series.to_numpy(),
                        "consensus": ["pow"] * 200 + ["pos"] * 200})
    out = breaks.hashrate_breaks(net)
    assert len(out) == 1 and out["break_date"].iloc[0] == series.index[100].date()


@real
def test_the_merge_moved_ethereum_miners_to_etc():
    found, dropped = breaks.detect(_real("etc"), "ETC")
    hit = _near(found, dt.date(2022, 9, 15), 2)
    assert len(hit) >= 1, found
    assert hit["step_log"].max() > 0.5
    assert found["step_log"].max() == hit["step_log"].max()   # the largest step of 2022-2025


def _quiet_dates(baseline: pd.DataFrame, series: pd.Series, how_many: int) -> list:
    """Days at least 10 days from every break of the un-injected series (and 60 from its ends), 60 days apart."""
    taken = pd.to_datetime(baseline["break_date"])
    out = []
    for day in series.index[60:-60]:
        if (abs((taken - day).dt.days) < 10).any() or any(abs((day - d).days) < 60 for d in out):
            continue
        out.append(day)
        if len(out) == how_many:
            break
    return out


@real
@pytest.mark.parametrize("coin", ["etc", "xmr"])
def test_injected_steps_are_found_and_nothing_else_is(coin):
    series = _real(coin)
    baseline, _ = breaks.detect(series, coin.upper())
    dates = _quiet_dates(baseline, series, 3)
    assert len(dates) == 3
    steps = dict(zip(dates, [0.3, -0.3, 0.8]))
    injected = series.copy()
    for day, step in steps.items():
        injected[injected.index >= day] *= np.exp(step)
    found, _ = breaks.detect(injected, coin.upper())
    for day, step in steps.items():
        hit = _near(found, day, 3)
        assert len(hit) == 1, (coin, day, step, hit)
        assert hit["step_log"].iloc[0] == pytest.approx(step, abs=0.1 if coin == "xmr" else 0.05)
    # away from the injections (30 days), the breaks are the un-injected series' breaks (within 3 days)
    far = found[[all(abs((pd.Timestamp(b) - d).days) > 30 for d in steps) for b in found["break_date"]]]
    for b in far["break_date"]:
        assert not _near(baseline, b, 3).empty, (coin, b)
    base_far = baseline[[all(abs((pd.Timestamp(b) - d).days) > 30 for d in steps) for b in baseline["break_date"]]]
    assert len(far) == len(base_far)


def test_the_mart_solver_gives_ruptures_pelt_l2_breakpoints():
    """change_points runs ruptures' KernelCPD (linear kernel, C): exactly the breakpoints of rpt.Pelt(l2)."""
    import ruptures as rpt

    rng = np.random.default_rng(11)
    for trial in range(8):
        y = np.cumsum(rng.normal(0, 0.01, 400)) + np.repeat(rng.normal(0, 0.3, 8), 50) + rng.normal(0, 0.05, 400)
        pen = breaks.penalty(breaks.noise_sigma(y), len(y))
        ends = rpt.Pelt(model="l2", min_size=breaks.MIN_SEGMENT_DAYS, jump=1).fit(y.reshape(-1, 1)).predict(pen=pen)
        assert breaks.change_points(y, pen) == [e for e in ends if e < len(y)], trial
        assert breaks.change_points(y, pen)      # the steps are there to be found


def test_the_fast_solver_finds_ruptures_optimum():
    rng = np.random.default_rng(3)
    for trial in range(6):
        y = np.cumsum(rng.normal(0, 0.01, 181)) + rng.normal(0, 0.03, 181)
        y[rng.integers(20, 160):] += rng.choice([-0.2, 0.1, 0.3])
        pen = breaks.penalty(breaks.noise_sigma(y), 1100)
        assert breaks.change_points_fast(y, pen) == breaks.change_points(y, pen), trial
    rows = np.stack([y, y[::-1], y + np.arange(181) * 0.001])
    assert breaks.change_points_batch(rows, pen) == [breaks.change_points_fast(r, pen) for r in rows]


@real
def test_the_fast_solver_agrees_on_real_windows():
    for coin in ("etc", "xmr"):
        series = _real(coin)
        _, logs, _ = breaks.daily_log(series)
        pen = breaks.penalty(breaks.noise_sigma(logs), len(logs))
        for start in (100, 400, 700):
            window = logs[start:start + 181].copy()
            window[90:] += 0.15
            assert breaks.change_points_fast(window, pen) == breaks.change_points(window, pen), (coin, start)
