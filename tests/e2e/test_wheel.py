"""`pip install .` (not editable) gives a working `leakpipe` and `python -m pipelines.run` from any
folder: the wheel carries every file the pipeline reads (its SQL in pipelines/sql/, the reference
tables, the report templates) and nothing reads the source tree.

The wheel is built from a copy of the package (pyproject.toml, README.md, pipelines/) and installed
into a fresh virtual environment made from this interpreter. That environment sees the project
environment's dependencies (dagster, duckdb, ...) through a plain path line in a .pth file, which puts
the folder on sys.path after the environment's own site-packages and does not run the .pth files in
it, so the editable install of this checkout is not active there: `pipelines` is the installed copy.
Everything runs from a temporary working directory, with only LEAKPIPE_RAW_DIR set."""
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from pipelines.lib.common.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

PRICE_FILES = ("BTC-USD.csv", "ETH-USD.csv")   # two bundled daily price files: a tiny raw folder


def _run(argv, cwd: Path, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{argv}\n{done.stdout[-3000:]}\n{done.stderr[-4000:]}"
    return done


def _clean_env(**extra: str) -> dict:
    """This process's environment without anything that points at the checkout or its settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LEAKPIPE_", "PYTHON", "DAGSTER_HOME", "VIRTUAL_ENV", "PIP_"))}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "GX_ANALYTICS_ENABLED": "false",
            "DAGSTER_DISABLE_TELEMETRY": "true", **extra}


def _build_wheel(tmp: Path) -> Path:
    """A wheel built from a copy of the package, so a file left out of the package data is missing."""
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_ROOT / name, src / name)
    shutil.copytree(PROJECT_ROOT / "pipelines", src / "pipelines",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp / "dist"
    argv = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, src]
    try:   # the installed setuptools builds wheels itself (>= 70.1) or with `wheel`: no index needed
        import wheel  # noqa: F401
        offline = True
    except ImportError:
        import setuptools
        offline = tuple(int(p) for p in setuptools.__version__.split(".")[:2]) >= (70, 1)
    _run(argv + (["--no-build-isolation"] if offline else []), cwd=tmp, env=_clean_env())
    wheels = sorted(dist.glob("leakpipe-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the fresh environment's python, its `leakpipe`, the temporary working directory, env)."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(tmp)
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp, env=_clean_env())
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp, env=_clean_env()).stdout.strip())
    deps = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "leakpipe-test-deps.pth").write_text("".join(f"{p}\n" for p in deps), encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet",
          wheel], cwd=tmp, env=_clean_env())
    work = tmp / "work"
    raw = tmp / "raw"
    (raw / "prices").mkdir(parents=True)
    for name in PRICE_FILES:
        shutil.copy2(PROJECT_ROOT / "raw" / "prices" / name, raw / "prices" / name)
    work.mkdir()
    return python, venv / "bin" / "leakpipe", work, site, _clean_env(LEAKPIPE_RAW_DIR=str(raw))


def test_the_installed_package_is_not_the_source_tree(installed):
    python, _, work, site, env = installed
    code = textwrap.dedent("""
        import pipelines
        from pipelines.lib.common import settings
        from pipelines.lib.warehouse import sql
        print(pipelines.__file__)
        print(sql.SQL_DIR)
        print(settings.SOURCE_CHECKOUT)
        print(settings.load_settings().warehouse)
    """)
    package, sql_dir, checkout, warehouse = _run([python, "-c", code], cwd=work, env=env).stdout.split()
    assert Path(package).resolve() == (site / "pipelines" / "__init__.py").resolve()
    assert not Path(package).resolve().is_relative_to(PROJECT_ROOT)
    assert Path(sql_dir).resolve() == (site / "pipelines" / "sql").resolve()
    assert checkout == "False"
    # outside a checkout the unset paths are relative to where the user stands
    assert Path(warehouse) == work.resolve() / "warehouse" / "leaks.duckdb"


def test_leakpipe_help_and_schema_of_an_empty_warehouse(installed):
    python, leakpipe, work, _, env = installed
    assert "Usage: leakpipe" in _run([leakpipe, "--help"], cwd=work, env=env).stdout
    empty = work / "empty" / "leaks.duckdb"
    start = ("from pathlib import Path; from pipelines.lib.warehouse.store import Warehouse\n"
             f"w = Warehouse(Path({str(empty)!r}))\nwith w.connect():\n    pass\nw.publish()\n")
    _run([python, "-c", start], cwd=work, env=env)
    text = _run([leakpipe, "schema"], cwd=work, env={**env, "LEAKPIPE_WAREHOUSE": str(empty)}).stdout
    # tables from pipelines/sql/core/schema.sql, views and comments from pipelines/sql/views/
    assert "`core.prices_daily`" in text and "`views.rally_attribution_summary`" in text
    assert "# Warehouse schema" in text


def test_python_m_pipelines_run_from_a_temporary_folder(installed):
    python, leakpipe, work, _, env = installed
    done = _run([python, "-m", "pipelines.run"], cwd=work, env=env, timeout=900)
    assert f"raw folder: {Path(env['LEAKPIPE_RAW_DIR']).resolve()}" in done.stdout
    assert "core.prices_daily" in done.stdout and "documents by status:" in done.stdout   # the summary
    # the unset warehouse and reports folders are under the working directory; the report's templates
    # come from the package
    assert (work / "warehouse" / "leaks.duckdb").is_file()
    assert (work / "reports" / "report" / "report.html").is_file()
    query = "SELECT count(DISTINCT asset) FROM core.prices_daily"
    out = _run([leakpipe, "query", query, "--format", "csv"], cwd=work, env=env).stdout
    assert out.strip().splitlines()[-1] == str(len(PRICE_FILES))
