"""Benchmark: parse_price_file on a multi-million-row Binance 1-minute kline file vs DuckDB's own
read_csv of the same file into a table.

    PYTHONPATH=. python bench/load_prices.py [--rows N] [--repeat R] [--quick]

The input (BTCUSDT-1m.csv, with the Binance kline header) is generated once, deterministically,
by DuckDB into bench/out/ (git-ignored) and reused while its size matches. Timing is reported,
never asserted; the script fails (exit 1) only if the project's result is wrong.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT_DIR, add_quick, ensure_importable, print_table, timed_interleaved  # noqa: E402

ensure_importable()
from pipelines.lib.sources.prices import BINANCE_KLINE_COLUMNS, HISTORY_START, parse_price_file  # noqa: E402

GENERATOR_VERSION = 1
SEED = 20240311
DEFAULT_ROWS = 5_000_000
TARGET = "<= 1.5x"
MINUTE_MS = 60_000
# The file ends at 2024-12-31 23:59 UTC: in the past (no future-date rejections), last day whole.
END_MS = int(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc).timestamp() * 1000)
FIRST_ALLOWED_MS = int(dt.datetime.combine(HISTORY_START + dt.timedelta(days=1), dt.time(),
                                           tzinfo=dt.timezone.utc).timestamp() * 1000)

# Deterministic (hash-based, not random(): DuckDB's random() is not reproducible across threads).
# u(k): a uniform in [0, 1) per row and stream k. The log price is a random walk (per-minute
# sigma ~0.08 %, approximately normal steps from a sum of four uniforms) folded back into
# [ln 20 000, ln 70 000] by reflection, so it stays in a realistic BTC band for any length.
# open = the previous minute's close; high/low lie a little outside max/min(open, close).
GENERATE_SQL = """
COPY (
    WITH steps AS (
        SELECT i,
               ({u1} + {u2} + {u3} + {u4} - 2.0) * 0.0008 * sqrt(3.0) AS step,
               {u5} AS u_high, {u6} AS u_low, {u7} AS u_vol, {u8} AS u_taker, {u9} AS u_trades
        FROM range({rows}) AS r(i)
    ), walk AS (
        SELECT *, sum(step) OVER (ORDER BY i ROWS UNBOUNDED PRECEDING) AS x FROM steps
    ), folded AS (
        SELECT *,
               {fold_close} AS c_log,
               {fold_open} AS o_log
        FROM walk
    ), bars AS (
        SELECT i, u_high, u_low, u_vol, u_taker, u_trades,
               round(exp(o_log), 2) AS o, round(exp(c_log), 2) AS c
        FROM folded
    ), priced AS (
        SELECT *,
               round(greatest(o, c) * (1 + 0.0006 * u_high * u_high), 2) AS h,
               round(least(o, c) * (1 - 0.0006 * u_low * u_low), 2) AS l,
               round(0.5 + 80.0 * u_vol * u_vol * u_vol, 5) AS v
        FROM bars
    )
    SELECT {start_ms} + i * {minute_ms} AS open_time,
           o AS open, h AS high, l AS low, c AS close, v AS volume,
           {start_ms} + i * {minute_ms} + {minute_ms} - 1 AS close_time,
           round(v * (o + c) / 2, 4) AS quote_asset_volume,
           (20 + floor(u_trades * 3000) + floor(v * 40))::BIGINT AS number_of_trades,
           round(v * u_taker, 5) AS taker_buy_base_volume,
           round(v * u_taker * (o + c) / 2, 4) AS taker_buy_quote_volume,
           0 AS ignore
    FROM priced
    ORDER BY i
) TO '{path}' (FORMAT csv, HEADER true, DELIMITER ',')
"""


def _uniform(stream: int) -> str:
    return f"((hash(i, {SEED}, {stream}) % 1000003)::DOUBLE / 1000003.0)"


def _fold(expr: str) -> str:
    """Reflect a log-price offset into [ln 20 000, ln 70 000] (triangle wave)."""
    lo, hi = "ln(20000.0)", "ln(70000.0)"
    w = f"({hi} - {lo})"
    start = f"(ln(30000.0) - {lo})"
    y = f"(({expr}) + {start})"
    m = f"({y} - 2 * {w} * floor({y} / (2 * {w})))"      # in [0, 2w)
    return f"({lo} + {w} - abs({w} - {m}))"


def generate(path: Path, rows: int) -> tuple[int, int]:
    """Write the kline file; (first open_time, last open_time) in epoch ms."""
    start_ms = max(END_MS - rows * MINUTE_MS, FIRST_ALLOWED_MS)
    tmp = path.with_name(path.name + ".partial")   # renamed into place once complete
    sql = GENERATE_SQL.format(
        rows=rows, start_ms=start_ms, minute_ms=MINUTE_MS,
        fold_close=_fold("x"), fold_open=_fold("x - step"),
        path=str(tmp).replace("'", "''"),
        **{f"u{k}": _uniform(k) for k in range(1, 10)},
    )
    con = duckdb.connect()
    try:
        con.execute(sql)
    finally:
        con.close()
    with open(tmp, "rb") as fh:
        header = fh.readline().decode().strip().split(",")
    if header != BINANCE_KLINE_COLUMNS:
        raise SystemExit(f"generated header {header} is not the Binance kline header")
    os.replace(tmp, path)
    return start_ms, start_ms + (rows - 1) * MINUTE_MS


def input_file(rows: int) -> tuple[Path, int, int, bool]:
    """(path, first ms, last ms, reused): bench/out/rows_<N>/BTCUSDT-1m.csv, made if missing."""
    folder = OUT_DIR / f"rows_{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "BTCUSDT-1m.csv"
    meta_path = folder / "BTCUSDT-1m.meta.json"
    want = {"rows": rows, "seed": SEED, "generator_version": GENERATOR_VERSION}
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if {k: meta.get(k) for k in want} == want and meta.get("bytes") == path.stat().st_size:
            return path, meta["first_ms"], meta["last_ms"], True
    first_ms, last_ms = generate(path, rows)
    meta_path.write_text(json.dumps({**want, "bytes": path.stat().st_size,
                                     "first_ms": first_ms, "last_ms": last_ms}, indent=2))
    return path, first_ms, last_ms, False


def baseline(path: Path) -> int:
    """DuckDB's own read_csv of the file into a table (fresh in-memory database each time)."""
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
        return con.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = add_quick(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--rows", type=int, default=None,
                        help=f"rows in the generated minute file (default {DEFAULT_ROWS:_}; --quick: 500_000)")
    parser.add_argument("--repeat", type=int, default=None, help="best of N runs each (default 3; --quick: 1)")
    args = parser.parse_args(argv)
    rows = args.rows or (500_000 if args.quick else DEFAULT_ROWS)
    repeat = args.repeat or (1 if args.quick else 3)
    if rows < 1440:
        parser.error("--rows must be at least one day of minutes (1440)")

    started = time.perf_counter()
    path, first_ms, last_ms, reused = input_file(rows)
    first_day = dt.datetime.fromtimestamp(first_ms / 1000, dt.timezone.utc).date()
    last_day = dt.datetime.fromtimestamp(last_ms / 1000, dt.timezone.utc).date()
    today = max(dt.date.today(), last_day + dt.timedelta(days=1))
    size_mb = path.stat().st_size / 1e6
    print(f"input: {path} ({rows:,} rows, {size_mb:,.0f} MB, {first_day} .. {last_day} UTC), "
          f"{'reused' if reused else f'generated in {time.perf_counter() - started:.1f} s'}")
    print(f"duckdb {duckdb.__version__}, {os.cpu_count()} CPUs, best of {repeat}, interleaved")

    results = {}
    best = timed_interleaved(
        {"project": lambda: parse_price_file(path, today), "baseline": lambda: baseline(path)},
        repeat=repeat, keep=lambda name, result: results.__setitem__(name, result),
    )

    print()
    print_table([{"workload": f"Binance 1m klines, {rows / 1e6:g}M rows -> daily bars",
                  "project": best["project"], "baseline": best["baseline"], "target": TARGET}])
    print()
    for name in ("project", "baseline"):
        print(f"{name:>8}: {rows / best[name] / 1e6:6.2f} M rows/s ({size_mb / best[name]:,.0f} MB/s)")

    # Sanity of the project's result (correctness, not speed: this one may fail the script).
    parsed = results["project"]
    expected_days = (last_day - first_day).days + 1
    problems = []
    if parsed.error:
        problems.append(f"error: {parsed.error}")
    bars = parsed.rows
    if len(bars) != expected_days:
        problems.append(f"{len(bars)} daily bars, expected {expected_days} (~rows/1440 = {rows / 1440:.1f})")
    if parsed.rejected:
        problems.append(f"{len(parsed.rejected)} rejected rows, expected 0 "
                        f"(first: {parsed.rejected[0].locator}: {parsed.rejected[0].reason})")
    if not bars.empty and int(bars["bars"].sum()) != rows:
        problems.append(f"daily bars cover {int(bars['bars'].sum())} minute rows, expected {rows}")
    if results["baseline"] != rows:
        problems.append(f"baseline read {results['baseline']} rows, expected {rows}")
    print()
    if not bars.empty:
        print(f"project result: {len(bars):,} daily bars (rows/1440 = {rows / 1440:,.1f}), "
              f"{len(parsed.rejected)} rejected, error={parsed.error!r}, notes={parsed.notes}, "
              f"assets={sorted(bars['asset'].unique())}, {bars['date'].min():%Y-%m-%d} .. {bars['date'].max():%Y-%m-%d}, "
              f"close {bars['close_usd'].min():,.0f} .. {bars['close_usd'].max():,.0f} USD")
    print("sanity: " + ("ok" if not problems else "FAILED: " + "; ".join(problems)))
    print(f"total {time.perf_counter() - started:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
