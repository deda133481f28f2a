"""Everything the report shows, read from the warehouse (read-only) with the queries in pipelines/sql/report/."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipelines.lib.intake.inventory import sha256_of
from pipelines.lib.common.settings import PROJECT_ROOT
from pipelines.lib.warehouse.sql import load_sql

MAX_TEXT = 1200           # characters of an untrusted text (reason, printed row, record) read
MAX_IMPLAUSIBLE = 500     # implausible claims listed
MAX_LISTED = 200          # documents not loaded, quarantine groups listed
PROFIT_PRICE_TARGET = 0.05  # USD/kWh: the reference power price the profitability section uses
# The checkout's bundled sample; an installed package ships none (site-packages has no raw/), so there
# a raw folder is never taken for the sample by its path or its files' hashes.
BUNDLED_RAW = PROJECT_ROOT / "raw"


# Bundled inputs that are hand-written tables of facts with cited sources (device specs, dated
# events): using them with real data does not make a report one about the made-up sample.
REFERENCE_KINDS = {"hardware", "events"}


@dataclass
class SampleCheck:
    """Whether the warehouse was built from the project's bundled sample (see `check_sample`)."""
    raw_is_bundled: bool
    documents: int
    matching: int               # documents byte-identical (sha256) to a non-empty bundled file
    bundled_files: int
    synthetic: list[dict]       # per table: rows marked is_synthetic, of all rows
    matching_reference: int = 0  # of those, the project's reference tables of cited facts (not sample)

    @property
    def is_sample(self) -> bool:
        return self.raw_is_bundled or self.matching > self.matching_reference or \
            any(r["synthetic"] for r in self.synthetic)


@dataclass
class ReportData:
    warehouse: Path
    raw_dir: Path
    generated_at: datetime
    missing: list[str] = field(default_factory=list)     # queries that could not run, with the reason
    tables: dict[str, list[dict]] = field(default_factory=dict)
    profit_price: float | None = None
    sample: SampleCheck | None = None

    def __getitem__(self, name: str) -> list[dict]:
        return self.tables.get(name, [])


def _rows(con, name: str, params: dict | None, missing: list[str]) -> list[dict]:
    """Rows of pipelines/sql/report/<name>.sql as dicts; a table or column the warehouse lacks (an older or
    partial warehouse) gives no rows and a note, never a crash."""
    try:
        cur = con.execute(load_sql(f"report/{name}.sql"), params or {})
    except (duckdb.CatalogException, duckdb.BinderException) as exc:
        missing.append(f"{name}: {str(exc).splitlines()[0]}")
        return []
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row)) for row in cur.fetchall()]


_QUERIES = {
    "attribution": {"maxlen": MAX_TEXT},
    "leak_verdicts": None,
    "leak_implausible_by_claim": None,
    "leak_implausible": {"maxlen": MAX_TEXT, "limit": MAX_IMPLAUSIBLE},
    "fleet_daily": None,
    "network_share_daily": None,
    "network_share_summary": None,
    "sensitivity": None,
    "assumptions": {"maxlen": MAX_TEXT},
    "documents_by_status": None,
    "documents_not_loaded": {"maxlen": MAX_TEXT, "limit": MAX_LISTED},
    "quarantine_summary": {"maxlen": MAX_TEXT, "limit": MAX_LISTED},
    "quarantine_total": None,
    "validation_failures": {"maxlen": MAX_TEXT},
    "validation_total": None,
    "document_ids": None,
    "synthetic_rows": None,
    "chain_hashrate_daily": None,
    "chain_breaks": None,
    "chain_detectability_windows": {"maxlen": MAX_TEXT},
    "chain_detectability_sheets": {"maxlen": MAX_TEXT, "limit": MAX_LISTED},
    "chain_causality": {"maxlen": MAX_TEXT},
    "chain_rental_yearly": {"maxlen": MAX_TEXT},
}


def read(con, warehouse: Path, raw_dir: Path) -> ReportData:
    data = ReportData(Path(warehouse), Path(raw_dir), datetime.now(timezone.utc))
    for name, params in _QUERIES.items():
        data.tables[name] = _rows(con, name, params, data.missing)
    price = _rows(con, "profitability_price", {"target": PROFIT_PRICE_TARGET}, data.missing)
    if price:
        data.profit_price = price[0]["electricity_usd_per_kwh"]
        for name in ("profitability_daily", "profitability_summary"):
            data.tables[name] = _rows(con, name, {"price": data.profit_price}, data.missing)
    data.sample = check_sample(raw_dir, data["document_ids"], data["synthetic_rows"])
    return data


def _bundled_hashes(bundled: Path) -> set[str]:
    """sha256 of every non-empty file of the bundled sample folder (an empty file proves nothing)."""
    if not bundled.is_dir():
        return set()
    return {sha256_of(p) for p in sorted(bundled.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.stat().st_size > 0}


def check_sample(raw_dir: Path, document_ids: list[dict], synthetic: list[dict],
                 bundled: Path = BUNDLED_RAW) -> SampleCheck:
    """Was the bundled sample used? Three independent signs, each reported as found:
    the raw folder is the project's raw/ (same resolved path); documents in the warehouse whose
    sha256 (core.documents.document_id) equals a non-empty file of the project's raw/ (holds for
    a copy of the sample anywhere, and for a warehouse read without its raw folder); rows the
    inputs themselves mark `is_synthetic`. Path alone would miss copies, hashes alone a sample
    regenerated with other seeds: the synthetic flags catch that."""
    try:
        raw_is_bundled = Path(raw_dir).resolve() == bundled.resolve()
    except OSError:
        raw_is_bundled = False
    hashes = _bundled_hashes(bundled)
    ids = {r["document_id"] for r in document_ids if (r.get("bytes") or 0) > 0}
    reference = {r["document_id"] for r in document_ids if r.get("kind") in REFERENCE_KINDS}
    return SampleCheck(raw_is_bundled=raw_is_bundled, documents=len({r["document_id"] for r in document_ids}),
                       matching=len(ids & hashes), bundled_files=len(hashes), synthetic=synthetic,
                       matching_reference=len(ids & hashes & reference))
