"""Price files (Yahoo, CoinGecko export, Coin Metrics, Binance klines) -> daily USD bars.

The shape is read from the header (or, for headerless Binance klines, from the column count),
the asset from an asset/symbol column or the file name. The rows themselves are parsed, checked
and aggregated by DuckDB (pipelines/sql/core/prices_*.sql): a multi-million-row minute file costs about
what DuckDB's own read_csv of it costs.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib.common.csvfile import (
    InputError,
    detect_timestamp_kind,
    normalise,
    quote_ident,
    read_head,
)
from pipelines.lib.common.names import USD_QUOTES, asset_from_name
from pipelines.lib.common.parsed import SYNTHETIC_PATTERN, Parsed, Rejected
from pipelines.lib.warehouse.sql import load_sql, run_file

HISTORY_START = dt.date(2009, 1, 3)   # Bitcoin's genesis block: no crypto price is older
# Lower rank wins when two files give the same asset and day: USD-quoted daily sources first.
SOURCE_RANK = {"coinmetrics": 1, "yahoo": 2, "coingecko": 3, "binance": 4}

REASONS = {
    "prices.unparseable_timestamp": "cannot read the date/time {ts_raw!r}",
    "prices.future_date": "dated {ts_raw!r}, which is in the future",
    "prices.before_history_start": f"dated {{ts_raw!r}}, before {HISTORY_START} (no crypto prices exist before Bitcoin's genesis block)",
    "prices.missing_close": "close price {close_raw!r} is missing or not a number",
    "prices.non_positive_price": "a price is zero or negative",
    "prices.unparseable_number": "open, high or low is not a number",
    "prices.high_below_low": "high {high} is below low {low}",
    "prices.conflicting_duplicate": "timestamp {ts_raw!r} appears more than once with different values",
}

BINANCE_KLINE_COLUMNS = ["open_time", "open", "high", "low", "close", "volume", "close_time",
                         "quote_asset_volume", "number_of_trades", "taker_buy_base_volume",
                         "taker_buy_quote_volume", "ignore"]


@dataclass(frozen=True)
class Layout:
    shape: str                 # yahoo | coingecko | coinmetrics | binance
    ts: str
    close: str
    open: str | None = None
    high: str | None = None
    low: str | None = None
    volume: str | None = None
    volume_unit: str = "usd"   # usd | coins | usd_trailing_24h
    market_cap: str | None = None
    asset: str | None = None   # column holding the asset, when the file has one
    source: str | None = None  # column holding a per-row provenance note
    snapshot: bool = False     # one price per timestamp instead of OHLC bars


def _pick(columns: dict[str, str], *names: str) -> str | None:
    for name in names:
        if name in columns:
            return columns[name]
    return None


def detect_layout(header: list[str] | None, n_columns: int) -> Layout:
    """Which of the known price shapes a header is; InputError naming what is missing if none."""
    if header is None:
        if n_columns in (11, 12):  # data.binance.vision klines carry no header
            return Layout("binance", ts="column00", open="column01",
                          high="column02", low="column03", close="column04", volume="column07",
                          volume_unit="usd")
        raise InputError(f"no header row, and {n_columns} columns is not the Binance kline layout (12)")
    cols = {normalise(h): h for h in header if h.strip()}
    asset = _pick(cols, "asset", "symbol", "ticker", "coin")
    source = _pick(cols, "source", "note", "notes")
    if "snapped_at" in cols and "price" in cols:
        return Layout("coingecko", ts=cols["snapped_at"], close=cols["price"],
                      volume=_pick(cols, "total_volume"), volume_unit="usd_trailing_24h",
                      market_cap=_pick(cols, "market_cap"), asset=asset, source=source, snapshot=True)
    if "priceusd" in cols and ("time" in cols or "date" in cols):
        return Layout("coinmetrics", ts=_pick(cols, "time", "date"), close=cols["priceusd"],
                      market_cap=_pick(cols, "capmrktcurusd"), asset=_pick(cols, "asset"),
                      source=source, snapshot=True)
    ts = _pick(cols, "open_time", "datetime", "date", "timestamp", "time", "snapped_at")
    if ts and {"open", "high", "low", "close"} <= cols.keys():
        if "quote_asset_volume" in cols or "open_time" in cols or "close_time" in cols:
            quote_volume = _pick(cols, "quote_asset_volume")
            return Layout("binance", ts=ts, open=cols["open"], high=cols["high"], low=cols["low"],
                          close=cols["close"], volume=quote_volume or _pick(cols, "volume"),
                          volume_unit="usd" if quote_volume else "coins", asset=asset, source=source)
        coins = _pick(cols, "volume_coins", "volume_base", "base_volume")
        return Layout("yahoo", ts=ts, open=cols["open"], high=cols["high"], low=cols["low"],
                      close=cols["close"], volume=coins or _pick(cols, "volume_usd", "volume"),
                      volume_unit="coins" if coins else "usd",
                      market_cap=_pick(cols, "market_cap", "market_cap_usd"), asset=asset, source=source)
    raise InputError(
        "unknown price file header " + ", ".join(repr(h) for h in header[:12])
        + ": expected Yahoo (Date/datetime, open, high, low, close, volume), CoinGecko export "
        "(snapped_at, price, market_cap, total_volume), Coin Metrics (time, PriceUSD, ...) "
        "or Binance klines"
    )


# DuckDB refuses lines over 2 MB by default; a provenance note may be longer (5 MB seen). Bounded
# so that one runaway line cannot take the memory of the run.
MAX_LINE_BYTES = 64 * 1024 * 1024


def _utf8_copy(path: Path, encoding: str) -> Path:
    """A UTF-8 copy of a text file in another encoding, in the temp folder (DuckDB's reader knows
    UTF-8, UTF-16 LE and strict latin-1 only; a cp1252 euro sign or a UTF-16 BE file fails it)."""
    import codecs
    import os
    import tempfile

    codec = "cp1252" if encoding == "latin-1" else encoding   # what 'latin-1' files mostly are
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    handle, name = tempfile.mkstemp(prefix="leakpipe-prices-", suffix=".csv")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out, open(path, "rb") as src:
        while block := src.read(1 << 20):
            out.write(decoder.decode(block))
        out.write(decoder.decode(b"", final=True))
    return Path(name)


NUMERIC_FIELDS = ("open", "high", "low", "close", "volume", "market_cap")


def _source_view_sql(layout: Layout, column_types: list[str] | None) -> str:
    """The view price_src over the file: every column as text, or (fast path) the numeric columns
    typed by the reader, whose unreadable cells land in the table price_reader_rejects."""
    def col(name: str | None) -> str:
        return quote_ident(name) if name else "NULL"

    if column_types is None:
        # Long lines only here: a 64 MB max_line_size makes the reader's buffers large and the fast
        # path about 30 % slower; a file with a longer line fails the fast path and comes here.
        reading = f"all_varchar = true, max_line_size = {MAX_LINE_BYTES}"
    else:  # type names from our own fixed set only: nothing from the file reaches this text
        reading = ("types = [" + ", ".join(f"'{t}'" for t in column_types) + "], store_rejects = true, "
                   "rejects_table = 'price_reader_rejects', rejects_scan = 'price_reader_scans'")
    return (
        "CREATE OR REPLACE TEMP VIEW price_src AS SELECT "
        f"{col(layout.ts)} AS ts_raw, {col(layout.open)} AS open_raw, {col(layout.high)} AS high_raw, "
        f"{col(layout.low)} AS low_raw, {col(layout.close)} AS close_raw, "
        f"{col(layout.volume)} AS volume_raw, {col(layout.market_cap)} AS market_cap_raw, "
        f"{col(layout.asset)} AS asset_raw, {col(layout.source)} AS source_raw "
        "FROM read_csv(getvariable('path'), delim = getvariable('delim'), header = getvariable('header'), "
        f"{reading}, encoding = getvariable('encoding'), quote = '\"', strict_mode = false, "
        "null_padding = true)"
    )


def _column_types(layout: Layout, head, n_columns: int) -> list[str]:
    """Reader types by position: DOUBLE for the price and volume columns, VARCHAR for the rest."""
    types = ["VARCHAR"] * n_columns
    for field in NUMERIC_FIELDS:
        name = getattr(layout, field)
        if name:
            types[head.header.index(name) if head.header else int(name.removeprefix("column"))] = "DOUBLE"
    return types


def _stage(con: duckdb.DuckDBPyConnection, layout: Layout, column_types: list[str] | None) -> tuple[int, int]:
    """Stage the file's typed rows as price_rows; returns (rejected rows, repeated timestamps)."""
    con.execute(_source_view_sql(layout, column_types))
    run_file(con, "core/prices_rows.sql")
    store, view = _stage_sql(layout)
    con.execute(store)
    con.execute(view)
    rejected, not_increasing = con.execute(load_sql("core/prices_summary.sql")).fetchone()
    repeated = con.execute(load_sql("core/prices_repeats.sql")).fetchone()[0] if not_increasing else 0
    if column_types is not None:
        rejected += con.execute(load_sql("core/prices_reader_rejects.sql")).fetchone()[0]
    return rejected, repeated


