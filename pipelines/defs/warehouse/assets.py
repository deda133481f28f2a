"""Publishing: the analysts' warehouse file is replaced by the run's working file in one rename."""

import dagster as dg

from pipelines.defs.models.assets import MARTS as MODEL_MARTS
from pipelines.defs.partitions import table_keys
from pipelines.resources import WarehouseResource

CORE_TABLES = ["documents", "price_observations", "prices_daily", "network_observations", "consensus_periods",
               "network_daily", "hardware_specs", "fx_daily", "fund_flows_daily", "events", "cost_sheet_lines",
               "capex_announcements", "capex_quarterly"]


@dg.asset(key=["warehouse", "published"], group_name="publish", kinds={"duckdb"}, owners=["team:leak-analysis"],
          deps=table_keys(*CORE_TABLES)
          + [dg.AssetKey(["marts", "leak_plausibility"])]
          + [dg.AssetKey(["marts", name]) for name in MODEL_MARTS]
          + [dg.AssetKey(["marts", name]) for name in ("hashrate_price_causality", "mining_vs_rental_daily",
                                                       "hashrate_breaks", "fleet_detectability")]
          + [dg.AssetKey(["search", "document_index"])])
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The DuckDB file analysts open (LEAKPIPE_WAREHOUSE): a consistent copy of the working file,
    swapped in atomically at the end of a run, and only when the working file was written since the
    last publish. Open connections keep the previous copy. The full-text index is published beside it the
    same way (pipelines/lib/search/publish.py): `leakpipe search` reads the copy of the same run."""
    from pipelines.lib.search.publish import index_paths, publish_index

    handle = warehouse.handle()
    path = handle.publish()
    done = handle.last_publish
    context.log.info(f"published {path}: {'copied' if done.copied else 'not copied'}, {done.reason}")
    index = publish_index(*index_paths(path))      # the search index goes with the warehouse it was built from
    context.log.info(f"published {index.path}: {'copied' if index.copied else 'not copied'}, {index.reason}")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                          "bytes": dg.MetadataValue.int(path.stat().st_size),
                                          "copied": dg.MetadataValue.bool(done.copied),
                                          "why": dg.MetadataValue.text(done.reason),
                                          "copy_method": dg.MetadataValue.text(done.method or "none"),
                                          "compute_seconds": dg.MetadataValue.float(round(done.seconds, 3)),
                                          "search_index": dg.MetadataValue.path(str(index.path)),
                                          "search_index_copied": dg.MetadataValue.bool(index.copied)})
