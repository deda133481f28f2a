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
    duplicate or unreadable; archives and e-mails are unpacked into the scratch folder (under the
    archive limits) and each member or attachment gets a row of its own, with its parent's sha256
    and its member path. Parsers add their outcome; core.documents shows the file's status."""
    started = time.perf_counter()
    records = scan(raw.root, raw.scratch, raw.limits)
    staged = pd.DataFrame([r.__dict__ for r in records],
                          columns=["path", "kind", "document_id", "media_type", "bytes", "error",
                                   "parent_document_id", "member_path", "container"])
    staged = staged.rename(columns={"error": "inventory_error"})
    staged["bytes"] = staged["bytes"].astype("Int64")
    rejected = pd.DataFrame(
        # the path is in the locator: links and unreadable files have no document_id, and equal
        # bytes (two empty files) share one, so 'file' alone would keep one row for all of them
        [Rejected(f"file {r.path}", {"path": r.path, "media_type": r.media_type, "bytes": r.bytes}, r.error,
                  _check(r)).as_row("documents", r.document_id) for r in records if r.error],
        columns=["source_table", "document_id", "locator", "raw_record", "reason", "check_name"])
    outcomes = _container_outcomes(records)
    now = utc_now()
    with warehouse.handle().connect() as con:
        with transaction(con, staged_inventory=staged, staged_quarantine=rejected, staged_outcomes=outcomes):
            run_file(con, "core/inventory_sync.sql", {"now": now})
            run_file(con, "core/quarantine_sync.sql",
                     {"source_table": "documents", "stage": "inventory", "now": now})
            run_file(con, "core/outcomes_sync.sql", {"parser": "container", "now": now})
        by_kind = staged.groupby("kind").size().to_dict()
        context.log.info(f"{len(records)} files under {raw.root}: {by_kind}")
        return table_result(con, "core.document_inventory", started,
                            raw_dir=dg.MetadataValue.path(str(raw.root)),
                            files_by_kind=dg.MetadataValue.json({k: int(v) for k, v in by_kind.items()}),
                            unreadable=dg.MetadataValue.int(len(rejected)),
                            members=dg.MetadataValue.int(sum(r.parent_document_id is not None for r in records)),
                            scratch_dir=dg.MetadataValue.path(str(raw.scratch)))


def _check(record) -> str:
    if record.kind == "unknown":
        return "documents.unknown_folder"
    if record.container or record.parent_document_id:
        return "documents.container"
    return "documents.unreadable_file"


def _container_outcomes(records) -> pd.DataFrame:
    """An unpacked archive or e-mail is 'loaded': rows_loaded its members registered for parsing,
    rows_quarantined those refused (each with its own row and reason)."""
    by_parent: dict[str, list] = {}
    for c in records:
        if c.parent_document_id is not None:
            by_parent.setdefault(c.path.rsplit("!/", 1)[0], []).append(c)
    rows = []
    for r in records:
        if not r.container or r.error or r.document_id is None:
            continue
        children = by_parent.get(r.path, [])
        rows.append({"path": r.path, "document_id": r.document_id, "status": "loaded", "error": None,
                     "pages": None, "rows_loaded": sum(c.error is None for c in children),
                     "rows_quarantined": sum(c.error is not None for c in children)})
    frame = pd.DataFrame(rows, columns=["path", "document_id", "status", "error", "pages", "rows_loaded",
                                        "rows_quarantined"])
    frame["pages"] = frame["pages"].astype("Int64")
    return frame
