"""Resources, built once from the contract's environment variables (pipelines.lib.common.settings).

Each resource holds the settings of one thing: the warehouse, the raw folder, the reports folder, the
price puller, document extraction, the model assumptions. Dagster config cannot hold a `pathlib.Path`
(dagster 1.13 refuses the field type), so a folder or file is kept as text and every asset reads it
through the resource's `Path` property (`warehouse.published`, `raw.root`, `reports.root`,
`extraction.cache`, `model_assumptions.file`), never the text.
"""
from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.lib.costsheets.executors import parse_executor
from pipelines.lib.common.settings import load_settings
from pipelines.lib.warehouse.store import Warehouse


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse: writes go to a private working file, `publish()` swaps it in for analysts."""

    path: str

    @property
    def published(self) -> Path:
        """The published file analysts read (the working file and the lock sit beside it)."""
        return Path(self.path)

    def handle(self) -> Warehouse:
        return Warehouse(self.published)


class RawFolderResource(dg.ConfigurableResource):
    """The folder of inputs (the source of truth; the pipeline only reads it, except the optional puller),
    and how its archives and e-mails are unpacked: the private scratch folder their members are written
    to (never inside the raw folder) and the archive limits (pipelines/lib/intake/containers.py)."""

    path: str
    scratch_dir: str = ""           # empty: a private folder under the system's temporary folder
    archive_max_bytes: int = 2 * 1024 ** 3
    archive_max_ratio: float = 100.0
    archive_max_members: int = 10_000
    archive_max_depth: int = 5

    @property
    def root(self) -> Path:
        return Path(self.path)

    @property
    def scratch(self) -> Path:
        from pipelines.lib.intake.containers import default_scratch

        return Path(self.scratch_dir) if self.scratch_dir else default_scratch(self.root)

    @property
    def limits(self):
        from pipelines.lib.intake.containers import Limits

        return Limits(max_bytes=self.archive_max_bytes, max_ratio=self.archive_max_ratio,
                      max_members=self.archive_max_members, max_depth=self.archive_max_depth)

    def local(self, path: str, document_id: str | None, strict: bool = True) -> Path:
        """The real file a parser reads for a document path (a member's unpacked copy in the scratch folder)."""
        from pipelines.lib.intake.containers import local_file

        return local_file(self.root, self.scratch, path, document_id, strict)


class ReportsResource(dg.ConfigurableResource):
    """The folder the report, the exports and the Data Docs are written to."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)


class PricePullResource(dg.ConfigurableResource):
    """The optional price puller (LEAKPIPE_PULL_PRICES): off by default, then no request is made."""

    enabled: bool = False
    base_url: str = "https://api.coingecko.com/api/v3"
    assets: list[str] = []


class ExtractionResource(dg.ConfigurableResource):
    """How leaked documents are extracted: cache folder, where (`local` pool or `dask://host:port`),
    parallel workers, per-document limits, OCR."""

    cache_dir: str
    executor: str = "local"
    workers: int = 0
    max_pages: int = 500
    timeout_seconds: float = 120.0
    ocr: bool = True

    @property
    def cache(self) -> Path:
        """Per-document extraction results, keyed by content hash."""
        return Path(self.cache_dir)


class ModelAssumptionsResource(dg.ConfigurableResource):
    """Another model assumptions file (LEAKPIPE_ASSUMPTIONS); empty: the bundled one. The models and the
    leak checks' wall-power basis read it; the models asset's run config `assumptions_file` overrides it."""

    path: str = ""

    @property
    def file(self) -> Path | None:
        """The file to read, or None for the bundled pipelines/reference/model_assumptions.toml."""
        return Path(self.path) if self.path else None


def build_resources(env=None) -> dict:
    settings = load_settings(env)
    return {
        "warehouse": WarehouseResource(path=str(settings.warehouse)),
        "raw": RawFolderResource(path=str(settings.raw_dir), scratch_dir=str(settings.scratch_dir),
                                 archive_max_bytes=settings.archive_max_bytes,
                                 archive_max_ratio=settings.archive_max_ratio,
                                 archive_max_members=settings.archive_max_members,
                                 archive_max_depth=settings.archive_max_depth),
        "reports": ReportsResource(path=str(settings.reports_dir)),
        "puller": PricePullResource(enabled=settings.pull_enabled, base_url=settings.pull_base_url,
                                    assets=list(settings.pull_assets)),
        "extraction": ExtractionResource(cache_dir=str(settings.extract_cache), workers=settings.extract_workers,
                                         # the cost-sheet code checks the setting here, as the code
                                         # location loads: a wrong value stops `make run` and `dagster
                                         # dev` before any run, with the choices (ValueError)
                                         executor=parse_executor(settings.extract_executor),
                                         max_pages=settings.pdf_max_pages,
                                         timeout_seconds=settings.pdf_timeout_seconds, ocr=settings.ocr),
        "model_assumptions": ModelAssumptionsResource(path=str(settings.assumptions_file or "")),
    }
