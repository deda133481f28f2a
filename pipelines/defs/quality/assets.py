"""Data quality for people: the great-expectations Data Docs of every table's latest validation."""

import hashlib
import shutil
import time
from pathlib import Path

import dagster as dg

from pipelines.defs.partitions import table_keys
from pipelines.defs.validation import results_folder
from pipelines.defs.warehouse.assets import CORE_TABLES
from pipelines.lib.common.files import read_text_or_none
from pipelines.resources import ReportsResource, WarehouseResource

SOURCE_DIGEST = ".source-digest"   # which stored results the site was rendered from


@dg.asset(key=["reports", "data_docs"], group_name="reports", kinds={"html"}, owners=["team:leak-analysis"],
          deps=table_keys(*CORE_TABLES))
def data_docs(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
              reports: ReportsResource) -> dg.MaterializeResult:
    """great-expectations Data Docs (HTML) under <reports folder>/data_docs/: one page per core table
    with every expectation, its verdict and the failing values. Built after the tables' checks
    (which are blocking), from the results they keep beside the warehouse. A reports folder that
    cannot be written fails this asset with the reason; the warehouse is not touched."""
    from pipelines.lib.validation.results import build_data_docs

    started = time.perf_counter()
    site = reports.root / "data_docs"
    staging = site.with_name(".data_docs.building")
    digest = _digest(results_folder(warehouse))
    if (site / "index.html").exists() and read_text_or_none(site / SOURCE_DIGEST) == digest:
        return _result(site, started, rebuilt=False)
    try:
        shutil.rmtree(staging, ignore_errors=True)
        build_data_docs(results_folder(warehouse), staging)
        (staging / SOURCE_DIGEST).write_text(digest)
        shutil.rmtree(site, ignore_errors=True)
        staging.rename(site)
    except Exception as exc:  # noqa: BLE001 - GX wraps file errors in its own types
        shutil.rmtree(staging, ignore_errors=True)
        reason = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"
        raise dg.Failure(description=f"cannot write the Data Docs to {site}: {reason} "
                                     f"(check LEAKPIPE_REPORTS_DIR; the warehouse is not affected)") from exc
    context.log.info(f"Data Docs: {site / 'index.html'}")
    return _result(site, started, rebuilt=True)


def _digest(folder: Path) -> str:
    """Changes when any stored validation result changes (they are rewritten only when re-validated)."""
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.json")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _result(site: Path, started: float, *, rebuilt: bool) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={
        "index": dg.MetadataValue.path(str(site / "index.html")),
        "pages": dg.MetadataValue.int(sum(1 for _ in site.rglob("*.html"))),
        "rebuilt": dg.MetadataValue.bool(rebuilt),
        "compute_seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 3)),
    })
