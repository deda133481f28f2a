import datetime as dt

import pytest

from pipelines.lib.sources.events import parse_events_file
from pipelines.lib.sources.flows import parse_flows_file
from pipelines.lib.sources.fx import parse_fx_file
from pipelines.lib.sources.hardware import parse_hardware_file
from pipelines.lib.sources.network import parse_network_file

TODAY = dt.date(2026, 11, 26)


def test_coinmetrics_hashrate_unit_is_recovered_from_difficulty(tmp_path):
    # BTC: difficulty counts 2^32 hashes; 144 blocks a day at difficulty D means D*2^32/600 H/s.
    d = 8.0e13
    implied_ths = d * 2**32 * 144 / 86400 / 1e12
    path = tmp_path / "btc.csv"
    path.write_text("time,HashRate,DiffMean,BlkCnt,IssTotNtv,FeeTotNtv\n" + "".join(
        f"2024-01-0{i},{implied_ths},{d},144,900,20\n" for i in range(1, 5)))
    row = parse_network_file(path, TODAY).rows.iloc[0]
    assert row["hashrate_hs"] == pytest.approx(implied_ths * 1e12)
    assert row["block_reward_coins"] == pytest.approx(900 / 144)


def test_coinmetrics_xmr_hashrate_in_hs(tmp_path):
    path = tmp_path / "xmr.csv"
    path.write_text("time,HashRate,DiffMean,BlkCnt,IssTotNtv\n" + "".join(
        f"2024-01-0{i},2.6e9,3.12e11,720,432\n" for i in range(1, 5)))
    assert parse_network_file(path, TODAY).rows.iloc[0]["hashrate_hs"] == pytest.approx(2.6e9)


@pytest.mark.parametrize("name,scale", [("eth_hashrate_ghs.csv", 1e9), ("eth_hashrate_ths.csv", 1e12),
                                        ("eth_hashrate.csv", 1e9)])
def test_etherscan_unit_from_file_name(tmp_path, name, scale):
    path = tmp_path / name
    path.write_text('"Date(UTC)","UnixTimeStamp","Value"\n"9/14/2022","1663113600","871044.19"\n')
    row = parse_network_file(path, TODAY).rows.iloc[0]
    assert (row["coin"], str(row["date"])) == ("ETH", "2022-09-14")
    assert row["hashrate_hs"] == pytest.approx(871044.19 * scale)


def test_network_bad_rows(tmp_path):
    path = tmp_path / "btc_x.csv"
    path.write_text("date,hashrate_ths,difficulty\n2024-01-01,500,1\n2024-01-02,abc,2\n2024-01-03,-5,1\n"
                    "2024-01-04,1,1\n2024-01-04,2,1\n")
    parsed = parse_network_file(path, TODAY)
    assert list(parsed.rows["hashrate_hs"]) == [5e14]
    assert {(r.locator, r.check_name) for r in parsed.rejected} == {
        ("line 3", "network.unparseable_number"), ("line 4", "network.negative_value"),
        ("line 5", "network.conflicting_duplicate"), ("line 6", "network.conflicting_duplicate")}
    reasons = {r.locator: r.reason for r in parsed.rejected}
    assert reasons["line 3"] == "a value is not a number: hashrate_ths='abc'"


def test_ecb_multi_currency_converts_to_usd_per_unit(tmp_path):
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text("Date,USD,JPY,GBP,\n2024-01-02,1.0956,155.68,0.8680,\n2024-01-03,1.0919,N/A,0.8640,\n")
    rows = parse_fx_file(path, TODAY).rows.set_index(["date", "currency"])["usd_per_unit"]
    assert rows[(dt.date(2024, 1, 2), "EUR")] == pytest.approx(1.0956)
    assert rows[(dt.date(2024, 1, 2), "JPY")] == pytest.approx(1.0956 / 155.68)
    assert (dt.date(2024, 1, 3), "JPY") not in rows.index  # N/A: no rate that day, not an error


def test_farside_flows_parentheses_dashes_and_summary_rows(tmp_path):
    path = tmp_path / "farside_btc.csv"
    path.write_text('Date,IBIT,GBTC,Total\n11 Jan 2024,111.7,(95.1),16.6\n12 Jan 2024,"1,045.0",-,"1,045.0"\n'
                    "Total,1156.7,(95.1),1061.6\n")
    parsed = parse_flows_file(path, TODAY)
    flows = parsed.rows.set_index(["date", "fund"])["net_flow_usd"]
    assert flows[(dt.date(2024, 1, 11), "GBTC")] == pytest.approx(-95.1e6)
    assert flows[(dt.date(2024, 1, 12), "IBIT")] == pytest.approx(1045.0e6)
    assert (dt.date(2024, 1, 12), "GBTC") not in flows.index
    assert set(parsed.rows["asset"]) == {"BTC"}
    assert [(r.locator, r.check_name) for r in parsed.rejected] == [("line 4", "fund_flows_daily.summary_row")]


def test_hardware_units_and_classes(tmp_path):
    path = tmp_path / "specs.csv"
    path.write_text("device,device_class,algorithm,hashrate,unit,power_w,source\n"
                    "A100,datacenter GPU,Ethash,170,MH/s,200,nicehash\nS21,asic,SHA-256,200,TH/s,3500,bitmain\n"
                    "X,toaster,sha256d,1,TH/s,1,x\n")
    parsed = parse_hardware_file(path, TODAY)
    rows = parsed.rows.set_index("device")
    assert rows.loc["A100", "hashrate_hs"] == pytest.approx(170e6)
    assert rows.loc["A100", "device_class"] == "datacenter_gpu"
    assert rows.loc["S21", "algorithm"] == "sha256d" and rows.loc["S21", "hashrate_hs"] == pytest.approx(2e14)
    assert [r.check_name for r in parsed.rejected] == ["hardware_specs.unknown_device_class"]


def test_events_with_synonym_headers(tmp_path):
    path = tmp_path / "key_events.csv"
    path.write_text("date,event,detail,external_source\n2022-09-15,Ethereum Merge,PoW->PoS,ethereum.org\n"
                    "someday,Bad,,\n")
    parsed = parse_events_file(path, TODAY)
    assert parsed.rows.iloc[0]["title"] == "Ethereum Merge" and parsed.rows.iloc[0]["kind"] == "protocol"   # read from title and detail
    assert [r.locator for r in parsed.rejected] == ["line 3"]


def test_block_interval_gives_blocks_per_day_and_bad_intervals_are_rejected(tmp_path):
    path = tmp_path / "btc_network_daily.csv"
    path.write_text("date,hashrate_hs,subsidy_btc,block_interval_min_bitcoinvisuals\n"
                    "2024-01-01,5e20,900,10\n2024-01-02,5e20,900,ten\n")
    parsed = parse_network_file(path, TODAY)
    row = parsed.rows.iloc[0]
    assert row["blocks_per_day"] == pytest.approx(144) and row["block_reward_coins"] == pytest.approx(6.25)
    assert [(r.locator, r.check_name) for r in parsed.rejected] == [("line 3", "network.unparseable_number")]


@pytest.mark.parametrize("note,expected", [("synthetic daily path", True), ("APPROXIMATE level", True),
                                           ("Yahoo Finance month-end close", False), (None, False)])
def test_source_notes_mark_synthetic_rows(note, expected):
    import pandas as pd

    from pipelines.lib.common.parsed import marked_synthetic

    assert bool(marked_synthetic(pd.Series([note]))[0]) is expected
