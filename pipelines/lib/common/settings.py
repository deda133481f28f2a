"""Where inputs, the warehouse and reports live, from the contract's environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

# The folder holding the `pipelines` package: the root of a source checkout (also under an editable
# install), or site-packages for an installed wheel.
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _is_checkout(root: Path) -> bool:
    try:
        return 'name = "leakpipe"' in (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return False


# In a source checkout the project's own raw/, warehouse/ and reports/ are the defaults (make run,
# the tests); an installed package has none of them, so there the defaults are relative to the
# current directory (`leakpipe` and `python -m pipelines.run` work where the user stands).
SOURCE_CHECKOUT = _is_checkout(PROJECT_ROOT)


def default_root() -> Path:
    """Where the unset LEAKPIPE_RAW_DIR, LEAKPIPE_WAREHOUSE and LEAKPIPE_REPORTS_DIR point (under
    raw/, warehouse/, reports/): the checkout's root, else the current directory."""
    return PROJECT_ROOT if SOURCE_CHECKOUT else Path.cwd().resolve()


DEFAULTS = {
    "LEAKPIPE_RAW_DIR": "raw",
    "LEAKPIPE_WAREHOUSE": "warehouse/leaks.duckdb",
    "LEAKPIPE_REPORTS_DIR": "reports",
}


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    reports_dir: Path
    pull_enabled: bool
    pull_base_url: str
    pull_assets: tuple[str, ...]
    extract_cache: Path           # per-document extraction results, keyed by content hash
    extract_workers: int          # parallel extraction processes (0: one per CPU)
    extract_executor: str         # as given: `local` (process pool here) or `dask://host:port` (a Dask
                                  # cluster); checked by the cost-sheet code (costsheets.executors.parse_executor)
    pdf_max_pages: int            # a PDF with more pages is quarantined
    pdf_timeout_seconds: float    # a document that takes longer is quarantined
    ocr: bool                     # OCR image-only pages when tesseract is installed
    assumptions_file: Path | None  # another model assumptions file (None: the bundled one)
    scratch_dir: Path = Path()    # where archive members and attachments are unpacked (never inside raw/)
    archive_max_bytes: int = 2 * 1024 ** 3   # unpacked bytes of one top-level container's whole tree
    archive_max_ratio: float = 100.0         # unpacked/packed bytes of one member (past 1 MiB)
    archive_max_members: int = 10_000        # entries in one top-level container's whole tree
    archive_max_depth: int = 5               # containers inside containers


def _path(env: Mapping[str, str], name: str) -> Path:
    value = env.get(name) or ""
    if value:
        # A relative path given by the user is relative to where they stand.
        return Path(value).expanduser().resolve()
    return default_root() / DEFAULTS[name]


def _number(env: Mapping[str, str], name: str, default: float, kind=int):
    value = (env.get(name) or "").strip()
    if not value:
        return kind(default)
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number") from None
    if number < 0:
        raise ValueError(f"{name}={value!r} must not be negative")
    return number


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    warehouse = _path(env, "LEAKPIPE_WAREHOUSE")
    cache = env.get("LEAKPIPE_EXTRACT_CACHE") or ""
    scratch = env.get("LEAKPIPE_SCRATCH_DIR") or ""
    return Settings(
        scratch_dir=Path(scratch).expanduser().resolve() if scratch else warehouse.parent / "scratch",
        archive_max_bytes=_number(env, "LEAKPIPE_ARCHIVE_MAX_BYTES", 2 * 1024 ** 3),
        archive_max_ratio=_number(env, "LEAKPIPE_ARCHIVE_MAX_RATIO", 100.0, float),
        archive_max_members=_number(env, "LEAKPIPE_ARCHIVE_MAX_MEMBERS", 10_000),
        archive_max_depth=_number(env, "LEAKPIPE_ARCHIVE_MAX_DEPTH", 5),
        extract_cache=Path(cache).expanduser().resolve() if cache else warehouse.parent / "extract_cache",
        extract_workers=_number(env, "LEAKPIPE_EXTRACT_WORKERS", 0),
        extract_executor=env.get("LEAKPIPE_EXTRACT_EXECUTOR") or "local",
        pdf_max_pages=_number(env, "LEAKPIPE_PDF_MAX_PAGES", 500),
        pdf_timeout_seconds=_number(env, "LEAKPIPE_PDF_TIMEOUT_SECONDS", 120.0, float),
        ocr=env.get("LEAKPIPE_OCR", "on").strip().lower() not in {"0", "false", "no", "off"},
        # as given (a relative path is read from where the run stands, as before)
        assumptions_file=Path(env["LEAKPIPE_ASSUMPTIONS"]) if env.get("LEAKPIPE_ASSUMPTIONS") else None,
        raw_dir=_path(env, "LEAKPIPE_RAW_DIR"),
        warehouse=warehouse,
        reports_dir=_path(env, "LEAKPIPE_REPORTS_DIR"),
        pull_enabled=env.get("LEAKPIPE_PULL_PRICES", "").strip().lower() in {"1", "true", "yes", "on"},
        pull_base_url=env.get("LEAKPIPE_PULL_BASE_URL", "https://api.coingecko.com/api/v3").rstrip("/"),
        pull_assets=tuple(
            a.strip().upper()
            for a in env.get("LEAKPIPE_PULL_ASSETS", "BTC,ETH,ETC,XMR").split(",")
            if a.strip()
        ),
    )
