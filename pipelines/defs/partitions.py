"""Partitions of the two daily tables (core.prices_daily, core.network_daily; UTC days since Bitcoin's
genesis).

Each table is written by two assets: `core/<table>` with daily partitions, which the schedule and
the sensors use for recent days, and `core/<table>_history` with monthly partitions, which a history
backfill uses for every month that has ended. Dagster records one materialisation per partition of a
run over a range, so a backfill of 15 years costs about 180 monthly events instead of 5,500 daily
ones, and the UI still shows which months (history) and days (recent) each table holds.
"""
from __future__ import annotations

import datetime as dt
import warnings

import dagster as dg

from pipelines.lib.sources.prices import HISTORY_START

# The daily tables use BackfillPolicy.single_run() (a backfill is one run over a date range), which Dagster
# labels beta on every import; the label tells a user nothing they can act on, so it is not printed.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

daily = dg.DailyPartitionsDefinition(start_date=HISTORY_START.isoformat(), timezone="UTC")
monthly = dg.MonthlyPartitionsDefinition(start_date=HISTORY_START.replace(day=1).isoformat(), timezone="UTC")
DATED_TABLES = ("prices_daily", "network_daily")


def history_key(table: str) -> dg.AssetKey:
    """The monthly-partitioned asset that writes `table` for whole months of history."""
    return dg.AssetKey(["core", f"{table}_history"])


def table_keys(*tables: str) -> list[dg.AssetKey]:
    """The assets that write the core tables `tables`: one per table, two for a daily table (its recent
    days and its monthly history), so whatever reads it runs after both."""
    return [key for t in tables for key in ([dg.AssetKey(["core", t])]
                                            + ([history_key(t)] if t in DATED_TABLES else []))]


def window(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date]:
    """[start, end) dates of the partition(s) this run materialises (a day, a month, or a range of them)."""
    tw = context.partition_time_window
    return tw.start.date(), tw.end.date()


def range_tags(first: dt.date, last: dt.date) -> dict[str, str]:
    """Run tags that make one run materialise the partitions whose keys are first..last (inclusive):
    days, or months by their first day."""
    return {"dagster/asset_partition_range_start": first.isoformat(),
            "dagster/asset_partition_range_end": last.isoformat()}


def clip_to_partitions(first: dt.date, last: dt.date, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The part of [first, last] that has partitions (complete UTC days up to yesterday)."""
    first, last = max(first, HISTORY_START), min(last, today - dt.timedelta(days=1))
    return (first, last) if first <= last else None


def split_span(span: tuple[dt.date, dt.date] | None, today: dt.date):
    """(months, days) for the dates first..last: the months that have ended by `today` as monthly history
    partitions (keys = their first days), and the days of the current month as daily partitions; either is
    None when empty. A month is history once it has ended, so a day is never in both."""
    if span is None:
        return None, None
    first, last = span
    this_month = today.replace(day=1)
    months = (first.replace(day=1), min(last, this_month - dt.timedelta(days=1)).replace(day=1)) \
        if first < this_month else None
    days = (max(first, this_month), last) if last >= this_month else None
    return months, days
