"""The pipeline on real public data from ../shared/data (skipped when that folder is absent)."""
import datetime as dt
import time

import pytest

from scripts.real_raw import build as build_real_raw
from tests.conftest import SHARED_DATA

pytestmark = [pytest.mark.e2e, pytest.mark.realdata,
              pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real data not found at {SHARED_DATA}")]

MERGE = "2022-09-15"
DEC_2024 = ("2024-12-01", "2024-12-31")
S21, H100 = "Bitmain Antminer S21", "NVIDIA H100 SXM"


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    from tests.conftest import PipelineRun

    root = tmp_path_factory.mktemp("real")
    build_real_raw(root / "raw", SHARED_DATA)
    run = PipelineRun(root / "raw", root)
    # The asserted facts lie in 2022-2024 (the Merge to December 2024); a narrower backfill than the
    # files' whole history keeps the test quick. One run serves every test of the module.
    started = time.perf_counter()
    run.run(span=(dt.date(2022, 8, 1), dt.date(2024, 12, 31)))
    print(f"\nreal-data pipeline run: {time.perf_counter() - started:.1f} s")
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


# --- The models on real data: the domain brief's facts (../shared/design/domain.md) -------------------------

def test_bitcoin_hashprice_december_2024(real_run):
    """Hashprice is about 0.06 USD per TH/s per day in December 2024 (one value per coin and day)."""
    per_day = real_run.query(
        "SELECT date, count(DISTINCT hashprice_usd_per_th_day), min(hashprice_usd_per_th_day) "
        "FROM marts.mining_profitability_daily WHERE coin = 'BTC' AND date BETWEEN ? AND ? GROUP BY date",
        list(DEC_2024))
    assert len(per_day) == 31
    assert {n for _, n, _ in per_day} == {1}, "hashprice differs between rows of one day"
    mean = sum(h for *_, h in per_day) / len(per_day)
    assert mean == pytest.approx(0.060, rel=0.15)


def test_a_million_h100s_are_a_rounding_error_of_bitcoin(real_run):
    """One million H100s at ~8 GH/s SHA-256d are about 0.001 % of Bitcoin's ~778 EH/s (Dec 2024)."""
    specs = real_run.query("SELECT hashrate_hs FROM core.hardware_specs WHERE device = ? AND algorithm = 'sha256d'",
                           [H100])
    assert len(specs) == 1
    h100_hs = specs[0][0]
    assert h100_hs == pytest.approx(8e9, rel=0.05)
    network = real_run.query("SELECT avg(hashrate_hs), count(*) FROM core.network_daily "
                             "WHERE coin = 'BTC' AND date BETWEEN ? AND ?", list(DEC_2024))[0]
    assert network[1] == 31
    mart = real_run.query("SELECT avg(network_hashrate_hs), count(*) FROM marts.mining_contribution_daily "
                          "WHERE coin = 'BTC' AND date BETWEEN ? AND ?", list(DEC_2024))[0]
    assert mart == (pytest.approx(network[0], rel=1e-9), 31)
    share = 1e6 * h100_hs / network[0]
    assert 0.0005e-2 < share < 0.005e-2, f"{share:.3%} of Bitcoin's {network[0] / 1e18:.0f} EH/s"


def test_no_eth_mining_revenue_after_the_merge(real_run):
    assert real_run.query("SELECT count(*) FROM marts.mining_profitability_daily "
                          "WHERE coin = 'ETH' AND date > ?", [MERGE]) == [(0,)]
    # ... while before it ETH was mined at a profit or loss: the first assertion could fail.
    assert real_run.query("SELECT count(*) FROM marts.mining_profitability_daily "
                          "WHERE coin = 'ETH' AND date < ? AND revenue_usd_per_day > 0", [MERGE])[0][0] > 0
    quantities = [f"{q}_{p}" for q in ("network_share", "coins_per_day", "usd_per_day") for p in ("p05", "p50", "p95")]
    after = real_run.query(f"SELECT count(*), count(*) FILTER (WHERE {' OR '.join(f'{c} <> 0' for c in quantities)}), "
                           f"count(*) FILTER (WHERE consensus <> 'pos') "
                           "FROM marts.mining_contribution_daily WHERE coin = 'ETH' AND date > ?", [MERGE])[0]
    # The Etherscan series runs to 2022-12-06: every ETH day the network data hold after the Merge is zero.
    assert after[0] > 0 and after[1:] == (0, 0), \
        f"{after[0]} ETH days after the Merge: {after[1]} with a non-zero share, coins or USD, {after[2]} not pos"
    before = real_run.query("SELECT count(*) FROM marts.mining_contribution_daily WHERE coin = 'ETH' "
                            "AND date < ? AND consensus = 'pow' AND network_share_p50 > 0 AND usd_per_day_p50 > 0",
                            [MERGE])[0][0]
    assert before > 0


def test_s21_profitable_and_h100_not_on_bitcoin_at_5_cents(real_run):
    rows = real_run.query(
        "SELECT device, count(*), count(*) FILTER (WHERE profitable), min(margin_usd_per_day), max(margin_usd_per_day) "
        "FROM marts.mining_profitability_daily WHERE coin = 'BTC' AND price_basis = 'reference' "
        "AND electricity_usd_per_kwh = 0.05 AND date BETWEEN ? AND ? AND device IN (?, ?) GROUP BY device",
        [*DEC_2024, S21, H100])
    got = {device: (days, profitable) for device, days, profitable, *_ in rows}
    assert got == {S21: (31, 31), H100: (31, 0)}, rows


def _attribution(real_run):
    return real_run.query(
        "SELECT coin, window_name, CAST(window_start AS VARCHAR), CAST(window_end AS VARCHAR), subject, channel, "
        "rally_log_return, share_p05, share_p50, share_p95, inputs FROM marts.rally_attribution "
        "ORDER BY coin, window_start, subject DESC, "
        "CASE channel WHEN 'hashrate' THEN 1 WHEN 'flow' THEN 2 WHEN 'event' THEN 3 ELSE 4 END")


def test_etf_flows_dwarf_idle_mining_in_the_bitcoin_rally(real_run):
    rows = [r for r in _attribution(real_run) if r[0] == "BTC" and r[2:4] == ("2023-10-01", "2024-03-31")]
    channels = {(r[4], r[5]): r[7:10] for r in rows}
    assert {c for s, c in channels if s == "idle_ai_mining"} == {"hashrate", "flow", "event", "residual"}
    assert {c for s, c in channels if s == "spot_etf_flows"} == {"hashrate", "flow", "event", "residual"}
    etf_p50 = channels[("spot_etf_flows", "flow")][1]
    mining_p95 = channels[("idle_ai_mining", "flow")][2]
    assert etf_p50 > mining_p95, f"ETF flow share p50 {etf_p50:.4g} vs idle mining flow share p95 {mining_p95:.4g}"


def test_headline_attribution_figures(real_run):
    """Prints the headline shares (run with -s to quote them): every coin, window, subject and channel."""
    rows = _attribution(real_run)
    print("\ncoin window     start      end        subject          channel     rally_lr    share_p05    "
          "share_p50    share_p95")
    def fmt(value):
        return f"{value:+12.4g}" if value is not None else f"{'unknown':>12}"

    for coin, window, start, end, subject, channel, rally, p05, p50, p95, _ in rows:
        print(f"{coin:<4} {window:<10} {start} {end} {subject:<16} {channel:<9} {rally:+9.4f} "
              f"{fmt(p05)} {fmt(p50)} {fmt(p95)}")
    covered = {(r[0], r[1]) for r in rows}
    assert {(coin, window) for coin in ("BTC", "ETH", "ETC", "XMR") for window in ("rally", "late_2024")} <= covered


def test_etc_and_xmr_attribution_is_answered_in_both_windows(real_run):
    """With the Coin Metrics ETC and XMR statistics the GPU coins' mining channels have numbers; a channel still
    unknown says which input is missing, never a bare 'unknown'."""
    rows = real_run.query(
        "SELECT coin, window_name, channel, share_p05, share_p50, share_p95, share_reason, inputs, log_return_p50 "
        "FROM marts.rally_attribution WHERE coin IN ('ETC', 'XMR') AND subject = 'idle_ai_mining' "
        "ORDER BY coin, window_name, channel")
    print("\ncoin window    channel   share_p05   share_p50   share_p95   reason / inputs")
    for coin, window, channel, p05, p50, p95, reason, inputs, _ in rows:
        shares = " ".join(f"{v:+11.4g}" if v is not None else f"{'unknown':>11}" for v in (p05, p50, p95))
        print(f"{coin:<4} {window:<9} {channel:<9} {shares}   {reason or ''} | {(inputs or '')[:300]}")
    got = {(r[0], r[1], r[2]): r[3:] for r in rows}
    for coin in ("ETC", "XMR"):
        for window in ("rally", "late_2024"):
            for channel in ("hashrate", "flow"):
                p05, p50, p95, reason, inputs, log_return = got[(coin, window, channel)]
                assert inputs and "unknown" != inputs.strip().lower(), (coin, window, channel, inputs)
                if channel == "hashrate":   # the chain data cover the window's ends; no H100 figure: the range
                    assert "(7 with network data)" in inputs and \
                        f"fleet hashrate: assumption range hashrate_fleet_{'etchash' if coin == 'ETC' else 'randomx'}" \
                        in inputs, inputs
                else:
                    assert "network data on" in inputs and "of" in inputs, inputs
                if p50 is not None:
                    assert p05 <= p50 <= p95, (coin, window, channel)
                    continue
                # a NULL share says why: here the price fell (XMR's rally window), and the channel is answered in
                # log-return points instead
                assert reason and "price fell" in reason, (coin, window, channel, reason)
                assert log_return is not None, (coin, window, channel)
    # The fleet would take a visible share of ETC's rally through the flow channel, and little through hashrate
    assert 0.001 < got[("ETC", "rally", "flow")][1] < 0.5
    assert 0 < got[("ETC", "rally", "hashrate")][1] < got[("ETC", "rally", "flow")][1]


def test_views_queries_and_the_report_work_on_the_real_data(real_run, tmp_path):
    """The analyst SQL and the report on other data than the sample they were written against."""
    from pipelines.lib.warehouse import analyst
    from pipelines.lib.report import build_report
    from pipelines.lib.common.settings import PROJECT_ROOT

    with analyst.connect(real_run.warehouse) as con:
        for path in sorted((PROJECT_ROOT / "sql" / "analyst").glob("*.sql")):
            con.execute(path.read_text()).fetchall()
        views = [v for (v,) in con.execute("SELECT view_name FROM duckdb_views() WHERE schema_name = 'views'"
                                           ).fetchall()]
        assert len(views) >= 8
        for view in views:
            con.execute(f"SELECT * FROM views.{view}").fetchall()
        etf = con.execute("SELECT share_p50 FROM marts.rally_attribution WHERE coin = 'BTC' AND window_name = 'rally' "
                          "AND subject = 'spot_etf_flows' AND channel = 'flow'").fetchall()[0][0]
    files = build_report(real_run.warehouse, real_run.raw, tmp_path / "report")
    html = files.html.read_text(encoding="utf-8")
    assert f"{etf:.1%}".replace("%", " %") in html or f"{etf * 100:.1f}" in html   # the ETF share in the verdict
    assert "Sample data" not in html.split("<h2", 1)[0]   # real data: no sample notice up front
    assert files.pdf.stat().st_size > 10_000 and files.markdown.exists()
