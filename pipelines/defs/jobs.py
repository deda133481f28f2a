"""Jobs: ingest (every file, unpartitioned tables), daily tables (a partition or range), everything."""
from __future__ import annotations

import dagster as dg

from pipelines.defs.partitions import daily

DAILY_TABLES = dg.AssetSelection.assets(["core", "prices_daily"], ["core", "network_daily"])
PUBLISH = dg.AssetSelection.assets(["warehouse", "published"])

ingest_job = dg.define_asset_job(
    "ingest_job", selection=dg.AssetSelection.all() - DAILY_TABLES,
    description="Register every raw file and load every unpartitioned table, then publish.")
daily_tables_job = dg.define_asset_job(
    "daily_tables_job", selection=DAILY_TABLES | PUBLISH, partitions_def=daily,
    description="Choose one row per asset/coin and day for a day or a range of days, then publish.")
daily_market_job = dg.define_asset_job(
    "daily_market_job", selection=dg.AssetSelection.all(), partitions_def=daily,
    description="The daily refresh: pull (if enabled), ingest, yesterday's daily rows, publish.")
