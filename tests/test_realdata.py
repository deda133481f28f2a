"""The pipeline on real public data from ../shared/data (skipped when that folder is absent)."""
import datetime as dt
import shutil

import pytest

from tests.conftest import SHARED_DATA

pytestmark = [pytest.mark.e2e, pytest.mark.realdata,
              pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real data not found at {SHARED_DATA}")]

FILES = {
    "prices/BTC-USD.csv": "yahoo_prices_budydeveloper/BTC-USD_1d.csv",
    "prices/ETH-USD.csv": "yahoo_prices_budydeveloper/ETH-USD_1d.csv",
    "prices/BTCUSDT_1d.csv": "yahoo_prices_budydeveloper/BTCUSDT_1d.csv",
    "prices/btc_2018-01-01_2020-07-27.csv": "coinmetrics_sciecon_partial/btc_2018-01-01_2020-07-27.csv",
    "network/eth_network_hashrate_etherscan_ghs.csv": "eth_emissions_mcdonald/eth_network_hashrate_etherscan_ghs.csv",
    "network/btc_network_daily.csv": "bitcoinvisuals_cbeci_krisp140/btc_network_daily.csv",
    "network/etc_2018-01-01_2020-07-27.csv": "coinmetrics_sciecon_partial/etc_2018-01-01_2020-07-27.csv",
    "fx/ecb_eurusd_daily.csv": "ecb_eurofxref/ecb_eurusd_daily.csv",
    "flows/btc_spot_etf_flows_usd_m.csv": "farside_btc_etf_flows/btc_spot_etf_flows_usd_m.csv",
    "events/key_events.csv": "hardware_specs_compiled/key_events.csv",
}


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    from tests.conftest import PipelineRun

    root = tmp_path_factory.mktemp("real")
    for target, source in FILES.items():
        (root / "raw" / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED_DATA / source, root / "raw" / target)
    run = PipelineRun(root / "raw", root)
    # The asserted facts lie in 2022-2024; a narrower backfill keeps the test quick.
    run.run(span=(dt.date(2022, 8, 1), dt.date(2024, 4, 30)))
    return run


def test_every_real_file_loads(real_run):
    assert real_run.query("SELECT path, status, error FROM core.documents WHERE status <> 'loaded'") == []


def test_btc_close_on_2024_03_13(real_run):
    close = real_run.query("SELECT close_usd FROM core.prices_daily WHERE asset='BTC' AND date='2024-03-13'")[0][0]
    assert close == pytest.approx(73_084, rel=0.01)


def test_eth_consensus_around_the_merge(real_run):
    rows = dict(real_run.query("SELECT CAST(date AS VARCHAR), consensus FROM core.network_daily "
                               "WHERE coin='ETH' AND date IN ('2022-09-01', '2022-10-01')"))
    assert rows == {"2022-09-01": "pow", "2022-10-01": "pos"}


def test_spot_etf_flows_q1_2024(real_run):
    total = real_run.query("SELECT sum(net_flow_usd) FROM core.fund_flows_daily WHERE fund='TOTAL' "
                           "AND date BETWEEN '2024-01-11' AND '2024-03-31'")[0][0]
    assert total == pytest.approx(12.1e9, rel=0.01)


def test_ecb_usd_per_eur_on_2024_01_02(real_run):
    rate = real_run.query("SELECT usd_per_unit FROM core.fx_daily WHERE currency='EUR' AND date='2024-01-02'")[0][0]
    assert rate == pytest.approx(1.0956, rel=0.005)


def test_bitcoin_network_hashrate_december_2024(real_run):
    # Observations keep every loaded day, even outside the backfilled partitions.
    mean = real_run.query("SELECT avg(hashrate_hs) FROM core.network_observations WHERE coin='BTC' "
                          "AND date BETWEEN '2024-12-01' AND '2024-12-31'")[0][0]
    assert mean == pytest.approx(778e18, rel=0.05)


def test_no_real_row_breaks_an_expectation(real_run):
    """The suites judge units and extraction, and real public data passes them: an expectation that
    quarantined real rows would be wrong, not the data."""
    assert real_run.query("SELECT source_table, check_name, locator FROM core.quarantine "
                          "WHERE stage = 'validation' LIMIT 10") == []
    assert real_run.query("SELECT source_table, expectation, observed FROM core.validation_results "
                          "WHERE NOT success AND severity = 'error'") == []
