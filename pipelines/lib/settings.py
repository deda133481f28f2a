"""Where inputs, the warehouse and reports live, from the contract's environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parents[2]

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


def _path(env: Mapping[str, str], name: str) -> Path:
    value = env.get(name) or ""
    if value:
        # A relative path given by the user is relative to where they stand.
        return Path(value).expanduser().resolve()
    return PROJECT_ROOT / DEFAULTS[name]


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    return Settings(
        raw_dir=_path(env, "LEAKPIPE_RAW_DIR"),
        warehouse=_path(env, "LEAKPIPE_WAREHOUSE"),
        reports_dir=_path(env, "LEAKPIPE_REPORTS_DIR"),
        pull_enabled=env.get("LEAKPIPE_PULL_PRICES", "").strip().lower() in {"1", "true", "yes", "on"},
        pull_base_url=env.get("LEAKPIPE_PULL_BASE_URL", "https://api.coingecko.com/api/v3").rstrip("/"),
        pull_assets=tuple(
            a.strip().upper()
            for a in env.get("LEAKPIPE_PULL_ASSETS", "BTC,ETH,ETC,XMR").split(",")
            if a.strip()
        ),
    )
