"""Document forensics: producer, creator tool, author, dates (Info and XMP), incremental updates, signature,
fonts and text layers of every registered document, in core.document_metadata."""

import time

import dagster as dg

from pipelines.defs.loading import table_result
from pipelines.lib.common.digests import source_digest
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
    pipelines.lib.intake.email. Unreadable files get a row with the reason. A document's row is read once per
    content and forensics code: a run reads only documents without a row (or whose file was missing), and
    every document again when the forensics code changed (meta.document_metadata_code)."""
    from pipelines.lib.forensics.extract import document_metadata as read_metadata, metadata_frame

    started = time.perf_counter()
    digest = source_digest("pipelines.lib.forensics.extract")
    handle = warehouse.handle()
    with handle.connect() as con:
        reuse = con.execute(load_sql("core/document_metadata_code_get.sql")).fetchone()[0] == digest
        docs = con.execute(load_sql("core/document_metadata_documents.sql"), {"reuse": reuse}).fetchall()
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
            run_file(con, "core/document_metadata_load.sql", {"reuse": reuse, "digest": digest})
        cur = con.execute(load_sql("core/document_metadata_summary.sql"))
        summary = dict(zip([d[0] for d in cur.description], cur.fetchone()))
        return table_result(
            con, "core.document_metadata", started,
            documents_read=dg.MetadataValue.int(len(staged)),
            **{k: dg.MetadataValue.int(int(v)) for k, v in summary.items()},
        )
