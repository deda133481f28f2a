"""Partial chain data: a proof-of-work day without network hashrate or issuance is unknown, never 0.

One pipeline run on a copy of the bundled raw folder with holes cut into the network files:
- XMR: every row of January 2024 removed (a whole month, inside the 'rally' window 2023-10-01..2024-03-31);
- ETC: 2024-02-01..07 removed (22 of February's 29 days left: under the 80 % rule) and 2024-03-01..06
  removed (25 of 31 left: over it);
- ZEC: a network file for a coin the consensus table (pipelines/reference/consensus_periods.csv) does
  not list, with an H100 benchmark on its algorithm so that the fleet could mine it;
- ETH: untouched; its Etherscan series ends 2022-12-06, after the Merge: proof of stake, a known 0.
The tests read the published marts, views and report queries as an analyst would.
"""
import csv
import shutil

import numpy as np
import pandas as pd
import pytest

from pipelines.lib.warehouse import analyst
from pipelines.lib.models import attribution, contribution
from pipelines.lib.warehouse.sql import load_sql

pytestmark = pytest.mark.e2e

XMR_MONTH = ("2024-01-01", "2024-01-31")
ETC_UNDER = ("2024-02-01", "2024-02-07")   # 7 of 29 days gone: 22 / 29 = 76 % < 80 %
ETC_OVER = ("2024-03-01", "2024-03-06")    # 6 of 31 days gone: 25 / 31 = 81 % >= 80 %
ZEC_DAYS = pd.date_range("2024-01-01", "2024-03-31")


def _drop_rows(path, date_column: str, spans) -> int:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    kept = [r for r in rows if not any(lo <= r[date_column] <= hi for lo, hi in spans)]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fields)
        writer.writeheader()
        writer.writerows(kept)
    return len(rows) - len(kept)


@pytest.fixture(scope="module")
def partial(tmp_path_factory, extract_cache):
    from conftest import BUNDLED_RAW, PipelineRun

    root = tmp_path_factory.mktemp("partial_days")
    raw = root / "raw"
    shutil.copytree(BUNDLED_RAW, raw)
    assert _drop_rows(raw / "network" / "xmr_coinmetrics.csv", "time", [XMR_MONTH]) == 31
    assert _drop_rows(raw / "network" / "etc_coinmetrics.csv", "time", [ETC_UNDER, ETC_OVER]) == 13
    with open(raw / "network" / "zec_network_daily.csv", "w", newline="", encoding="utf-8") as fh:
        fh.write("date,hashrate_hs,blocks_per_day,issuance_coins,fees_coins,source\n")
        for day in ZEC_DAYS:
            fh.write(f"{day.date()},1.2e10,1152,1800,0.5,test fixture: a coin absent from the consensus table\n")
    with open(raw / "hardware" / "hardware_specs.csv", "a", encoding="utf-8") as fh:
        fh.write('NVIDIA H100 SXM,datacenter_gpu,equihash,5000,700,"test fixture: an Equihash figure for the fleet"\n')
    run = PipelineRun(raw, root, extract_cache)
    run.run()
    return run


@pytest.fixture(scope="module")
def con(partial):
    connection = analyst.connect(partial.warehouse)
    yield connection
    connection.close()


