"""The CoinGecko puller against a local fake of the API (no real network)."""
from __future__ import annotations

import csv
import datetime as dt
import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipelines.lib.sources.puller import pull_prices

TODAY = dt.date(2024, 3, 15)
BASES = {"bitcoin": 60000.0, "ethereum": 3500.0, "monero": 130.0}
PATH_PREFIX = "/api/v3/coins/"


def price_at(coin: str, ms: int) -> float:
    """A deterministic, realistic-looking price: base plus a slow drift and an hourly wiggle."""
    hours = ms // 3_600_000
    return round(BASES.get(coin, 1.0) * (1 + (hours % 500) / 5000 + (hours % 7) / 1000), 6)


def utc_day(ms: int) -> dt.date:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).date()


class FakeCoinGecko(BaseHTTPRequestHandler):
    """Hourly points (at hh:02:17.345, like the real API's irregular stamps) over [from, to],
    plus a few past `to` as the real API does when it appends the latest price."""

    def log_message(self, *args):  # keep pytest output quiet
        pass

    def do_GET(self):
        server = self.server
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        coin = url.path.removeprefix(PATH_PREFIX).removesuffix("/market_chart/range")
        server.requests.append({"coin": coin, "query": query, "headers": dict(self.headers)})
        mode = server.modes.get(coin, server.mode)
        if mode == "slow":
            time.sleep(1.0)
        if mode == "close":
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if mode in (500, 429):
            self.send_error(mode)
            return
        if not url.path.startswith(PATH_PREFIX) or not url.path.endswith("/market_chart/range"):
            self.send_error(404)
            return
        if mode == "malformed":
            body = b'{"prices": [[1709251200000, 61000.1], [1709254'
        elif mode == "bad_point":
            body = b'{"prices": [[1e30, 61000.1]], "market_caps": [], "total_volumes": []}'
        elif mode == "wrong_shape":
            error = {"error_code": 10002, "error_message": "API key missing"}
            body = json.dumps({"status": error}).encode()
        else:
            start, end = int(query["from"]), int(query["to"]) + 3 * 3600  # overshoot past `to`
            first_hour = -(-start // 3600) * 3600
            stamps = [(h + 137) * 1000 + 345 for h in range(first_hour, end, 3600)]
            prices = [[ms, price_at(coin, ms)] for ms in stamps]
            body = json.dumps({
                "prices": prices,
                "market_caps": [[ms, p * 19_600_000] for ms, p in prices],
                "total_volumes": [[ms, 2.5e10 + (ms // 3_600_000 % 24) * 1e8] for ms, _ in prices],
            }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass    # the client gave up (the timeout tests do this on purpose)


@pytest.fixture
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCoinGecko)
    server.mode, server.modes, server.requests = "ok", {}, []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}/api/v3"
    yield server
    server.shutdown()
    server.server_close()


def pull(tmp_path: Path, api, assets=("BTC",), today=TODAY, logged=None):
    return pull_prices(tmp_path, assets, api.base_url, today, timeout_s=5,
                       log=(logged.append if logged is not None else lambda _m: None))


def pulled_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "prices" / "pulled"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def test_first_pull_writes_one_row_per_complete_day(tmp_path, api):
    report = pull(tmp_path, api)
    first, last = TODAY - dt.timedelta(days=90), TODAY - dt.timedelta(days=1)
    expected = tmp_path / "prices" / "pulled" / f"BTC-USD_coingecko_{first}_{last}.csv"
    assert report.ok and report.files_written == [expected]
    assert pulled_files(tmp_path) == [expected]
    header, rows = read_rows(expected)
    assert header == ["snapped_at", "price", "market_cap", "total_volume"]
    assert expected.read_text().splitlines()[0] == "snapped_at,price,market_cap,total_volume"
    days = [first + dt.timedelta(days=i) for i in range(90)]
    assert [r["snapped_at"] for r in rows] == [f"{d} 00:00:00 UTC" for d in days]
    assert all(not r["snapped_at"].startswith(str(TODAY)) for r in rows)
    for day, row in zip(days, rows):  # the day's last hourly point is at 23:02:17.345
        last_ms = int(dt.datetime(day.year, day.month, day.day, 23, 2, 17, 345000,
                                  tzinfo=dt.timezone.utc).timestamp() * 1000)
        assert float(row["price"]) == price_at("bitcoin", last_ms)
        assert float(row["market_cap"]) == pytest.approx(price_at("bitcoin", last_ms) * 19_600_000)
        assert float(row["total_volume"]) == 2.5e10 + 23 * 1e8
    request = api.requests[0]
    assert request["coin"] == "bitcoin" and request["query"]["vs_currency"] == "usd"
    assert request["headers"]["User-Agent"] == "leakpipe/0.1"
    assert request["headers"]["Accept"] == "application/json"


def test_second_pull_same_day_writes_nothing(tmp_path, api):
    first = pull(tmp_path, api)
    before = {p: p.read_bytes() for p in pulled_files(tmp_path)}
    second = pull(tmp_path, api)
    assert second.ok and second.files_written == []
    assert {p: p.read_bytes() for p in pulled_files(tmp_path)} == before
    assert len(api.requests) == 1  # already up to date: not even a request
    assert first.files_written and "up to date" in second.messages[0]


def test_later_pull_fetches_only_missing_days(tmp_path, api):
    pull(tmp_path, api)
    later = TODAY + dt.timedelta(days=3)
    report = pull(tmp_path, api, today=later)
    query = api.requests[-1]["query"]
    assert utc_day(int(query["from"]) * 1000) == TODAY
    assert int(query["from"]) % 86400 == 0
    assert utc_day(int(query["to"]) * 1000) == later - dt.timedelta(days=1)
    last = later - dt.timedelta(days=1)
    new = tmp_path / "prices" / "pulled" / f"BTC-USD_coingecko_{TODAY}_{last}.csv"
    assert report.ok and report.files_written == [new]
    assert [r["snapped_at"][:10] for r in read_rows(new)[1]] == [
        str(TODAY + dt.timedelta(days=i)) for i in range(3)]
    assert len(pulled_files(tmp_path)) == 2


@pytest.mark.parametrize("mode, fragment", [
    (500, "HTTP 500 Internal Server Error"),
    (429, "HTTP 429 Too Many Requests"),
    ("malformed", "malformed JSON"),
    ("wrong_shape", "unexpected response"),
    ("bad_point", "is not [ms, value]"),
    ("close", "connection to"),
])
def test_server_failures_give_one_message_and_no_file(tmp_path, api, mode, fragment):
    api.mode = mode
    logged = []
    report = pull(tmp_path, api, logged=logged)
    assert not report.ok and report.files_written == [] and pulled_files(tmp_path) == []
    assert logged == report.messages and len(logged) == 1
    assert logged[0].startswith("price puller: BTC not updated (")
    assert fragment in logged[0]
    assert logged[0].endswith("continuing with the files already in raw/prices")


def test_timeout_gives_one_message(tmp_path, api):
    api.mode = "slow"
    logged = []
    report = pull_prices(tmp_path, ("BTC",), api.base_url, TODAY, timeout_s=0.2, log=logged.append)
    assert not report.ok and pulled_files(tmp_path) == []
    assert len(logged) == 1 and "BTC not updated (no answer from" in logged[0]


def test_connection_refused_gives_one_message(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    logged = []
    report = pull_prices(tmp_path, ("BTC",), f"http://127.0.0.1:{port}/api/v3", TODAY,
                         timeout_s=5, log=logged.append)
    assert not report.ok and pulled_files(tmp_path) == []
    assert len(logged) == 1 and "BTC not updated (cannot reach" in logged[0]


def test_one_failing_asset_does_not_block_the_others(tmp_path, api):
    api.modes = {"ethereum": 429}
    report = pull(tmp_path, api, assets=("BTC", "ETH", "XMR"))
    assert not report.ok
    assert [p.name.split("_")[0] for p in report.files_written] == ["BTC-USD", "XMR-USD"]
    assert [m for m in report.messages if "not updated" in m] == [report.messages[1]]
    assert "ETH not updated (HTTP 429" in report.messages[1]


def test_unknown_asset_is_skipped_with_one_message(tmp_path, api):
    report = pull(tmp_path, api, assets=("FOO", "BTC"))
    assert len(report.files_written) == 1 and not report.ok
    assert len([m for m in report.messages if "FOO" in m]) == 1
    assert [r["coin"] for r in api.requests] == ["bitcoin"]


def test_no_assets_means_no_request(tmp_path, api):
    report = pull(tmp_path, api, assets=())
    assert report.ok and report.files_written == [] and api.requests == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/api",
                                 "api.coingecko.com"])
def test_non_http_base_url_is_rejected(tmp_path, url):
    with pytest.raises(ValueError, match="http"):
        pull_prices(tmp_path, ("BTC",), url, TODAY)


def test_written_file_parses_with_the_price_parser(tmp_path, api):
    from pipelines.lib.sources.prices import parse_price_file

    report = pull(tmp_path, api, assets=("ETH",))
    (path,) = report.files_written
    parsed = parse_price_file(path, TODAY)
    assert parsed.error is None and parsed.rejected == []
    assert len(parsed.rows) == 90 and set(parsed.rows["asset"]) == {"ETH"}
    assert list(parsed.rows["date"].astype(str)) == [
        str(TODAY - dt.timedelta(days=90 - i)) for i in range(90)]
    assert (parsed.rows["quote_currency"] == "USD").all()
    assert parsed.rows["source"].iloc[0].startswith("coingecko:")
