"""Daily partitions shared by the market and chain tables (UTC days since Bitcoin's genesis)."""
from __future__ import annotations

import datetime as dt

import dagster as dg

from pipelines.lib.prices import HISTORY_START

daily = dg.DailyPartitionsDefinition(start_date=HISTORY_START.isoformat(), timezone="UTC")


def window(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date]:
    """[start, end) dates of the partition(s) this run materialises (one day or a backfill range)."""
    tw = context.partition_time_window
    return tw.start.date(), tw.end.date()


def range_tags(first: dt.date, last: dt.date) -> dict[str, str]:
    """Run tags that make one run materialise partitions first..last (inclusive)."""
    return {"dagster/asset_partition_range_start": first.isoformat(),
            "dagster/asset_partition_range_end": last.isoformat()}


def clip_to_partitions(first: dt.date, last: dt.date, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The part of [first, last] that has partitions (complete UTC days up to yesterday)."""
    first, last = max(first, HISTORY_START), min(last, today - dt.timedelta(days=1))
    return (first, last) if first <= last else None
