"""Document forensics: producer, creator tool, author, dates (Info and XMP), incremental updates, signature,
fonts and text layers of every registered document, in core.document_metadata."""

import time

import dagster as dg

from pipelines.defs.loading import table_result
from pipelines.lib.warehouse.sql import load_sql, run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]


@dg.asset(
    key=["core", "document_metadata"],
    group_name="leaks",
    kinds={"duckdb", "python", "pdf"},
    owners=OWNERS,
    deps=[dg.AssetKey(["core", "documents"])],
)
def document_metadata(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                      raw: RawFolderResource) -> dg.MaterializeResult:
    """One row per registered document: what the file says about itself (pipelines/lib/forensics): producer,
    creator tool, author, creation and modification dates from the Info dictionary and XMP, incremental
    updates, signature, fonts, pages with text, images and invisible (OCR) text; e-mail headers through
    pipelines.lib.intake.email. Unreadable files get a row with the reason."""
    from pipelines.lib.forensics.extract import document_metadata as read_metadata, metadata_frame

    started = time.perf_counter()
    handle = warehouse.handle()
    with handle.connect() as con:
        docs = con.execute(load_sql("core/document_metadata_documents.sql")).fetchall()
    rows = []
    for document_id, path, media_type in docs:
        try:
            local = raw.local(path, document_id, strict=False)
        except FileNotFoundError as exc:
            local, missing = None, str(exc)
        if local is None or not local.is_file():
            rows.append({"document_id": document_id, "media_type": media_type,
                         "notes": f"no file to read: {missing if local is None else path}"})
            continue
        rows.append(read_metadata(local, document_id, media_type))
    staged = metadata_frame(rows)
    with handle.connect() as con:
        with transaction(con, staged=staged):
            run_file(con, "core/document_metadata_load.sql")
        return table_result(
            con, "core.document_metadata", started,
            documents=dg.MetadataValue.int(len(staged)),
            with_producer=dg.MetadataValue.int(int(staged["producer"].notna().sum())),
            with_dates=dg.MetadataValue.int(int(staged[["created_at", "xmp_created_at"]].notna().any(axis=1).sum())),
            incrementally_updated=dg.MetadataValue.int(int((staged["incremental_updates"].fillna(0) > 0).sum())),
            signed=dg.MetadataValue.int(int(staged["signed"].fillna(False).sum())),
            with_notes=dg.MetadataValue.int(int(staged["notes"].notna().sum())),
        )