# Staged columns that a file may not have: (Layout field, column, value when absent). Only the
# columns a file has are stored for every row; a view adds the others back as constants, which
# saves about a tenth of the load time on a multi-million-row file.
_OPTIONAL_COLUMNS = [("open", "open", "NULL::DOUBLE"), ("high", "high", "NULL::DOUBLE"),
                     ("low", "low", "NULL::DOUBLE"), ("volume", "volume", "NULL::DOUBLE"),
                     ("market_cap", "market_cap", "NULL::DOUBLE"), ("asset", "asset", "getvariable('asset')"),
                     ("source", "is_synthetic", "false")]


def _stage_sql(layout: Layout) -> tuple[str, str]:
    """Statements that store the typed rows of price_rows_v, and the view price_rows over them."""
    stored = ["ts", "close", "reason"] + [col for field, col, _ in _OPTIONAL_COLUMNS if getattr(layout, field)]
    absent = [f"{default} AS {col}" for field, col, default in _OPTIONAL_COLUMNS if not getattr(layout, field)]
    return (f"CREATE OR REPLACE TEMP TABLE price_rows_stored AS SELECT {', '.join(stored)} FROM price_rows_v",
            "CREATE OR REPLACE TEMP VIEW price_rows AS SELECT " + ", ".join(["*"] + absent)
            + " FROM price_rows_stored")


