"""Leaked cost sheets: every line of every table, with the spot on the page it was read from."""

import time

import dagster as dg
import pandas as pd

from pipelines.defs.loading import table_result, write_parsed
from pipelines.lib.warehouse.sql import load_sql
from pipelines.resources import ExtractionResource, RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]


def _as_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet gives arrays; DuckDB wants lists for DOUBLE[] / VARCHAR[] columns."""
    frame = frame.copy()
    frame["bbox"] = frame["bbox"].map(lambda v: None if v is None else [float(x) for x in v])
    frame["flags"] = frame["flags"].map(lambda v: [] if v is None else [str(x) for x in v])
    return frame


@dg.asset(
    key=["core", "cost_sheet_lines"],
    group_name="leaks",
    kinds={"duckdb", "python", "pdf"},
    owners=OWNERS,
    deps=[dg.AssetKey(["core", "documents"]), dg.AssetKey(["core", "fx_daily"])],
)
def cost_sheet_lines(context: dg.AssetExecutionContext, warehouse: WarehouseResource, raw: RawFolderResource,
                     extraction: ExtractionResource) -> dg.MaterializeResult:
    """One row per data line (or totals line) of a leaked cost sheet (PDF, scanned PDF, XLSX, CSV):
    the figures in contract units, money in USD at the period's exchange rate, and the document,
    page, table, row, bbox and printed text it came from. Each document is extracted once per
    content hash (cached), in parallel; unreadable documents are quarantined with the reason."""
    from pipelines.lib.costsheets.executors import open_executor
    from pipelines.lib.costsheets.extract import Limits, cache_misses, extract_all, read_rows
    from pipelines.lib.costsheets.ocr import ocr_available

    started = time.perf_counter()
    handle = warehouse.handle()
    with handle.connect() as con:
        docs = con.execute(load_sql("core/documents_to_parse.sql"), {"kind": "cost_sheet"}).fetchall()
    limits = Limits(max_pages=extraction.max_pages, timeout_seconds=extraction.timeout_seconds,
                    ocr=extraction.ocr)
    langs = ocr_available() if extraction.ocr else None
    if extraction.ocr and langs is None:
        context.log.warning("tesseract is not installed: scanned pages are quarantined (run make system-deps)")
    cache = extraction.cache
    # a member of an archive or e-mail ('x.zip!/y.xlsx') is read from its unpacked copy in the scratch folder
    docs = [(raw.local(path, doc_id, strict=False), doc_id, path) for path, doc_id in docs]
    # Only extraction fans out (to a Dask cluster when configured, and only when the cache lacks
    # something: an unchanged re-run needs no cluster); the warehouse has one writer, here.
    where = extraction.executor if cache_misses(docs, cache, limits, langs) else "local"
    with open_executor(where, cache, raw.root) as (executor, parallelism):
        if executor is not None:
            context.log.info(f"extracting on {where} ({parallelism} worker threads)")
        results = extract_all(docs, cache, limits, langs, workers=parallelism or extraction.workers,
                              log=context.log.info, executor=executor)
    staged = _as_lists(read_rows(cache, results, limits, langs))
    outcomes = [{"path": r.path, "document_id": r.document_id, "status": r.status, "error": r.error,
                 "pages": r.pages, "rows_loaded": r.rows,
                 "rows_quarantined": len(r.rejected) if r.status == "loaded" else 0} for r in results]
    rejected = [row for r in results for row in r.rejected]
    extract_seconds = round(time.perf_counter() - started, 3)
    with handle.connect() as con:
        write_parsed(con, table="cost_sheet_lines", parser="cost_sheet", load_file="core/cost_sheet_lines_load.sql",
                     staged=staged, rejected=rejected, outcomes=outcomes, columns=list(staged.columns))
        return table_result(
            con, "core.cost_sheet_lines", started,
            documents=dg.MetadataValue.int(len(results)),
            documents_extracted=dg.MetadataValue.int(sum(not r.cached for r in results)),
            documents_from_cache=dg.MetadataValue.int(sum(r.cached for r in results)),
            documents_quarantined=dg.MetadataValue.int(sum(r.status != "loaded" for r in results)),
            lines_quarantined=dg.MetadataValue.int(len(rejected)),
            extract_seconds=dg.MetadataValue.float(extract_seconds),
            ocr=dg.MetadataValue.text(langs or "unavailable"),
            cache_dir=dg.MetadataValue.path(str(cache)),
            executor=dg.MetadataValue.text(extraction.executor),
        )
