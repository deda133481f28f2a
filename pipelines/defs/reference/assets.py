"""Reference tables: hardware specs, exchange rates, fund flows and dated events."""

import dagster as dg

from pipelines.defs.loading import ingest_table
from pipelines.lib.sources.events import parse_events_file
from pipelines.lib.sources.flows import parse_flows_file
from pipelines.lib.sources.fx import parse_fx_file
from pipelines.lib.sources.hardware import parse_hardware_file
from pipelines.resources import RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
DOCS = dg.AssetKey(["core", "documents"])


def _asset(name: str, group: str):
    return dg.asset(key=["core", name], group_name=group, kinds={"duckdb", "python"}, owners=OWNERS, deps=[DOCS])


@_asset("hardware_specs", "reference")
def hardware_specs(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                   raw: RawFolderResource) -> dg.MaterializeResult:
    """One row per device, algorithm and source: hashrate (H/s), power (W) and what kind of figure it is."""
    return ingest_table(context, warehouse, raw, kind="hardware", table="hardware_specs",
                        parse=parse_hardware_file, load_file="core/hardware_specs_load.sql",
                        columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source", "source_kind",
                                 "source_date", "locator"])


@_asset("fx_daily", "reference")
def fx_daily(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
             raw: RawFolderResource) -> dg.MaterializeResult:
    """One row per day and currency: USD per unit (ECB reference rates)."""
    return ingest_table(context, warehouse, raw, kind="fx", table="fx_daily", parse=parse_fx_file,
                        load_file="core/fx_daily_load.sql",
                        columns=["date", "currency", "usd_per_unit", "source", "is_synthetic"])


@_asset("fund_flows_daily", "flows")
def fund_flows_daily(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                     raw: RawFolderResource) -> dg.MaterializeResult:
    """One row per day, asset and fund (TOTAL for the table's own total): net flow in USD."""
    return ingest_table(context, warehouse, raw, kind="flows", table="fund_flows_daily",
                        parse=parse_flows_file, load_file="core/fund_flows_daily_load.sql",
                        columns=["date", "asset", "fund", "net_flow_usd"])


@_asset("events", "reference")
def events(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
           raw: RawFolderResource) -> dg.MaterializeResult:
    """One row per dated event (protocol change, ETF date, capex news, leak): the event study's inputs."""
    return ingest_table(context, warehouse, raw, kind="events", table="events", parse=parse_events_file,
                        load_file="core/events_load.sql",
                        columns=["date", "asset", "kind", "title", "source", "locator"])