def parse_price_file(path: Path, today: dt.date, con: duckdb.DuckDBPyConnection | None = None) -> Parsed:
    """Daily bars of one price file, with every rejected row and its line number."""
    try:
        head = read_head(path)
        if not head.rows:
            raise InputError("the file has a header row but no data rows")
        n_columns = max(len(r) for r in ([head.header] if head.header else []) + head.rows[:50])
        layout = detect_layout(head.header, n_columns)
        name_asset, quote = asset_from_name(path.name)
        if quote and quote not in USD_QUOTES:
            raise InputError(f"prices quoted in {quote}: the warehouse keeps USD (or USDT) prices only")
        if layout.asset is None and name_asset is None:
            raise InputError("cannot tell the asset: name the file like BTC-USD.csv or add an asset column")
        ts_index = (head.header.index(layout.ts) if head.header else int(layout.ts.removeprefix("column")))
        ts_kind = detect_timestamp_kind([r[ts_index] for r in head.rows if len(r) > ts_index])
        if ts_kind is None:
            raise InputError(f"cannot read the dates in column {layout.ts!r} (first value "
                             f"{head.rows[0][ts_index] if head.rows else ''!r})")
    except InputError as exc:
        return Parsed.failed(str(exc), "prices.unreadable_file")

    own = con is None
    con = con or duckdb.connect()
    utf8_copy = None
    try:
        if head.encoding != "utf-8":
            utf8_copy = _utf8_copy(path, head.encoding)
        con.execute("SET TimeZone = 'UTC'")
        # DuckDB 2.0 pushes TRY_CAST into the CSV reader as a plain cast, which fails on a bad cell
        # instead of giving NULL; bad cells must become rejected rows, so that rewrite is off here.
        con.execute("SET disabled_optimizers = 'type_pushdown'")
        variables = {"path": str(utf8_copy or path), "delim": head.delimiter, "header": head.header is not None,
                     "encoding": "utf-8" if utf8_copy else head.encoding, "ts_kind": ts_kind, "asset": name_asset,
                     "today": today, "history_start": HISTORY_START, "snapshot": layout.snapshot,
                     "volume_unit": layout.volume_unit, "header_lines": 1 if head.header else 0,
                     "synthetic_pattern": SYNTHETIC_PATTERN}
        for key, value in variables.items():
            con.execute(f"SET VARIABLE {key} = $value", {"value": value})
        run_file(con, "core/parse_timestamp.sql")
        # Fast path: the reader types the numbers. Any rejected cell or row, or a repeated
        # timestamp, sends the file down the slow path, which reads every cell as text so that
        # each rejected row gets its exact line number.
        try:
            rejected_count, repeated = _stage(con, layout, _column_types(layout, head, n_columns))
        except duckdb.Error:  # for example more columns than the header: the slow path tells
            rejected_count, repeated = 1, 0
        if rejected_count or repeated:
            try:
                rejected_count, repeated = _stage(con, layout, None)
            except duckdb.Error as exc:
                return Parsed.failed(f"cannot read the file as CSV: {str(exc).splitlines()[0]}",
                                     "prices.unreadable_file")
        if repeated:
            run_file(con, "core/prices_dedupe.sql")
        rejected = []
        if rejected_count or repeated:
            for line, ts_raw, close_raw, asset, o, h, lo, c, v, reason in con.execute(
                load_sql("core/prices_rejected.sql")
            ).fetchall():
                record = {"timestamp": ts_raw, "asset": asset, "open": o, "high": h, "low": lo,
                          "close": c if c is not None else close_raw, "volume": v}
                text = REASONS[reason].format(ts_raw=ts_raw, close_raw=close_raw, high=h, low=lo)
                rejected.append(Rejected(f"line {line}", record, text, reason))
        bars = con.execute(load_sql("core/prices_bars.sql")).df()
    finally:
        if own:
            con.close()
        if utf8_copy is not None:
            utf8_copy.unlink(missing_ok=True)
    quote_currency = "USDT" if quote == "USDT" or (layout.shape == "binance" and quote is None) else "USD"
    bars["quote_currency"] = quote_currency
    bars["source"] = f"{layout.shape}:{path.name}"
    bars["source_rank"] = SOURCE_RANK[layout.shape] + (10 if quote_currency == "USDT" else 0)
    if bars.empty and not rejected:
        return Parsed.failed("the file holds no price rows", "prices.no_rows")
    return Parsed(rows=bars, rejected=rejected, notes=[f"shape {layout.shape}, dates {ts_kind}"])
