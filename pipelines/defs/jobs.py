"""Jobs: ingest (files -> core tables), the daily tables (recent days, or whole months of history) +
everything that reads them, everything, and the weekly report (report + exports, read from the
published warehouse).

Whatever reads a daily table (the verification and model marts, the published warehouse, the
Data Docs) runs in the daily or history job, after the day rows it needs, never in the ingest job
before them.
"""
from __future__ import annotations

import dagster as dg

from pipelines.defs.partitions import DATED_TABLES, daily, history_key, monthly

DAILY_TABLES = dg.AssetSelection.assets(*[["core", t] for t in DATED_TABLES])
HISTORY_TABLES = dg.AssetSelection.assets(*[history_key(t) for t in DATED_TABLES])
DATED = DAILY_TABLES | HISTORY_TABLES
# The register's expectations need every parser's outcome, so they run with the marts, not right
# after the register is scanned (when every file is still 'pending').
DOCUMENTS_CHECK = dg.AssetSelection.checks(dg.AssetCheckKey(dg.AssetKey(["core", "documents"]), "expectations"))
# The report and the exports are written by their own (weekly) job, not on every refresh.
REPORTS = dg.AssetSelection.assets(["reports", "report"], ["reports", "exports"])
AFTER_DAILY = (DATED.downstream(include_self=False) - DATED - REPORTS) | DOCUMENTS_CHECK   # marts, publish, Data Docs

ingest_job = dg.define_asset_job(
    "ingest_job", selection=dg.AssetSelection.all() - DATED - AFTER_DAILY - REPORTS,
    description="Register every raw file, then load and validate every unpartitioned core table.")
daily_tables_job = dg.define_asset_job(
    "daily_tables_job", selection=DAILY_TABLES | AFTER_DAILY, partitions_def=daily,
    description="One row per asset/coin and day for a day or a range of days, validated; then the marts "
                "that read them, the published warehouse and the Data Docs.")
history_tables_job = dg.define_asset_job(
    "history_tables_job", selection=HISTORY_TABLES | AFTER_DAILY, partitions_def=monthly,
    description="The daily tables' rows for a month or a range of whole months of history (one "
                "materialisation per month), validated; then the marts, the published warehouse and the Data Docs.")
analysis_job = dg.define_asset_job(
    "analysis_job", selection=AFTER_DAILY,
    description="The marts, the published warehouse and the Data Docs on the tables as they are "
                "(for a run without dated rows).")
daily_market_job = dg.define_asset_job(
    "daily_market_job", selection=dg.AssetSelection.all() - REPORTS - HISTORY_TABLES, partitions_def=daily,
    description="The daily refresh: pull (if enabled), ingest, yesterday's daily rows, marts, publish.")
report_job = dg.define_asset_job(
    "report_job", selection=REPORTS,
    description="The report (HTML, PDF, Markdown) and the Parquet/CSV exports from the published warehouse.")