def _frame(con, sql, params=None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def test_a_missing_month_of_network_rows_is_null_with_its_reason_not_zero(con):
    days = _frame(con, "SELECT * FROM marts.mining_contribution_daily WHERE coin = 'XMR' AND date BETWEEN ? AND ? "
                       "ORDER BY date", list(XMR_MONTH))
    assert len(days) == 31                                   # every day of the month has its row ...
    assert (days["consensus"] == "pow").all()                # ... known to be proof of work ...
    for column in ("network_hashrate_hs", "network_share_p05", "network_share_p50", "network_share_p95",
                   "coins_per_day_p50", "usd_per_day_p50", "usd_per_day_p95", "fleet_to_network_p50"):
        assert days[column].isna().all(), column             # ... whose share, coins and USD are unknown
    assert set(days["unknown_reason"]) == {"no network data for this day"}
    # the fleet itself is known on those days: it is the network that is missing
    assert (days["fleet_hashrate_hs_p50"] > 0).all()
    # the days around it are known, and not zero
    around = _frame(con, "SELECT network_share_p50, unknown_reason FROM marts.mining_contribution_daily "
                         "WHERE coin = 'XMR' AND date IN ('2023-12-31', '2024-02-01')")
    assert (around["network_share_p50"] > 0).all() and around["unknown_reason"].isna().all()


def test_the_month_view_is_null_and_counts_the_unknown_days(con):
    row = _frame(con, "SELECT * FROM views.idle_fleet_network_share_monthly "
                      "WHERE coin = 'XMR' AND month = '2024-01-01'")
    assert len(row) == 1
    r = row.iloc[0]
    assert (r["days"], r["pow_days"], r["due_days"], r["unknown_days"]) == (31, 31, 31, 31)
    assert r["unknown_reasons"] == "no network data for this day"
    for column in ("network_share_p05_mean", "network_share_p50_mean", "network_share_p95_mean",
                   "network_share_p95_max", "network_hashrate_hs_mean", "fleet_to_network_p50_max",
                   "coins_p50_sum", "usd_p50_sum"):
        assert pd.isna(r[column]), column
    feb = _frame(con, "SELECT unknown_days, network_share_p50_mean FROM views.idle_fleet_network_share_monthly "
                      "WHERE coin = 'XMR' AND month = '2024-02-01'").iloc[0]
    assert feb["unknown_days"] == 0 and feb["network_share_p50_mean"] > 0


def test_the_80_percent_rule_decides_a_partly_covered_month(con):
    view = _frame(con, "SELECT * FROM views.idle_fleet_network_share_monthly WHERE coin = 'ETC' "
                       "AND month IN ('2024-02-01', '2024-03-01') ORDER BY month").set_index("month")
    feb, mar = view.iloc[0], view.iloc[1]
    assert (feb["due_days"], feb["unknown_days"]) == (29, 7)
    assert pd.isna(feb["network_share_p50_mean"]) and pd.isna(feb["usd_p50_sum"])      # 22 / 29 < 80 %
    assert (mar["due_days"], mar["unknown_days"]) == (31, 6)
    daily = _frame(con, "SELECT network_share_p50, usd_per_day_p50 FROM marts.mining_contribution_daily "
                        "WHERE coin = 'ETC' AND date BETWEEN '2024-03-01' AND '2024-03-31'")
    known = daily.dropna()
    assert len(daily) == 31 and len(known) == 25
    # 25 / 31 >= 80 %: the known days stand for the whole month (the attribution's scaling), not 6 zeros
    assert mar["network_share_p50_mean"] == pytest.approx(known["network_share_p50"].mean(), rel=1e-9)
    assert mar["usd_p50_sum"] == pytest.approx(known["usd_per_day_p50"].sum() * 31 / 25, rel=1e-9)


def test_the_window_flows_scale_the_known_days_and_say_how_many_were_unknown(con):
    w = _frame(con, "SELECT * FROM views.rally_window_flows WHERE coin = 'XMR' AND window_name = 'rally'").iloc[0]
    days = _frame(con, "SELECT usd_per_day_p50 FROM marts.mining_contribution_daily WHERE coin = 'XMR' "
                       "AND date BETWEEN ? AND ?", [w["window_start"], w["window_end"]])
    span = (pd.Timestamp(w["window_end"]) - pd.Timestamp(w["window_start"])).days + 1
    assert w["due_days"] == span and w["unknown_days"] == 31
    known = days["usd_per_day_p50"].dropna()
    assert len(known) == span - 31                             # 152 of 183 days: over 80 %
    assert w["idle_mining_usd_p50"] == pytest.approx(known.sum() * span / len(known), rel=1e-9)
    # the rally attribution uses the same rule: its mining channels are known for XMR over this window
    # (the flow channel sums the window's days; the hashrate channel reads its first and last proof-of-work
    # days, which the gap in January does not touch)
    rows = _frame(con, "SELECT channel, log_return_p50, inputs FROM marts.rally_attribution WHERE coin = 'XMR' "
                       "AND window_name = 'rally' AND subject = 'idle_ai_mining'").set_index("channel")
    assert "network data on 152 of 183 proof-of-work days" in rows.loc["flow", "inputs"]
    assert np.isfinite(rows.loc["flow", "log_return_p50"]) and np.isfinite(rows.loc["hashrate", "log_return_p50"])


def test_profitability_months_without_network_data_are_unknown_not_unprofitable(con):
    rows = _frame(con, "SELECT * FROM views.mining_profitability_monthly WHERE coin = 'XMR' AND month = '2024-01-01'")
    assert len(rows) > 0
    assert (rows["days"] == 0).all() and (rows["due_days"] == 31).all() and (rows["unknown_days"] == 31).all()
    for column in ("revenue_usd_per_day", "margin_usd_per_day", "profitable_share", "hashprice_usd_per_th_day"):
        assert rows[column].isna().all(), column
    etc = _frame(con, "SELECT days, unknown_days, margin_usd_per_day FROM views.mining_profitability_monthly "
                      "WHERE coin = 'ETC' AND month = '2024-02-01'")
    assert len(etc) and (etc["days"] == 22).all() and (etc["unknown_days"] == 7).all()
    assert etc["margin_usd_per_day"].isna().all()


def test_a_coin_missing_from_the_consensus_table_is_unknown_not_zero(con):
    zec = _frame(con, "SELECT * FROM marts.mining_contribution_daily WHERE coin = 'ZEC' AND date BETWEEN ? AND ?",
                 [ZEC_DAYS[0].date(), ZEC_DAYS[-1].date()])
    assert len(zec) == len(ZEC_DAYS)
    assert zec["consensus"].isna().all()
    assert (zec["network_hashrate_hs"] == 1.2e10).all()           # the chain data are there ...
    for column in ("network_share_p50", "coins_per_day_p50", "usd_per_day_p50", "fleet_to_network_p50"):
        assert zec[column].isna().all(), column                  # ... but whether it was mined is not known
    assert zec["unknown_reason"].str.contains("not in core.consensus_periods").all()
    month = _frame(con, "SELECT due_days, unknown_days, network_share_p50_mean FROM "
                        "views.idle_fleet_network_share_monthly WHERE coin = 'ZEC' AND month = '2024-02-01'").iloc[0]
    assert (month["due_days"], month["unknown_days"]) == (29, 29) and pd.isna(month["network_share_p50_mean"])


def test_a_proof_of_stake_day_stays_a_known_zero(con):
    # ETH's network data end 2022-12-06; the consensus table still knows 2023 is proof of stake.
    pos = _frame(con, "SELECT * FROM marts.mining_contribution_daily WHERE coin = 'ETH' "
                      "AND date IN ('2022-10-01', '2023-06-15', '2024-02-01') ORDER BY date")
    assert len(pos) == 3 and (pos["consensus"] == "pos").all()
    for column in ("network_share_p05", "network_share_p50", "network_share_p95", "coins_per_day_p50",
                   "usd_per_day_p50", "usd_per_day_p95", "fleet_to_network_p50", "fleet_hashrate_hs_p50"):
        assert (pos[column] == 0).all(), column
    assert pos["unknown_reason"].isna().all()
    month = _frame(con, "SELECT * FROM views.idle_fleet_network_share_monthly WHERE coin = 'ETH' "
                        "AND month = '2023-06-01'").iloc[0]
    assert (month["days"], month["pow_days"], month["due_days"], month["unknown_days"]) == (30, 0, 0, 0)
    assert month["network_share_p50_mean"] == 0 and month["usd_p50_sum"] == 0
    flows = _frame(con, "SELECT due_days, unknown_days, idle_mining_usd_p50 FROM views.rally_window_flows "
                        "WHERE coin = 'ETH' AND window_name = 'rally'").iloc[0]
    assert (flows["due_days"], flows["unknown_days"], flows["idle_mining_usd_p50"]) == (0, 0, 0.0)


def test_the_report_counts_the_unknown_days(con):
    summary = {r[0]: dict(zip([d[0] for d in con.description], r))
               for r in con.execute(load_sql("report/network_share_summary.sql")).fetchall()}
    assert summary["XMR"]["days_unknown"] >= 31
    assert summary["ETC"]["days_unknown"] >= 13
    assert summary["ZEC"]["days_unknown"] == summary["ZEC"]["days"]
    assert summary["ZEC"]["mean_share_p50"] is None and summary["ZEC"]["max_share_p95"] is None
    assert summary["ETH"]["days_unknown"] == 0


def test_the_sql_coverage_rule_is_the_attributions(con):
    assert con.execute("SELECT views.min_coverage()").fetchone()[0] == attribution.MIN_COVERAGE


def test_window_mining_without_a_consensus_table_counts_a_day_without_hashrate_as_unknown():
    """A proof-of-work row without a network hashrate is not a proof-of-stake day: it stays in the window's
    due days (2 of 3 covered < 80 %: unknown) instead of leaving them as a known zero."""
    days = pd.date_range("2024-01-01", periods=3, freq="D")
    c = contribution.CoinDraws(
        coin="BTC", algorithm="sha256d", dates=days, fleet_hs=np.full((2, 3), 1e18),
        network_hs=np.array([9e18, 9e18, np.nan]), issued_coins=np.array([450.0, 450.0, np.nan]),
        close_usd=np.full(3, 40_000.0), pow_day=np.array([True, True, False]),
        consensus=np.array(["pow", "pow", "pow"], dtype=object), hashrate_basis="benchmark")
    r = attribution.Rally("BTC", attribution.Window("w", days[0], days[-1]), days[0], days[-1], 0.1, 1e12, "cap")
    share, usd, note = attribution.window_mining(c, r, 2)
    assert np.isnan(share).all() and np.isnan(usd).all()
    assert "cover 2 of the window's 3" in note
    assert np.isnan(c.share()[:, 2]).all() and np.isnan(c.usd()[:, 2]).all()


def test_the_make_run_summary_says_which_days_are_unknown(con):
    from pipelines.run import unknown_days_summary

    lines = unknown_days_summary(con)
    assert lines and "unknown (not 0)" in lines[0]
    xmr = next(line for line in lines if line.startswith("  XMR: "))
    days = con.execute("SELECT count(*), count(*) FILTER (WHERE network_share_p50 IS NULL) "
                       "FROM marts.mining_contribution_daily WHERE coin = 'XMR'").fetchone()
    assert xmr == f"  XMR: {days[1]:,} of {days[0]:,} days (no network data for this day)"
    assert not any(line.startswith("  ETH: ") for line in lines)          # proof of stake is known


def test_data_freshness_shows_the_unknown_days_as_a_gap(con):
    rows = con.execute("SELECT subject, missing_days, last_date - first_date + 1 FROM views.data_freshness "
                       "WHERE table_name = 'marts.mining_contribution_daily' AND subject IS NOT NULL").fetchall()
    gaps = {subject: missing for subject, missing, _ in rows}
    assert gaps["XMR"] == 31 and gaps["ETC"] == 13 and gaps["ETH"] == 0
    # ZEC has a row on every modelled day and a known share on none: every day is a gap
    assert gaps["ZEC"] == next(span for subject, _, span in rows if subject == "ZEC") > len(ZEC_DAYS)


def test_the_report_fleet_section_says_the_unknown_days(partial, con):
    from pipelines.lib.report import data as report_data
    from pipelines.lib.report.model import Paragraph, Table
    from pipelines.lib.report.sections.fleet import fleet_section
    from pipelines.lib.report.sections.profitability import profitability_section

    rows = report_data.read(con, partial.warehouse, partial.raw)
    section = fleet_section(rows, {})
    table = next(b for b in section.blocks if isinstance(b, Table) and "days unknown" in b.headers)
    unknown = {str(r[0]): r[table.headers.index("days unknown")] for r in table.rows}
    assert unknown["XMR"] == "31" and unknown["ETC"] == "13" and unknown["ETH"] == "0"
    notes = [b.text.plain() for b in section.blocks if isinstance(b, Paragraph)]
    assert any(n.startswith("XMR: the share is unknown on 31 day(s)") and "no network data for this day" in n
               and "20%" in n for n in notes)
    profit = profitability_section(rows, {})
    table = next(b for b in profit.blocks if isinstance(b, Table) and "days unknown" in b.headers)
    xmr = [r for r in table.rows if str(r[0]) == "XMR"]
    assert xmr and all(r[table.headers.index("days unknown")] == "31" for r in xmr)


def test_contribution_days_without_issuance_hashrate_or_row_carry_their_reason():
    """Unit level: a proof-of-work day without issuance keeps its share (the network is known) but its coins
    and USD are unknown; one without hashrate or without a row is unknown throughout; proof of stake is 0."""
    from pipelines.lib.models import mining

    days = pd.date_range("2024-01-01", periods=5, freq="D")
    network = pd.DataFrame({
        "coin": "ETC", "date": days[[0, 1, 2, 4]], "hashrate_hs": [1.8e14, 1.8e14, np.nan, 1.8e14],
        "difficulty": np.nan, "block_reward_coins": [2.56, np.nan, 2.56, 2.56], "blocks_per_day": 6500.0,
        "issuance_coins": np.nan, "fees_coins": np.nan, "consensus": "pow"})
    prices = pd.DataFrame({"asset": "ETC", "date": days, "close_usd": 20.0, "market_cap_usd": np.nan})
    coins = pd.DataFrame({"ticker": ["ETC"], "algorithm": ["etchash"], "names": ["ethereum classic"]})
    chain = mining.chain_daily(network, prices, coins, rewards=mining.nominal_rewards().iloc[0:0])
    consensus = pd.DataFrame({"coin": ["ETC"], "valid_from": ["2016-07-20"], "valid_to": [None], "consensus": ["pow"]})
    idle = np.full((3, 5), 1000.0, dtype=np.float32)
    draws = {"idle_share": np.zeros(3), "hashrate_fleet_etchash": np.array([1e8, 2e8, 3e8])}
    devs = pd.DataFrame(columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "basis", "source"])
    (etc,), _ = contribution.coin_draws(chain, idle, days, devs, "NVIDIA H100 SXM", draws, consensus)
    out = contribution.contribution_daily([etc], None, days).set_index("date")
    assert list(out.index) == list(days)
    # 01-01: everything known: 2e11 / (1.8e14 + 2e11) of 2.56 x 6500 coins at 20 USD
    share = 2e11 / (1.8e14 + 2e11)
    assert out.loc[days[0], "network_share_p50"] == pytest.approx(share, rel=1e-6)
    assert out.loc[days[0], "usd_per_day_p50"] == pytest.approx(share * 2.56 * 6500 * 20, rel=1e-6)
    assert pd.isna(out.loc[days[0], "unknown_reason"])
    # 01-02: no issuance: the share is known, coins and USD are not
    assert out.loc[days[1], "network_share_p50"] == pytest.approx(share, rel=1e-6)
    assert np.isnan(out.loc[days[1], ["coins_per_day_p50", "usd_per_day_p50"]].astype(float)).all()
    assert out.loc[days[1], "unknown_reason"] == mining.NO_ISSUANCE
    # 01-03: no hashrate; 01-04: no row at all: unknown, never 0
    for day, reason in ((days[2], mining.NO_HASHRATE), (days[3], mining.NO_NETWORK_ROW)):
        values = out.loc[day, ["network_share_p50", "coins_per_day_p50", "usd_per_day_p50", "fleet_to_network_p50"]]
        assert np.isnan(values.astype(float)).all() and out.loc[day, "unknown_reason"] == reason
    assert out.loc[days[3], "consensus"] == "pow"             # from the consensus table


