"""Market prices: every file's daily bars (price_observations), then one row per asset and day."""


import dagster as dg

from pipelines.defs.loading import ingest_table, refresh_daily_window, utc_now
from pipelines.defs.partitions import daily, history_key, monthly
from pipelines.lib.sources.prices import parse_price_file
from pipelines.resources import PricePullResource, RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
PRICE_COLUMNS = ["asset", "date", "open", "high", "low", "close_usd", "volume_usd", "market_cap_usd",
                 "source", "quote_currency", "bars", "source_rank", "is_synthetic"]


@dg.asset(key=["raw", "price_pull"], group_name="market", kinds={"python"}, owners=OWNERS)
def price_pull(context: dg.AssetExecutionContext, raw: RawFolderResource,
               puller: PricePullResource) -> dg.MaterializeResult:
    """New whole days of prices fetched from CoinGecko into raw/prices/pulled/, when
    LEAKPIPE_PULL_PRICES=1. Off by default: then no request is made. Offline or on an HTTP error
    it logs one line and the run goes on with the files already there."""
    if not puller.enabled:
        return dg.MaterializeResult(metadata={"enabled": False, "files_written": 0})
    from pipelines.lib.sources.puller import pull_prices

    report = pull_prices(raw.root, tuple(puller.assets), puller.base_url, utc_now().date(), log=context.log.warning)
    return dg.MaterializeResult(metadata={
        "enabled": True, "ok": report.ok, "files_written": len(report.files_written),
        "messages": dg.MetadataValue.md("\n".join(f"- {m}" for m in report.messages) or "-"),
    })


@dg.asset(key=["core", "price_observations"], group_name="market", kinds={"duckdb", "python"},
          owners=OWNERS, deps=[dg.AssetKey(["core", "documents"])])
def price_observations(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                       raw: RawFolderResource) -> dg.MaterializeResult:
    """One row per asset, day and price file: the file's daily bar in USD (intraday rows aggregated,
    coin volumes converted at each bar's close). Rejected rows go to core.quarantine with their line."""
    return ingest_table(context, warehouse, raw, kind="prices", table="prices_daily",
                        parse=parse_price_file, load_file="core/price_observations_load.sql",
                        columns=PRICE_COLUMNS, daily=("core.prices_daily", "core/prices_daily_refresh.sql"))


@dg.asset(key=["core", "prices_daily"], group_name="market", kinds={"duckdb"}, owners=OWNERS,
          partitions_def=daily, backfill_policy=dg.BackfillPolicy.single_run(),
          deps=[dg.AssetKey(["core", "price_observations"])])
def prices_daily(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per asset and UTC day: the close in USD (and OHLC, volume, market cap where known)
    from the best-ranked source for that day (Coin Metrics, Yahoo, CoinGecko, then Binance USDT)."""
    return refresh_daily_window(context, warehouse, table="core.prices_daily", refresh_file="core/prices_daily_refresh.sql")


@dg.asset(key=history_key("prices_daily"), group_name="market", kinds={"duckdb"}, owners=OWNERS,
          partitions_def=monthly, backfill_policy=dg.BackfillPolicy.single_run(),
          deps=[dg.AssetKey(["core", "price_observations"])])
def prices_daily_history(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """core.prices_daily for whole months of history (the same rows and rule as core/prices_daily): a
    backfill records one materialisation per month instead of one per day."""
    return refresh_daily_window(context, warehouse, table="core.prices_daily", refresh_file="core/prices_daily_refresh.sql")
