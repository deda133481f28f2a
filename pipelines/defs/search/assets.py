"""Full-text search: every document's text in core.document_text, indexed incrementally for `leakpipe search`."""

import time

import dagster as dg

from pipelines.defs.loading import table_result
from pipelines.lib.warehouse.sql import load_sql, run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import ExtractionResource, RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]


@dg.asset(
    key=["core", "document_text"],
    group_name="leaks",
    kinds={"duckdb", "python"},
    owners=OWNERS,
    # after the parsers of the documents it reads: a new cost sheet or capex file re-runs it (sensors)
    deps=[dg.AssetKey(["core", "documents"]), dg.AssetKey(["core", "cost_sheet_lines"]),
          dg.AssetKey(["core", "capex_announcements"])],
)
def document_text(context: dg.AssetExecutionContext, warehouse: WarehouseResource, raw: RawFolderResource,
                  extraction: ExtractionResource) -> dg.MaterializeResult:
    """Every document's text, part by part (pipelines/lib/search/texts.py): the cost sheets' pages, sheets
    and OCR text as their extraction cached it (nothing is parsed again), e-mail bodies and capex press
    releases. A document without text gets a row with the reason. The table is rewritten only when its
    rows changed."""
    from pipelines.defs.costsheets.assets import cost_sheet_documents
    from pipelines.lib.costsheets.extract import Limits, cached_summaries
    from pipelines.lib.costsheets.ocr import ocr_available
    from pipelines.lib.search.texts import capex_rows, email_rows, extraction_rows, frame

    started = time.perf_counter()
    handle = warehouse.handle()
    with handle.connect() as con:
        sheets = cost_sheet_documents(con, raw)
        mails = con.execute(load_sql("core/document_text_emails.sql")).fetchall()
        capex = con.execute(load_sql("core/documents_to_parse.sql"), {"kind": "capex"}).fetchall()
    # the same cache key as core.cost_sheet_lines computed: the summaries it just wrote or found
    limits = Limits(max_pages=extraction.max_pages, timeout_seconds=extraction.timeout_seconds, ocr=extraction.ocr)
    langs = ocr_available() if extraction.ocr else None
    summaries = cached_summaries(sheets, extraction.cache, limits, langs)   # keyed as extraction keyed them
    rows = [row for _, doc_id, path, _ in sheets for row in extraction_rows(path, doc_id, summaries[path])]
    for read, docs in ((email_rows, mails), (capex_rows, capex)):
        for path, doc_id in docs:
            try:
                local = raw.local(path, doc_id, strict=False)
            except FileNotFoundError:
                local = None
            rows += read(path, doc_id, local)
    staged = frame(rows)
    with handle.connect() as con:
        with transaction(con, staged=staged):
            run_file(con, "core/document_text_load.sql")
        return table_result(
            con, "core.document_text", started,
            documents=dg.MetadataValue.int(int(staged["path"].nunique())),
            documents_without_text=dg.MetadataValue.int(int(staged["text"].isna().sum())),
            parts=dg.MetadataValue.int(int(staged["text"].notna().sum())),
        )


@dg.asset(
    key=["search", "document_index"],
    group_name="leaks",
    kinds={"python"},
    owners=OWNERS,
    deps=[dg.AssetKey(["core", "document_text"])],
)
def document_index(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The full-text index (tantivy) of core.document_text, in the working index beside the warehouse
    (published with it by warehouse/published). Incremental: a document whose sha256 and text are already
    indexed by the same indexing code is not touched, a changed one is indexed again, a removed one deleted."""
    from pipelines.lib.search.index import Part, update_index
    from pipelines.lib.search.publish import index_paths

    work, _ = index_paths(warehouse.published)
    with warehouse.handle().connect() as con:   # the warehouse's lock: one writer of the working index too
        rows = con.execute(load_sql("core/document_text_indexed.sql")).fetchall()
        documents: dict = {}
        for path, document_id, page, locator, source, text in rows:
            documents.setdefault(path, (document_id, []))[1].append(Part(page, locator, source, text))
        done = update_index(work, documents)
    context.log.info(f"search index: {done.indexed} document(s) indexed, {done.unchanged} unchanged, "
                     f"{done.removed} removed{' (rebuilt: the indexing code changed)' if done.rebuilt else ''}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(work)),
        "documents": dg.MetadataValue.int(len(documents)),
        "documents_indexed": dg.MetadataValue.int(done.indexed),
        "documents_unchanged": dg.MetadataValue.int(done.unchanged),
        "documents_removed": dg.MetadataValue.int(done.removed),
        "parts_indexed": dg.MetadataValue.int(done.parts),
        "rebuilt": dg.MetadataValue.bool(done.rebuilt),
        "compute_seconds": dg.MetadataValue.float(round(done.seconds, 3)),
    })
