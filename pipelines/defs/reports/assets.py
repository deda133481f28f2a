"""What the weekly report job writes for people: the report (HTML, PDF, Markdown) and the exports
(Parquet and CSV), both read from the published warehouse, as an analyst would read it."""

import time
from pathlib import Path

import dagster as dg

from pipelines.lib.warehouse import analyst
from pipelines.lib.common.files import read_text_or_none
from pipelines.resources import RawFolderResource, ReportsResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
PUBLISHED = dg.AssetKey(["warehouse", "published"])


def _reports_failure(what: str, exc: Exception) -> dg.Failure:
    return dg.Failure(description=f"{what}: {exc}")


@dg.asset(key=["reports", "report"], group_name="reports", kinds={"html", "pdf", "markdown"}, owners=OWNERS,
          deps=[PUBLISHED])
def report(context: dg.AssetExecutionContext, warehouse: WarehouseResource, raw: RawFolderResource,
           reports: ReportsResource) -> dg.MaterializeResult:
    """The analysts' report under <reports folder>/report/: report.html (one self-contained file),
    report.pdf and report.md, with the verdict, leak verification (cropped from the PDFs), the idle
    fleet and its network share, profitability, rally attribution, sensitivity, assumptions and
    data quality. Rebuilt only when the published warehouse's content changed."""
    from pipelines.lib.warehouse.export import warehouse_digest
    from pipelines.lib.report import ReportError, build_report

    started = time.perf_counter()
    out = reports.root / "report"
    stamp = out / ".source-digest"
    with analyst.connect(warehouse.handle().published) as con:
        digest = f"{warehouse_digest(con)} {_code_digest()} {raw.root.resolve()}"
    files = [out / name for name in ("report.html", "report.pdf", "report.md")]
    rebuilt = not (all(f.exists() for f in files) and read_text_or_none(stamp) == digest)
    if rebuilt:
        try:
            built = build_report(warehouse.handle().published, raw.root, out,
                                 progress=lambda step: context.log.debug(f"report: {step}"))
            stamp.write_text(digest)
        except (ReportError, OSError) as exc:
            raise _reports_failure(f"cannot write the report to {out} (check LEAKPIPE_REPORTS_DIR; the "
                                   "warehouse is not affected)", exc) from exc
        files = [built.html, built.pdf, built.markdown]
    context.log.info(f"report: {files[0]}")
    return dg.MaterializeResult(metadata={
        "html": dg.MetadataValue.path(str(files[0])), "pdf": dg.MetadataValue.path(str(files[1])),
        "markdown": dg.MetadataValue.path(str(files[2])), "rebuilt": dg.MetadataValue.bool(rebuilt),
        "compute_seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 3))})


@dg.asset(key=["reports", "exports"], group_name="reports", kinds={"parquet", "csv"}, owners=OWNERS,
          deps=[PUBLISHED])
def exports(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
            reports: ReportsResource) -> dg.MaterializeResult:
    """Every core and marts table and analyst view of the published warehouse as <reports folder>/exports/parquet/
    <schema>.<table>.parquet and exports/csv/<schema>.<table>.csv (text cells that a spreadsheet
    would run as a formula are neutralised). A table whose content did not change is not rewritten."""
    from pipelines.lib.warehouse.export import ExportError, export_tables, exportable_tables

    started = time.perf_counter()
    out = reports.root / "exports"
    with analyst.connect(warehouse.handle().published) as con:
        try:
            done = export_tables(con, out, exportable_tables(con))
        except ExportError as exc:
            raise _reports_failure("exports failed", exc) from exc
    context.log.info(f"exports: {len(done)} tables to {out}")
    return dg.MaterializeResult(metadata={
        "folder": dg.MetadataValue.path(str(out)),
        "tables": dg.MetadataValue.int(len(done)),
        "rewritten": dg.MetadataValue.int(sum(e.rewritten for e in done)),
        "rows": dg.MetadataValue.json({e.table: e.rows for e in done}),
        "compute_seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 3))})


def _code_digest() -> str:
    """The report's code (the package, every `pipelines` module it imports, the reference tables they
    read), templates and queries: a changed report is rebuilt on unchanged data."""
    import pipelines.lib.report as package
    from pipelines.lib.common.digests import files_digest, shaping_files
    from pipelines.lib.warehouse.sql import sql_file

    folders = (Path(package.__file__).parent, Path(sql_file("report")))
    assets = [p for folder in folders for p in folder.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts]
    return files_digest(shaping_files(package.__name__, also=[p for p in assets if p.suffix == ".py"])
                        + [p for p in assets if p.suffix != ".py"])[:16]
