"""The register of input files: core.documents (every file under the raw folder, with its status)."""

import time

import dagster as dg
import pandas as pd

from pipelines.defs.loading import table_result, utc_now
from pipelines.lib.intake.inventory import scan
from pipelines.lib.common.parsed import Rejected
from pipelines.lib.warehouse.sql import run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]


@dg.asset(
    key=["core", "documents"],
    group_name="ingest",
    kinds={"duckdb", "python"},
    owners=OWNERS,
    deps=[dg.AssetKey(["raw", "price_pull"])],
)
def documents(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
              raw: RawFolderResource) -> dg.MaterializeResult:
    """One row per file under the raw folder: sha256, kind, media type, size, and whether it is a
    duplicate or unreadable. Parsers add their outcome; core.documents shows the file's status."""
    started = time.perf_counter()
    records = scan(raw.root)
    staged = pd.DataFrame([r.__dict__ for r in records],
                          columns=["path", "kind", "document_id", "media_type", "bytes", "error"])
    staged = staged.rename(columns={"error": "inventory_error"})
    staged["bytes"] = staged["bytes"].astype("Int64")
    rejected = pd.DataFrame(
        # the path is in the locator: links and unreadable files have no document_id, and equal
        # bytes (two empty files) share one, so 'file' alone would keep one row for all of them
        [Rejected(f"file {r.path}", {"path": r.path, "media_type": r.media_type, "bytes": r.bytes}, r.error,
                  f"documents.{'unknown_folder' if r.kind == 'unknown' else 'unreadable_file'}"
                  ).as_row("documents", r.document_id) for r in records if r.error],
        columns=["source_table", "document_id", "locator", "raw_record", "reason", "check_name"])
    now = utc_now()
    with warehouse.handle().connect() as con:
        with transaction(con, staged_inventory=staged, staged_quarantine=rejected):
            run_file(con, "core/inventory_sync.sql", {"now": now})
            run_file(con, "core/quarantine_sync.sql",
                     {"source_table": "documents", "stage": "inventory", "now": now})
        by_kind = staged.groupby("kind").size().to_dict()
        context.log.info(f"{len(records)} files under {raw.root}: {by_kind}")
        return table_result(con, "core.document_inventory", started,
                            raw_dir=dg.MetadataValue.path(str(raw.root)),
                            files_by_kind=dg.MetadataValue.json({k: int(v) for k, v in by_kind.items()}),
                            unreadable=dg.MetadataValue.int(len(rejected)))
