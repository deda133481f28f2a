"""No result is kept stale silently: the model marts' skip digest and the cost-sheet extraction cache
are keyed on the content of every file that shapes them (code and reference tables), and a timeout
or a crash is never cached as a document's outcome.

Changing a shipped file is done in a private copy of the package (the project is never modified),
run in a subprocess that imports that copy."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.settings import PROJECT_ROOT


# ----------------------------------------------------------------------------- a private copy

def package_copy(root: Path) -> Path:
    """root/pipelines: a copy of the package (the files a test may change), root/sql and root/raw:
    links to the project's (read only)."""
    shutil.copytree(PROJECT_ROOT / "pipelines", root / "pipelines",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("sql", "raw"):
        (root / name).symlink_to(PROJECT_ROOT / name, target_is_directory=True)
    return root


def run_in(root: Path, code: str, *args: str, env: dict | None = None, timeout: int = 900) -> str:
    """Run `code` in a fresh interpreter that imports the package copy under root; its stdout."""
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(root), "GX_ANALYTICS_ENABLED": "false",
           "DAGSTER_DISABLE_TELEMETRY": "true"}
    env.pop("DAGSTER_HOME", None)
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=root, env=env, capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode == 0, out.stderr[-4000:]
    return out.stdout


def edit(path: Path) -> None:
    """A change of content that means nothing: a trailing line (a comment in Python, a blank line in a CSV)."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n" if path.suffix == ".py" else "\n")


# ----------------------------------------------------------------------------- the keys, file by file

KEYS = """
import json, sys
from pathlib import Path
import pipelines
from pipelines.defs.models.assets import _digest
from pipelines.lib.costsheets.extract import Limits, cache_key

root = Path(pipelines.__file__).parent
def keys():
    return {"models": _digest({}, "set", None), "extraction": cache_key(Limits(), None)}
out = {"package": str(root), "before": keys()}
for name in sys.argv[1:]:
    path = root / name
    original = path.read_bytes()
    path.write_bytes(original + (b"\\n# edited\\n" if name.endswith(".py") else b"\\n"))
    out[name] = keys()
    path.write_bytes(original)
