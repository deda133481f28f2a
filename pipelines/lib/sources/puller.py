"""Optional puller: new daily USD prices from CoinGecko's public API into raw/prices/pulled/.

For each asset it looks at the names of the files it wrote before
(``<ASSET>-USD_coingecko_<first>_<last>.csv``), fetches the whole UTC days after the last one up
to yesterday (today is not complete yet) and writes them in CoinGecko's export shape, which
``pipelines.lib.sources.prices.parse_price_file`` reads as asset <ASSET> quoted in USD. A network
problem never raises: it costs that asset one log line and the pipeline carries on with the
files it already has.
"""
from __future__ import annotations

import csv
import datetime as dt
import http.client
import json
import math
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipelines.lib.common.files import replace_atomically

COINGECKO_IDS = {
    "BTC": "bitcoin", "ETH": "ethereum", "ETC": "ethereum-classic", "XMR": "monero",
    "LTC": "litecoin", "RVN": "ravencoin", "KAS": "kaspa", "DOGE": "dogecoin",
}
FIRST_PULL_DAYS = 90      # how far back the first pull of an asset reaches
HEADER = ["snapped_at", "price", "market_cap", "total_volume"]
USER_AGENT = "leakpipe/0.1"


@dataclass
class PullReport:
    files_written: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    ok: bool = True


class PullError(Exception):
    """Why one asset could not be updated: network, HTTP status or response shape."""


def _midnight_s(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def last_pulled_day(pulled_dir: Path, asset: str) -> dt.date | None:
    """The last day covered by the puller's own files for asset, read from their names only."""
    day = r"\d{4}-\d{2}-\d{2}"
    pattern = re.compile(rf"{re.escape(asset)}-USD_coingecko_({day})_({day})\.csv")
    days = [dt.date.fromisoformat(m.group(2)) for p in pulled_dir.glob("*.csv")
            if (m := pattern.fullmatch(p.name))]
    return max(days, default=None)


def _fetch_json(url: str, timeout_s: float) -> object:
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise PullError(f"HTTP {exc.code} {exc.reason} from {url}") from exc
    except urllib.error.URLError as exc:
        raise PullError(f"cannot reach {url}: {exc.reason}") from exc
    except TimeoutError as exc:
        raise PullError(f"no answer from {url} within {timeout_s:g} s") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise PullError(f"connection to {url} failed: {type(exc).__name__} {exc}") from exc
    try:
        return json.loads(body)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise PullError(f"malformed JSON from {url}: {exc}") from exc


def _last_per_day(payload: object, key: str, url: str) -> dict[dt.date, float]:
    """{UTC day: value of the day's last point} of one [[ms, value], ...] series."""
    series = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(series, list):
        raise PullError(f"unexpected response from {url}: no {key!r} list")
    last: dict[dt.date, tuple[float, float]] = {}
    for point in series:
        try:
            ms, value = point
            day = dt.datetime.fromtimestamp(float(ms) / 1000, dt.timezone.utc).date()
            value = None if value is None else float(value)
        except (TypeError, ValueError, OverflowError, OSError):
            raise PullError(f"unexpected response from {url}: {key} point {point!r} "
                            "is not [ms, value]") from None
        if value is not None and math.isfinite(value) and (day not in last or ms >= last[day][0]):
            last[day] = (ms, value)
    return {day: value for day, (_, value) in last.items()}


def _write_atomically(path: Path, rows: list[list[object]]) -> None:
    """Write the CSV under a temporary name in the same folder, then rename it into place."""
    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)

    replace_atomically(path, write)


def pull_prices(raw_dir: Path, assets: tuple[str, ...], base_url: str, today: dt.date,
                timeout_s: float = 10.0, log: Callable[[str], object] = print) -> PullReport:
    """Fetch each asset's missing complete UTC days (up to yesterday) into raw_dir/prices/pulled/.

    ok is False when any asset was not updated (network/HTTP/response problem, unknown asset);
    a ValueError is raised only for a base_url that is not http(s).
    """
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"price puller: base_url must be an http(s) URL, got {base_url!r}")
    report = PullReport()

    def say(message: str, failed: bool = False) -> None:
        report.messages.append(message)
        report.ok = report.ok and not failed
        log(message)

    pulled_dir = Path(raw_dir) / "prices" / "pulled"
    yesterday = today - dt.timedelta(days=1)
    for asset in (a.strip().upper() for a in assets):
        coin_id = COINGECKO_IDS.get(asset)
        if coin_id is None:
            known = ", ".join(COINGECKO_IDS)
            say(f"price puller: skipping unknown asset {asset!r} (known: {known})", failed=True)
            continue
        last = last_pulled_day(pulled_dir, asset)
        start = last + dt.timedelta(days=1) if last else today - dt.timedelta(days=FIRST_PULL_DAYS)
        if start > yesterday:
            say(f"price puller: {asset} already up to date (through {last})")
            continue
        query = urllib.parse.urlencode({"vs_currency": "usd", "from": _midnight_s(start),
                                        "to": _midnight_s(today) - 1})
        url = f"{base_url.rstrip('/')}/coins/{coin_id}/market_chart/range?{query}"
        try:
            payload = _fetch_json(url, timeout_s)
            prices = _last_per_day(payload, "prices", url)
            caps = _last_per_day(payload, "market_caps", url)
            volumes = _last_per_day(payload, "total_volumes", url)
        except PullError as exc:
            say(f"price puller: {asset} not updated ({exc}); "
                "continuing with the files already in raw/prices", failed=True)
            continue
        days = sorted(d for d in prices if start <= d <= yesterday)
        if not days:
            say(f"price puller: {asset} got no prices for {start}..{yesterday} from {url}")
            continue
        rows = [[f"{d.isoformat()} 00:00:00 UTC", prices[d], caps.get(d, ""), volumes.get(d, "")]
                for d in days]
        pulled_dir.mkdir(parents=True, exist_ok=True)
        path = pulled_dir / f"{asset}-USD_coingecko_{days[0]}_{days[-1]}.csv"
        _write_atomically(path, rows)
        report.files_written.append(path)
        say(f"price puller: {asset} +{len(days)} day(s) {days[0]}..{days[-1]} -> {path.name}")
    return report
