"""Coin Metrics' per-asset hashrate units on the real ETC and XMR files, and the economic cross-check
that quarantines a file whose unit is off by a power of 1000 (issue 18, point 1). The files are read in
place from ../shared/data; the tests skip with a message when that folder is absent."""
import datetime as dt
import shutil

import pandas as pd
import pytest

from pipelines.lib.sources import units
from pipelines.lib.sources.network import parse_network_file
from pipelines.lib.sources.prices import parse_price_file
from tests.conftest import BUNDLED_RAW, SHARED_DATA

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real data not found at {SHARED_DATA}")

TODAY = dt.date(2026, 1, 1)
CM = "coinmetrics_community_2022_2025"
FILES = {"ETC": f"{CM}/etc_daily_coinmetrics_2022_2025.csv", "XMR": f"{CM}/xmr_daily_coinmetrics_2022_2025.csv"}
ALGORITHMS = {"ETC": "etchash", "XMR": "randomx", "BTC": "sha256d"}


@pytest.fixture(scope="module")
def prices():
    frames = [parse_price_file(SHARED_DATA / f"yahoo_prices_budydeveloper/{c}-USD_1d.csv", TODAY).rows
              for c in ("ETC", "XMR", "BTC")]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def devices():
    return pd.read_csv(BUNDLED_RAW / "hardware" / "hardware_specs.csv")


def _median_2023(rows):
    dates = pd.to_datetime(rows["date"])
    return float(rows.loc[dates.dt.year == 2023, "hashrate_hs"].median())


def test_coinmetrics_etc_loads_in_th_per_s():
    parsed = parse_network_file(SHARED_DATA / FILES["ETC"], TODAY)
    assert parsed.error is None and parsed.rejected == []
    assert len(parsed.rows) == 1108 and set(parsed.rows["coin"]) == {"ETC"}
    # SOURCES.md: 2023 median 134 TH/s (min 105, max 159) -> about 1.3e14 H/s
    assert _median_2023(parsed.rows) == pytest.approx(134e12, rel=0.02)
    day = parsed.rows.set_index(parsed.rows["date"].astype(str)).loc["2023-06-01"]
    assert day["hashrate_hs"] == pytest.approx(123.62435672e12)
    assert day["fees_coins"] == pytest.approx(2.164933) and day["issuance_coins"] == pytest.approx(16746.08)


def test_coinmetrics_xmr_loads_in_h_per_s():
    parsed = parse_network_file(SHARED_DATA / FILES["XMR"], TODAY)
    assert parsed.error is None and parsed.rejected == []
    assert len(parsed.rows) == 1103 and set(parsed.rows["coin"]) == {"XMR"}
    # SOURCES.md: 2023 median 2.53 GH/s -> about 2.5e9 H/s
    assert _median_2023(parsed.rows) == pytest.approx(2.53e9, rel=0.02)
    day = parsed.rows.set_index(parsed.rows["date"].astype(str)).loc["2023-06-01"]
    assert day["hashrate_hs"] == pytest.approx(2_596_051_319)


@pytest.mark.parametrize("coin", ["ETC", "XMR"])
def test_the_real_file_passes_the_economic_unit_check(coin, prices, devices):
    parsed = parse_network_file(SHARED_DATA / FILES[coin], TODAY)
    checked, (check,) = units.quarantine_implausible_units(parsed, ALGORITHMS, prices, devices)
    assert check.ok is True and check.factor == 1.0, check.reason
    low, high = units.band()
    assert low < check.breakeven_usd_per_kwh < high
    # the best known devices break even near what miners pay (0.13-0.18 USD/kWh on these files)
    assert 0.05 < check.breakeven_usd_per_kwh < 0.5
    assert checked.error is None and len(checked.rows) == len(parsed.rows) and checked.rejected == []


@pytest.mark.parametrize("coin, scale, unit", [
    ("ETC", 1e-12, "TH/s"),   # H/s figures in a file read as TH/s: 10^12 too small
    ("ETC", 1e-3, "TH/s"),    # PH/s figures read as TH/s: 10^3 too small
    ("XMR", 1e3, "H/s"),      # mH/s figures read as H/s: 10^3 too large
    ("XMR", 1e-9, "H/s"),     # GH/s figures read as H/s: 10^9 too small
])
def test_a_rescaled_real_file_is_quarantined_with_the_expected_unit(coin, scale, unit, tmp_path, prices,
                                                                    devices):
    """The real file with its HashRate column rescaled (a unit slip of 10^3 .. 10^12) loads through the
    reader as before, and the cross-check quarantines it, naming the unit and the implied magnitude."""
    source = SHARED_DATA / FILES[coin]
    frame = pd.read_csv(source, dtype={"HashRate": float})
    frame["HashRate"] = frame["HashRate"] * scale
    wrong = tmp_path / source.name
    frame.to_csv(wrong, index=False)
    parsed = parse_network_file(wrong, TODAY)
    assert parsed.error is None and len(parsed.rows) == len(frame)   # the reader alone would load it
    checked, (check,) = units.quarantine_implausible_units(parsed, ALGORITHMS, prices, devices)
    assert check.ok is False
    assert check.factor == pytest.approx(1 / scale)
    assert checked.error is not None and checked.rows.empty
    (record,) = checked.rejected
    assert record.check_name == "network.hashrate_unit_implausible"
    assert f"expected {unit}" in record.reason and "outside the plausible" in record.reason
    assert f"{1 / scale if scale < 1 else scale:.0e}" in record.reason


def test_no_price_or_device_means_not_judged(prices, devices):
    parsed = parse_network_file(SHARED_DATA / FILES["ETC"], TODAY)
    checked, (check,) = units.quarantine_implausible_units(parsed, ALGORITHMS, prices.iloc[0:0], devices)
    assert check.ok is None and "not cross-checked" in check.reason and checked.rows.equals(parsed.rows)
    _, (check,) = units.quarantine_implausible_units(parsed, {}, prices, devices)
    assert check.ok is None and "algorithm is unknown" in check.reason


def test_btc_fees_file_is_a_network_file_for_the_raw_folder(tmp_path):
    """../shared/data/btc_fees_daily/btc_fees_daily_2022_2025.csv dropped into raw/ goes to raw/network and
    loads as Bitcoin fees per day (no hashrate: the unit check has nothing to judge)."""
    from pipelines.lib.intake.ingest import _csv_folders

    source = SHARED_DATA / "btc_fees_daily" / "btc_fees_daily_2022_2025.csv"
    assert _csv_folders(source) == ["network"]
    parsed = parse_network_file(source, TODAY)
    assert parsed.error is None and len(parsed.rows) == 1129 and set(parsed.rows["coin"]) == {"BTC"}
    rows = parsed.rows.set_index(parsed.rows["date"].astype(str))
    # SOURCES.md: the halving day 2024-04-20 paid 1,257.7 BTC in fees
    assert rows.loc["2024-04-20", "fees_coins"] == pytest.approx(1257.7, abs=0.1)
    assert rows["hashrate_hs"].isna().all() and not rows["is_synthetic"].any()