print(json.dumps(out))
"""

# lib/models/mining.py was covered before too: it shows the change in the copy is what is digested.
SHAPE_THE_MODELS = ["reference/coins.csv", "reference/block_rewards.csv", "reference/capex_company_aliases.csv",
                    "lib/plausibility.py", "lib/capex_text.py", "lib/models/mining.py"]
SHAPE_THE_EXTRACTION = ["reference/cost_sheet_headers.csv", "reference/coins.csv",
                        "reference/capex_company_aliases.csv", "lib/costsheets/vocab.py", "lib/costsheets/tables.py",
                        "lib/costsheets/numbers.py", "lib/costsheets/periods.py", "lib/costsheets/pdf.py",
                        "lib/costsheets/sheets.py", "lib/csvfile.py"]


@pytest.fixture(scope="module")
def keys_after_each_change(tmp_path_factory):
    root = package_copy(tmp_path_factory.mktemp("keys"))
    names = sorted(set(SHAPE_THE_MODELS) | set(SHAPE_THE_EXTRACTION))
    out = json.loads(run_in(root, KEYS, *names))
    assert out["package"] == str(root / "pipelines")       # the copy was imported, not the project
    return out


@pytest.mark.parametrize("name", SHAPE_THE_MODELS)
def test_the_models_skip_digest_changes_with_every_file_that_shapes_the_marts(keys_after_each_change, name):
    # the same core tables, assumptions and windows: only this file changed, so the marts must be rebuilt
    assert keys_after_each_change[name]["models"] != keys_after_each_change["before"]["models"]


@pytest.mark.parametrize("name", SHAPE_THE_EXTRACTION)
def test_the_extraction_cache_key_changes_with_every_file_that_shapes_the_rows(keys_after_each_change, name):
    assert keys_after_each_change[name]["extraction"] != keys_after_each_change["before"]["extraction"]


def test_the_shaping_files_are_found_from_the_imports_not_a_list():
    from pipelines.lib.digests import PACKAGE_DIR, shaping_files

    def names(*roots, also=()):
        return {p.relative_to(PACKAGE_DIR).as_posix() for p in shaping_files(*roots, also=also)}

    models = names("pipelines.lib.models.stage", also=[PACKAGE_DIR / "defs" / "models" / "assets.py"])
    assert {"lib/plausibility.py", "lib/capex_text.py", "reference/coins.csv", "reference/block_rewards.csv",
            "reference/capex_company_aliases.csv", "reference/model_assumptions.toml"} <= models
    extraction = names("pipelines.lib.costsheets.extract")
    assert {"lib/costsheets/vocab.py", "lib/costsheets/tables.py", "lib/parsed.py", "lib/files.py",
            "reference/cost_sheet_headers.csv", "reference/coins.csv",
            "reference/capex_company_aliases.csv"} <= extraction
    # what does not shape the rows stays out: the Dask glue, the warehouse, other reference tables
    assert not {"lib/costsheets/executors.py", "lib/warehouse.py", "reference/hashrate_bounds.csv"} & extraction


# ----------------------------------------------------------------------------- end to end

SHEET = ("Unternehmen;Liegenschaft;Zeitraum;GPU-Typ;Anzahl;Leistung (kW);Strompreis (ct/kWh);Coin\n"
         "Microsoft Azure;Amsterdam (NL);01.10.2024–31.12.2024;H100 SXM;3.072;2.688,00;18,90;ETC\n"
         "Microsoft Azure;Berlin (DE);01.10.2024–31.12.2024;A100 40GB;1.024;307,20;22,80;RVN\n")

PIPELINE = """
import json, sys
import dagster as dg
from pipelines.definitions import build_definitions
from pipelines.run import materialize_everything
materialize_everything(build_definitions(json.loads(sys.argv[1])), dg.DagsterInstance.ephemeral())
"""


def test_a_changed_reference_table_reaches_the_warehouse_on_the_next_run(tmp_path):
    """The pipeline on a one-sheet folder; then the header synonym table learns the sheet's site column
    ("Liegenschaft"), then the block-reward table changes: each re-run re-extracts or rebuilds."""
    root = package_copy(tmp_path / "project")
    raw = tmp_path / "raw"
    (raw / "cost_sheets").mkdir(parents=True)
    (raw / "cost_sheets" / "liegenschaften.csv").write_text(SHEET, encoding="utf-8")
    warehouse = tmp_path / "warehouse" / "leaks.duckdb"
    env = {"LEAKPIPE_RAW_DIR": str(raw), "LEAKPIPE_WAREHOUSE": str(warehouse),
           "LEAKPIPE_REPORTS_DIR": str(tmp_path / "reports"), "LEAKPIPE_EXTRACT_CACHE": str(tmp_path / "cache")}

    def run():
        run_in(root, PIPELINE, json.dumps(env))
        with duckdb.connect(str(warehouse), read_only=True) as con:
            sites = con.execute("SELECT device, site FROM core.cost_sheet_lines ORDER BY device").fetchall()
            digest = con.execute("SELECT max(digest) FROM meta.model_inputs").fetchone()[0]
        return sites, digest

    sites, models_digest = run()
    assert sites == [("A100 40GB", None), ("H100 SXM", None)]      # 'Liegenschaft' is no known header
    assert models_digest is not None

    with open(root / "pipelines" / "reference" / "cost_sheet_headers.csv", "a", encoding="utf-8") as fh:
        fh.write("site,liegenschaft,de,added by the test\n")
    sites, models_digest = run()
    assert sites == [("A100 40GB", "Berlin (DE)"), ("H100 SXM", "Amsterdam (NL)")]

    edit(root / "pipelines" / "reference" / "block_rewards.csv")   # same core tables, other reference
    sites_again, rebuilt_digest = run()
    assert sites_again == sites
    assert rebuilt_digest != models_digest                            # the model marts were rebuilt