def test_a_coin_whose_network_data_stop_before_the_modelled_days_is_unknown_on_them():
    """ETC's only network file ends in 2020 (as in ../shared/data): on the 2024 model days it is a proof-of-work
    coin without data, so every day is unknown with its reason instead of the coin silently missing."""
    from pipelines.lib.models import mining

    network = pd.DataFrame({"coin": "ETC", "date": pd.date_range("2020-07-01", periods=3, freq="D"),
                            "hashrate_hs": 1.5e13, "difficulty": np.nan, "block_reward_coins": 3.2,
                            "blocks_per_day": 6400.0, "issuance_coins": np.nan, "fees_coins": np.nan,
                            "consensus": "pow"})
    prices = pd.DataFrame(columns=["asset", "date", "close_usd", "market_cap_usd"])
    coins = pd.DataFrame({"ticker": ["ETC"], "algorithm": ["etchash"], "names": ["ethereum classic"]})
    chain = mining.chain_daily(network, prices, coins)
    consensus = pd.DataFrame({"coin": ["ETC"], "valid_from": ["2016-07-20"], "valid_to": [None], "consensus": ["pow"]})
    days = pd.date_range("2024-01-01", periods=4, freq="D")
    draws = {"idle_share": np.zeros(2), "hashrate_fleet_etchash": np.array([1e8, 2e8])}
    devs = pd.DataFrame(columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "basis", "source"])
    got, skipped = contribution.coin_draws(chain, np.full((2, 4), 10.0, dtype=np.float32), days, devs,
                                           "NVIDIA H100 SXM", draws, consensus)
    assert skipped == [] and [c.coin for c in got] == ["ETC"]
    out = contribution.contribution_daily(got, None, days)
    assert list(out["date"]) == list(days) and (out["consensus"] == "pow").all()
    assert out[["network_share_p50", "usd_per_day_p50", "fleet_to_network_p50"]].isna().all().all()
    assert (out["unknown_reason"] == mining.NO_NETWORK_ROW).all()
