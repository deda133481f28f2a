import fcntl
import os
import shutil
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")

from pipelines.lib.common.settings import PROJECT_ROOT  # noqa: E402

SHARED_DATA = Path(os.environ.get("LEAKPIPE_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))
BUNDLED_RAW = PROJECT_ROOT / "raw"


@pytest.fixture
def bundled_raw(tmp_path) -> Path:
    """A private copy of the bundled raw/ folder (the original is never modified)."""
    target = tmp_path / "raw"
    shutil.copytree(BUNDLED_RAW, target)
    return target


class PipelineRun:
    def __init__(self, raw: Path, root: Path, extract_cache: Path | None = None):
        self.raw = raw
        self.warehouse = root / "warehouse" / "leaks.duckdb"
        self.env = {"LEAKPIPE_RAW_DIR": str(raw), "LEAKPIPE_WAREHOUSE": str(self.warehouse),
                    "LEAKPIPE_REPORTS_DIR": str(root / "reports")}
        if extract_cache is not None:
            self.env["LEAKPIPE_EXTRACT_CACHE"] = str(extract_cache)

    def run(self, span=None):
        import dagster as dg

        from pipelines.definitions import build_definitions
        from pipelines.run import materialize_everything

        return materialize_everything(build_definitions(self.env), dg.DagsterInstance.ephemeral(), span)

    def query(self, sql: str, params=None):
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def snapshot(self) -> dict:
        """Every row of every core/marts table, for comparing two runs."""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                                "WHERE schema_name IN ('core','marts') ORDER BY 1, 2").fetchall()
            return {f"{s}.{t}": sorted(map(repr, con.execute(f'SELECT * FROM "{s}"."{t}"').fetchall()))
                    for s, t in names}


def _session_shared(tmp_path_factory) -> Path:
    """A folder every xdist worker of this test session sees (the session's own base folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def extract_cache(tmp_path_factory) -> Path:
    """One document-extraction cache for the session, shared by every worker: keyed by content hash and
    written atomically, so sharing it is safe (it is how many runs and machines share work) and each
    sample is extracted and OCRed once."""
    cache = _session_shared(tmp_path_factory) / "extract_cache"
    cache.mkdir(exist_ok=True)
    return cache


def _bundled_build(tmp_path_factory, extract_cache) -> Path:
    """The whole pipeline on a copy of the bundled raw/ folder, built once per test session: by whichever
    xdist worker asks first, under a file lock, while the others wait and then reuse it."""
    shared = _session_shared(tmp_path_factory)
    root = shared / "bundled_build"
    with open(shared / "bundled_build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "built.ok").exists():
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(BUNDLED_RAW, root / "raw")
            PipelineRun(root / "raw", root, extract_cache).run()
            (root / "built.ok").write_text("the bundled build finished")
    return root


def run_bundled(tmp_path_factory, extract_cache, name: str) -> PipelineRun:
    """A private copy of the session's bundled build (raw folder, warehouse, reports), for a module-scoped
    fixture: the module may change it freely, and nothing is rebuilt for it."""
    root = tmp_path_factory.mktemp(name)
    shutil.copytree(_bundled_build(tmp_path_factory, extract_cache), root, dirs_exist_ok=True, symlinks=True,
                    ignore=shutil.ignore_patterns("built.ok"))
    return PipelineRun(root / "raw", root, extract_cache)


@pytest.fixture
def pipeline(tmp_path, extract_cache):
    """Build a PipelineRun on a raw folder: pipeline(raw_dir)."""
    return lambda raw: PipelineRun(raw, tmp_path, extract_cache)
