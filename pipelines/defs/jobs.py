"""Jobs: ingest (files -> core tables), daily tables + everything that reads them, everything.

Whatever reads a daily table (the verification and model marts, the published warehouse, the
Data Docs) runs in the daily job, after the day rows it needs, never in the ingest job before them.
"""
from __future__ import annotations

import dagster as dg

from pipelines.defs.partitions import daily

DAILY_TABLES = dg.AssetSelection.assets(["core", "prices_daily"], ["core", "network_daily"])
# The register's expectations need every parser's outcome, so they run with the marts, not right
# after the register is scanned (when every file is still 'pending').
DOCUMENTS_CHECK = dg.AssetSelection.checks(dg.AssetCheckKey(dg.AssetKey(["core", "documents"]), "expectations"))
AFTER_DAILY = DAILY_TABLES.downstream(include_self=False) | DOCUMENTS_CHECK   # marts, publish, Data Docs

ingest_job = dg.define_asset_job(
    "ingest_job", selection=dg.AssetSelection.all() - DAILY_TABLES - AFTER_DAILY,
    description="Register every raw file, then load and validate every unpartitioned core table.")
daily_tables_job = dg.define_asset_job(
    "daily_tables_job", selection=DAILY_TABLES | AFTER_DAILY, partitions_def=daily,
    description="One row per asset/coin and day for a day or a range of days, validated; then the marts "
                "that read them, the published warehouse and the Data Docs.")
analysis_job = dg.define_asset_job(
    "analysis_job", selection=AFTER_DAILY,
    description="The marts, the published warehouse and the Data Docs on the tables as they are "
                "(for a run without dated rows).")
daily_market_job = dg.define_asset_job(
    "daily_market_job", selection=dg.AssetSelection.all(), partitions_def=daily,
    description="The daily refresh: pull (if enabled), ingest, yesterday's daily rows, marts, publish.")
