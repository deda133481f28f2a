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
import threading
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.costsheets import extract
from pipelines.lib.costsheets.extract import Limits, extract_all, read_rows
from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.common.settings import PROJECT_ROOT

SHEETS = PROJECT_ROOT / "raw" / "cost_sheets"


# ----------------------------------------------------------------------------- a private copy

def package_copy(root: Path) -> Path:
    """root/pipelines: a copy of the package with its SQL (the files a test may change),
    root/raw: a link to the project's (read only)."""
    shutil.copytree(PROJECT_ROOT / "pipelines", root / "pipelines", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (root / "raw").symlink_to(PROJECT_ROOT / "raw", target_is_directory=True)
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
from pipelines.defs.reports.assets import _code_digest as report_digest
from pipelines.lib.costsheets.extract import Limits, cache_key
from pipelines.lib.validation.expectations import suite

root = Path(pipelines.__file__).parent
def keys():
    return {"models": _digest({}, "set", None), "extraction": cache_key(Limits(), None), "report": report_digest(),
            "validation": suite("core.t", ["k"]).version}
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
# The models match devices and read the consensus by day from the verification package's two small modules,
# not from the claim checks (plausibility.py and the per-claim modules do not shape the model marts).
SHAPE_THE_MODELS = ["reference/coins.csv", "reference/block_rewards.csv", "reference/capex_company_aliases.csv",
                    "lib/verification/devices.py", "lib/verification/consensus.py", "lib/capex/companies.py",
                    "sql/marts/models_load.sql", "lib/models/mining.py"]
SHAPE_THE_EXTRACTION = ["reference/cost_sheet_headers.csv", "reference/coins.csv",
                        "reference/capex_company_aliases.csv", "lib/costsheets/vocab.py", "lib/costsheets/tables.py",
                        "lib/costsheets/numbers.py", "lib/costsheets/periods.py", "lib/costsheets/pdf.py",
                        "lib/costsheets/sheets.py", "lib/common/csvfile.py", "lib/costsheets/__init__.py",
                        "lib/costsheets/errors.py", "lib/costsheets/triage.py",
                        "lib/costsheets/words.py", "lib/costsheets/ruled.py",
                        "lib/costsheets/rotation.py", "lib/costsheets/ocr.py"]

# The report is rebuilt on unchanged data when its code changes: the modules it imports count too
# (lib/report/content.py was covered before: it shows the change in the copy is what is digested; the
# section modules it was split into must count as much).
SHAPE_THE_REPORT = ["lib/warehouse/analyst.py", "lib/intake/inventory.py", "lib/report/content.py",
                    *(f"lib/report/sections/{name}.py" for name in
                      ("__init__", "shared", "verdict", "leaks", "fleet", "profitability", "attribution",
                       "sensitivity", "assumptions", "quality"))]

# A stored validation result is reused on an unchanged table only while the code that judged it is unchanged.
# (lib/validation/suites.py was split into the four modules below: each counts as it did.)
SHAPE_THE_VALIDATION = ["lib/validation/expectations.py", "lib/validation/runner.py", "lib/validation/quarantine.py",
                        "lib/validation/results.py", "lib/common/files.py"]


@pytest.fixture(scope="module")
def keys_after_each_change(tmp_path_factory):
    root = package_copy(tmp_path_factory.mktemp("keys"))
    names = sorted(set(SHAPE_THE_MODELS) | set(SHAPE_THE_EXTRACTION) | set(SHAPE_THE_REPORT)
                   | set(SHAPE_THE_VALIDATION))
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


@pytest.mark.parametrize("name", SHAPE_THE_REPORT)
def test_the_report_code_digest_changes_with_the_modules_the_report_imports(keys_after_each_change, name):
    assert keys_after_each_change[name]["report"] != keys_after_each_change["before"]["report"]


@pytest.mark.parametrize("name", SHAPE_THE_VALIDATION)
def test_a_validation_suites_version_changes_with_the_code_that_evaluates_it(keys_after_each_change, name):
    assert keys_after_each_change[name]["validation"] != keys_after_each_change["before"]["validation"]


def test_the_shaping_files_are_found_from_the_imports_not_a_list():
    from pipelines.lib.common.digests import PACKAGE_DIR, shaping_files

    def names(*roots, also=()):
        return {p.relative_to(PACKAGE_DIR).as_posix() for p in shaping_files(*roots, also=also)}

    models = names("pipelines.lib.models.stage", also=[PACKAGE_DIR / "defs" / "models" / "assets.py"])
    assert {"lib/verification/devices.py", "lib/verification/consensus.py", "lib/capex/companies.py", "reference/coins.csv",
            "reference/block_rewards.csv", "reference/capex_company_aliases.csv",
            "reference/model_assumptions.toml"} <= models
    claims = {f"lib/verification/{name}.py" for name in ("plausibility", "hashrate", "power", "coins", "minable",
                                                          "totals", "period", "verdicts", "lines")}
    assert not claims & models       # the claim checks do not shape the models
    extraction = names("pipelines.lib.costsheets.extract")
    assert {"lib/costsheets/vocab.py", "lib/costsheets/tables.py", "lib/common/parsed.py", "lib/common/files.py",
            "reference/cost_sheet_headers.csv", "reference/coins.csv",
            "reference/capex_company_aliases.csv"} <= extraction
    # what does not shape the rows stays out: the Dask glue, the warehouse, other reference tables
    assert not {"lib/costsheets/executors.py", "lib/warehouse/store.py", "reference/hashrate_bounds.csv"} & extraction


# ----------------------------------------------------------------------------- what is cached

def _doc(name: str) -> list[tuple[Path, str, str]]:
    return [(SHEETS / name, f"id-{name}", name)]


def test_a_timeout_inside_the_extractor_is_tried_again_on_the_next_run(tmp_path, monkeypatch):
    real = extract.extract_pdf

    def times_out(*args, **kwargs):
        raise DocumentError("timed out: extraction took longer than the limit at page 1 of 1 "
                            "(LEAKPIPE_PDF_TIMEOUT_SECONDS)", "cost_sheets.timeout")

    monkeypatch.setattr(extract, "extract_pdf", times_out)
    docs = _doc("de_kostenrechnung_q1_2024.pdf")
    [first] = extract_all(docs, tmp_path, Limits(), None, workers=1)
    assert (first.status, first.check) == ("quarantined", "cost_sheets.timeout")
    assert list(tmp_path.iterdir()) == []                   # nothing cached for it

    monkeypatch.setattr(extract, "extract_pdf", real)       # the machine is less busy next time
    [second] = extract_all(docs, tmp_path, Limits(), None, workers=1)
    assert (second.status, second.cached, second.rows) == ("loaded", False, 9)
    [third] = extract_all(docs, tmp_path, Limits(), None, workers=1)
    assert (third.status, third.cached, third.rows) == ("loaded", True, 9)


def test_a_real_tiny_time_limit_is_not_cached_either(tmp_path):
    docs = _doc("multi_page_fleet_2023.pdf")
    tiny = Limits(timeout_seconds=1e-9)
    for _ in range(2):
        [result] = extract_all(docs, tmp_path, tiny, None, workers=1)
        assert (result.status, result.check, result.cached) == ("quarantined", "cost_sheets.timeout", False)
    assert extract.cache_misses(docs, tmp_path, tiny, None) == docs


def test_an_unexpected_exception_is_tried_again_on_the_next_run(tmp_path, monkeypatch):
    real = extract.read_document

    def crashes(*args, **kwargs):
        raise MemoryError("simulated")

    monkeypatch.setattr(extract, "read_document", crashes)
    docs = _doc("kostenblatt_export.csv")
    [first] = extract_all(docs, tmp_path, Limits(), None, workers=1)
    assert (first.status, first.check) == ("quarantined", "cost_sheets.parser_error")
    monkeypatch.setattr(extract, "read_document", real)
    [second] = extract_all(docs, tmp_path, Limits(), None, workers=1)
    assert (second.status, second.cached) == ("loaded", False)
    assert len(read_rows(tmp_path, [second], Limits(), None)) == second.rows > 0


def test_a_document_the_pool_did_not_finish_in_time_is_tried_again(tmp_path, monkeypatch):
    import concurrent.futures as cf

    release = threading.Event()
    real, real_wait = extract.extract_to_cache, cf.wait

    def stuck(*args, **kwargs):     # a worker that is still busy when the run's budget is spent
        release.wait(60)
        return {}

    monkeypatch.setattr(extract, "extract_to_cache", stuck)
    monkeypatch.setattr(cf, "wait", lambda fs, timeout=None: real_wait(fs, timeout=0))   # the budget is spent
    docs = _doc("kostenblatt_export.csv")
    with cf.ThreadPoolExecutor(1) as pool:
        [first] = extract_all(docs, tmp_path, Limits(), None, executor=pool)
        release.set()
    assert (first.status, first.check) == ("quarantined", "cost_sheets.timeout")
    monkeypatch.setattr(extract, "extract_to_cache", real)
    monkeypatch.setattr(cf, "wait", real_wait)
    [second] = extract_all(docs, tmp_path, Limits(), None, workers=1)
    assert (second.status, second.cached) == ("loaded", False)


@pytest.mark.parametrize("name, limits, check", [
    ("encrypted_leak.pdf", Limits(), "cost_sheets.encrypted_pdf"),
    ("truncated_leak.pdf", Limits(), "cost_sheets.truncated_pdf"),
    ("not_a_pdf.pdf", Limits(), "cost_sheets.not_a_pdf"),
    ("multi_page_fleet_2023.pdf", Limits(max_pages=2), "cost_sheets.too_many_pages"),
])
def test_a_genuinely_broken_file_stays_cached(tmp_path, name, limits, check):
    docs = _doc(name)
    [first] = extract_all(docs, tmp_path, limits, None, workers=1)
    [second] = extract_all(docs, tmp_path, limits, None, workers=1)
    assert (first.status, first.check, first.cached) == ("quarantined", check, False)
    assert (second.status, second.check, second.cached) == ("quarantined", check, True)


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
