import datetime as dt

import pytest

from pipelines.lib.sources.prices import asset_from_name, detect_layout, parse_price_file

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("name,expected", [
    ("BTC-USD.csv", ("BTC", "USD")), ("BTCUSDT-1h-2024-03.csv", ("BTC", "USDT")),
    ("etc-usd-max.csv", ("ETC", "USD")), ("xmr_coinmetrics.csv", ("XMR", None)),
    ("btc.csv", ("BTC", None)), ("ETH-EUR.csv", ("ETH", "EUR")), ("ETHBTC.csv", ("ETH", "BTC")),
    ("123.csv", (None, None)),
])
def test_asset_from_name(name, expected):
    assert asset_from_name(name) == expected


@pytest.mark.parametrize("header,shape", [
    (["datetime", "open", "high", "low", "close", "volume"], "yahoo"),
    (["Date", "Open", "High", "Low", "Close", "Volume", "Dividends", "Stock Splits"], "yahoo"),
    (["snapped_at", "price", "market_cap", "total_volume"], "coingecko"),
    (["time", "PriceUSD", "CapMrktCurUSD", "HashRate"], "coinmetrics"),
    (["datetime", "open", "high", "low", "close", "volume", "close_time", "quote_asset_volume"], "binance"),
    (None, "binance"),
])
def test_detect_layout(header, shape):
    assert detect_layout(header, 12).shape == shape


def test_unknown_header_is_a_clear_error(tmp_path):
    path = tmp_path / "BTC-USD.csv"
    path.write_text("foo,bar\n1,2\n")
    parsed = parse_price_file(path, TODAY)
    assert parsed.error and "unknown price file header" in parsed.error
    assert parsed.rejected[0].locator == "file"


def test_bad_rows_are_rejected_with_their_lines(tmp_path):
    path = tmp_path / "BTC-USD.csv"
    path.write_text(
        "Date,Open,High,Low,Close,Volume\n"
        "2024-01-01,10,11,9,10.5,100\n"      # line 2 good
        "2024-01-02,10,9,11,10.5,100\n"      # line 3 high < low
        "not-a-date,1,1,1,1,1\n"             # line 4
        "2024-01-03,10,11,9,10.5,100\n"      # line 5 conflicts with line 6
        "2024-01-03,10,11,9,12,100\n"
        "2024-01-04,10,11,9,10.5,100\n"      # lines 7 and 8 identical: one kept
        "2024-01-04,10,11,9,10.5,100\n"
        "2024-01-05,10,11,9,-1,100\n"        # line 9 negative
        "2031-01-01,10,11,9,10,1\n"          # line 10 future
        "2024-01-06,10,11,9,abc,1\n")        # line 11 not a number
    parsed = parse_price_file(path, TODAY)
    assert parsed.error is None
    assert [str(d) for d in parsed.rows["date"].astype(str)] == ["2024-01-01", "2024-01-04"]
    got = {(r.locator, r.check_name) for r in parsed.rejected}
    assert got == {("line 3", "prices.high_below_low"), ("line 4", "prices.unparseable_timestamp"),
                   ("line 5", "prices.conflicting_duplicate"), ("line 6", "prices.conflicting_duplicate"),
                   ("line 9", "prices.non_positive_price"), ("line 10", "prices.future_date"),
                   ("line 11", "prices.missing_close")}
    assert all(r.reason for r in parsed.rejected)


def test_intraday_binance_klines_aggregate_to_daily_bars_in_usd(tmp_path):
    path = tmp_path / "BTCUSDT-1h.csv"
    day = 1709251200000  # 2024-03-01 00:00 UTC
    lines = []
    for hour, (o, h, lo, c) in enumerate([(100, 110, 95, 105), (105, 120, 100, 115), (115, 116, 90, 92)]):
        t = day + hour * 3_600_000
        lines.append(f"{t},{o},{h},{lo},{c},2.0,{t + 3599999},{2.0 * c},10,1,1,0")
    path.write_text("\n".join(lines) + "\n")
    parsed = parse_price_file(path, TODAY)
    row = parsed.rows.iloc[0]
    assert (row["asset"], str(row["date"])[:10]) == ("BTC", "2024-03-01")
    assert (row["open"], row["high"], row["low"], row["close_usd"]) == (100, 120, 90, 92)
    assert row["volume_usd"] == pytest.approx(2.0 * (105 + 115 + 92))
    assert row["bars"] == 3 and row["quote_currency"] == "USDT"


def test_coin_volume_is_converted_to_usd(tmp_path):
    path = tmp_path / "ETH-USD.csv"
    path.write_text("datetime,open,high,low,close,volume_coins\n2024-01-01 00:00,10,12,9,11,3\n"
                    "2024-01-01 12:00,11,13,10,12,2\n")
    row = parse_price_file(path, TODAY).rows.iloc[0]
    assert row["volume_usd"] == pytest.approx(3 * 11 + 2 * 12)
    assert row["close_usd"] == 12


def test_coingecko_snapshot_keeps_last_trailing_volume(tmp_path):
    path = tmp_path / "etc-usd-max.csv"
    path.write_text("snapped_at,price,market_cap,total_volume\n2024-01-01 00:00:00 UTC,20,2e9,1e8\n"
                    "2024-01-02 00:00:00 UTC,21,2.1e9,1.2e8\n")
    rows = parse_price_file(path, TODAY).rows
    assert list(rows["close_usd"]) == [20, 21] and list(rows["volume_usd"]) == [1e8, 1.2e8]
    assert rows["open"].isna().all()  # one snapshot a day is no OHLC bar


def test_non_usd_quote_is_refused(tmp_path):
    path = tmp_path / "BTC-EUR.csv"
    path.write_text("Date,Open,High,Low,Close,Volume\n2024-01-01,1,1,1,1,1\n")
    assert "quoted in EUR" in parse_price_file(path, TODAY).error


@pytest.mark.parametrize("content", ["", "\n\n", "Date,Open\n"])
def test_degenerate_files_do_not_crash(tmp_path, content):
    path = tmp_path / "BTC-USD.csv"
    path.write_text(content)
    assert parse_price_file(path, TODAY).error


def test_repeats_are_found_when_timestamps_are_not_in_order(tmp_path):
    path = tmp_path / "BTC-USD.csv"
    path.write_text("Date,Open,High,Low,Close,Volume\n2024-01-03,1,2,1,2,1\n2024-01-01,1,2,1,2,1\n"
                    "2024-01-03,1,2,1,3,1\n2024-01-02,1,2,1,2,1\n")
    parsed = parse_price_file(path, TODAY)
    assert [str(d)[:10] for d in parsed.rows["date"]] == ["2024-01-01", "2024-01-02"]
    assert {(r.locator, r.check_name) for r in parsed.rejected} == {
        ("line 2", "prices.conflicting_duplicate"), ("line 4", "prices.conflicting_duplicate")}


def test_a_bad_cell_on_the_fast_path_still_gets_its_line(tmp_path):
    path = tmp_path / "BTCUSDT-1m.csv"
    rows = [f"{1709251200000 + i * 60000},1,2,0.5,1.5,3,{1709251200000 + i * 60000 + 59999},4.5,1,1,1,0"
            for i in range(500)]
    rows[321] = rows[321].replace(",1.5,", ",oops,")
    path.write_text("\n".join(rows) + "\n")
    parsed = parse_price_file(path, TODAY)
    assert [(r.locator, r.check_name) for r in parsed.rejected] == [("line 322", "prices.missing_close")]
    assert parsed.rows.iloc[0]["bars"] == 499
