"""Daily partitions shared by the market and chain tables (UTC days since Bitcoin's genesis)."""
from __future__ import annotations

import datetime as dt
import warnings

import dagster as dg

from pipelines.lib.sources.prices import HISTORY_START

# The daily tables use BackfillPolicy.single_run() (a backfill is one run over a date range), which Dagster
# labels beta on every import; the label tells a user nothing they can act on, so it is not printed.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

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
