"""Chain statistics: every file's rows (network_observations), then one row per coin and day."""

import time

import dagster as dg
import pandas as pd

from pipelines.defs.loading import ingest_table, refresh_daily_window, table_result
from pipelines.defs.partitions import daily, history_key, monthly
from pipelines.lib.common.reference import reference_table
from pipelines.lib.sources.network import VALUE_COLUMNS, parse_network_file
from pipelines.lib.sources.units import quarantine_implausible_units
from pipelines.lib.warehouse.sql import load_sql, run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]


@dg.asset(key=["core", "network_observations"], group_name="chain", kinds={"duckdb", "python"},
          owners=OWNERS, deps=[dg.AssetKey(["core", "documents"]), dg.AssetKey(["core", "price_observations"]),
                               dg.AssetKey(["core", "hardware_specs"]),
                               # its check of which days' rows change reads the consensus periods
                               dg.AssetKey(["core", "consensus_periods"])])
def network_observations(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                         raw: RawFolderResource) -> dg.MaterializeResult:
    """One row per coin, day and chain-statistics file, in H/s and coins per day. A coin whose hashrate
    unit fails the economic cross-check (pipelines/lib/sources/units.py: the best known device's break-even
    electricity price against the coin's closes) is quarantined with the expected unit, not loaded."""
    with warehouse.handle().connect() as con:
        prices = con.execute(load_sql("core/unit_check_closes.sql")).df()
        devices = con.execute(load_sql("core/unit_check_devices.sql")).df()
    algorithms = dict(reference_table("coins.csv")[["ticker", "algorithm"]].itertuples(index=False))

    def parse(path, today):
        return quarantine_implausible_units(parse_network_file(path, today), algorithms, prices, devices)[0]

    return ingest_table(context, warehouse, raw, kind="network", table="network_daily",
                        parse=parse, load_file="core/network_observations_load.sql",
                        columns=["coin", "date", *VALUE_COLUMNS, "source", "source_rank", "is_synthetic"],
                        daily=("core.network_daily", "core/network_daily_refresh.sql"))


@dg.asset(key=["core", "consensus_periods"], group_name="chain", kinds={"duckdb"}, owners=OWNERS)
def consensus_periods(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per coin and period: the consensus (pow or pos) the chain ran, with its source.
    Shipped with the code (pipelines/reference/consensus_periods.csv): ETH is pos from 2022-09-15."""
    started = time.perf_counter()
    staged = reference_table("consensus_periods.csv", dtype=str, keep_default_na=False)
    staged["valid_from"] = pd.to_datetime(staged["valid_from"]).dt.date
    staged["valid_to"] = pd.to_datetime(staged["valid_to"].replace("", None)).dt.date
    with warehouse.handle().connect() as con:
        with transaction(con, staged=staged):
            run_file(con, "core/consensus_periods_load.sql")
        return table_result(con, "core.consensus_periods", started)


@dg.asset(key=["core", "network_daily"], group_name="chain", kinds={"duckdb"}, owners=OWNERS,
          partitions_def=daily, backfill_policy=dg.BackfillPolicy.single_run(),
          deps=[dg.AssetKey(["core", "network_observations"]), dg.AssetKey(["core", "consensus_periods"])])
def network_daily(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per coin and UTC day: hashrate (H/s), difficulty, block reward, blocks, issuance and
    fees (coins per day), each from the best file that has it, and the consensus on that day."""
    return refresh_daily_window(context, warehouse, table="core.network_daily", refresh_file="core/network_daily_refresh.sql")


@dg.asset(key=history_key("network_daily"), group_name="chain", kinds={"duckdb"}, owners=OWNERS,
          partitions_def=monthly, backfill_policy=dg.BackfillPolicy.single_run(),
          deps=[dg.AssetKey(["core", "network_observations"]), dg.AssetKey(["core", "consensus_periods"])])
def network_daily_history(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """core.network_daily for whole months of history (the same rows and rule as core/network_daily): a
    backfill records one materialisation per month instead of one per day."""
    return refresh_daily_window(context, warehouse, table="core.network_daily", refresh_file="core/network_daily_refresh.sql")
