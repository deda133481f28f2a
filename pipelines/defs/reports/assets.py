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


REPORT = dg.AssetKey(["reports", "report"])
EXPORTS = dg.AssetKey(["reports", "exports"])


@dg.multi_asset(
    specs=[dg.AssetSpec(REPORT, group_name="reports", kinds={"html", "pdf", "markdown"}, owners=OWNERS, deps=[PUBLISHED],
                        description="The analysts' report under <reports folder>/report/: report.html (one "
                        "self-contained file), report.pdf and report.md, with the verdict, leak verification "
                        "(cropped from the PDFs), the idle fleet and its network share, profitability, rally "
                        "attribution, sensitivity, assumptions and data quality. Rebuilt only when the published "
                        "warehouse's content changed; an unchanged chart or crop is reused."),
           dg.AssetSpec(EXPORTS, group_name="reports", kinds={"parquet", "csv"}, owners=OWNERS, deps=[PUBLISHED],
                        description="Every core and marts table and analyst view of the published warehouse as "
                        "<reports folder>/exports/parquet/<schema>.<table>.parquet and exports/csv/<schema>.<table>"
                        ".csv (text cells that a spreadsheet would run as a formula are neutralised). A table "
                        "whose content did not change is not rewritten.")],
    can_subset=True,
)
def reports_and_exports(context: dg.AssetExecutionContext, warehouse: WarehouseResource, raw: RawFolderResource,
                        reports: ReportsResource):
    """The report and the exports, both read from the published warehouse. When both are selected they are
    built side by side: the exports' Parquet and CSV writers and DuckDB release the GIL while the report
    draws its charts, so the step takes about the longer of the two instead of their sum (the real
    history: 3.8 s + 3.0 s became about 4 s). Its wall time is the report's compute_seconds; the exports'
    own time is `own_seconds`."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    selected = context.selected_asset_keys
    failed = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="exports") as pool:
        exported = pool.submit(_exports, warehouse, reports) if EXPORTS in selected else None
        built = _attempt(lambda: _report(context, warehouse, raw, reports), failed) if REPORT in selected else None
        done = _attempt(exported.result, failed) if exported else None
    step = {"compute_seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 3))}
    if built is not None and done is not None:   # the step's time is counted once, on the report
        step["compute_step"] = dg.MetadataValue.text("reports (report and exports side by side)")
    if built is not None:
        context.log.info(f"report: {built['html'].value}")
        yield dg.MaterializeResult(asset_key=REPORT, metadata={**built, **step})
        step = {k: v for k, v in step.items() if k == "compute_step"}
    if done is not None:
        context.log.info(f"exports: {done['tables'].value} tables to {done['folder'].value}")
        yield dg.MaterializeResult(asset_key=EXPORTS, metadata={**done, **step})
    if failed:   # what was built is recorded above; each failure says why
        raise dg.Failure(description="; ".join(failed))


def _attempt(build, failed: list[str]):
    """build(), or None with its failure's description added to `failed` (the other one still runs)."""
    try:
        return build()
    except dg.Failure as exc:
        failed.append(exc.description or str(exc))
        return None


def _report(context, warehouse: WarehouseResource, raw: RawFolderResource, reports: ReportsResource) -> dict:
    from pipelines.lib.warehouse.export import warehouse_digest
    from pipelines.lib.report import ReportError, build_report

    out = reports.root / "report"
    stamp = out / ".source-digest"
    with analyst.connect(warehouse.handle().published) as con:
        digest = f"{warehouse_digest(con)} {_code_digest()} {raw.root.resolve()}"
    files = [out / name for name in ("report.html", "report.pdf", "report.md")]
    rebuilt = not (all(f.exists() for f in files) and read_text_or_none(stamp) == digest)
    drawn = {}
    if rebuilt:
        try:
            built = build_report(warehouse.handle().published, raw.root, out,
                                 progress=lambda step: context.log.debug(f"report: {step}"))
            stamp.write_text(digest)
        except (ReportError, OSError) as exc:
            raise _reports_failure(f"cannot write the report to {out} (check LEAKPIPE_REPORTS_DIR; the "
                                   "warehouse is not affected)", exc) from exc
        files = [built.html, built.pdf, built.markdown]
        drawn = {"images_drawn": dg.MetadataValue.int(len(built.rendered)),
                 "images_reused": dg.MetadataValue.int(len(built.reused))}
    return {"html": dg.MetadataValue.path(str(files[0])), "pdf": dg.MetadataValue.path(str(files[1])),
            "markdown": dg.MetadataValue.path(str(files[2])), "rebuilt": dg.MetadataValue.bool(rebuilt), **drawn}


def _exports(warehouse: WarehouseResource, reports: ReportsResource) -> dict:
    from pipelines.lib.warehouse.export import ExportError, export_tables, exportable_tables

    started = time.perf_counter()
    out = reports.root / "exports"
    with analyst.connect(warehouse.handle().published) as con:
        try:
            done = export_tables(con, out, exportable_tables(con))
        except ExportError as exc:
            raise _reports_failure("exports failed", exc) from exc
    return {"folder": dg.MetadataValue.path(str(out)), "tables": dg.MetadataValue.int(len(done)),
            "rewritten": dg.MetadataValue.int(sum(e.rewritten for e in done)),
            "rows": dg.MetadataValue.json({e.table: e.rows for e in done}),
            "own_seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 3))}


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
