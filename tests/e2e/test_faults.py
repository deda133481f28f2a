"""Faults survived, nothing lost: a run killed mid-write, a damaged or deleted warehouse, two runs
at once. The raw folder is the source of truth and is never modified."""
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from tests.conftest import BUNDLED_RAW, PipelineRun

from pipelines.lib.common.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

SMALL = ["prices/BTC-USD.csv", "fx/ecb_eurusd.csv", "cost_sheets/kostenblatt_export.csv",
         "cost_sheets/cost_sheet_2024.xlsx", "cost_sheets/empty.pdf", "capex/hyperscaler_capex_quarterly_2022_2024.csv",
         "network/btc_network_daily.csv", "hardware/hardware_specs.csv"]


def small_raw(root: Path) -> Path:
    raw = root / "raw"
    for rel in SMALL:
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(BUNDLED_RAW / rel, raw / rel)
    return raw


def digest(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def content(path: Path) -> dict:
    """Every row of every table, timestamps left out (they say when, not what)."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2").fetchall()
        out = {}
        for schema, table in tables:
            columns = [c for c, t in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? "
                "AND table_name = ? ORDER BY ordinal_position", [schema, table]).fetchall()
                if not t.startswith("TIMESTAMP")]
            select = ", ".join(f'"{c}"' for c in columns)
            out[f"{schema}.{table}"] = sorted(map(repr, con.execute(f'SELECT {select} FROM "{schema}"."{table}"').fetchall()))
        return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory, extract_cache):
    """The content of a clean run on the small raw folder."""
    root = tmp_path_factory.mktemp("reference")
    run = PipelineRun(small_raw(root), root, extract_cache)
    run.run()
    return content(run.warehouse)


def test_a_damaged_working_file_is_set_aside_and_rebuilt_from_raw(tmp_path, extract_cache, reference, caplog):
    raw = small_raw(tmp_path)
    before = digest(raw)
    run = PipelineRun(raw, tmp_path, extract_cache)
    run.run()
    work = run.warehouse.with_name(f".{run.warehouse.name}.work")
    data = work.read_bytes()
    work.write_bytes(data[: len(data) // 2])                 # truncated, as after a full disk
    with caplog.at_level(logging.ERROR, logger="leakpipe.warehouse"):
        run.run()
    assert any("could not be opened" in r.message and "rebuilt from the raw folder" in r.message
               for r in caplog.records)
    assert list(tmp_path.glob("warehouse/.leaks.duckdb.work.corrupt-*")), "the damaged file is kept aside"
    assert content(run.warehouse) == reference
    assert digest(raw) == before


def test_garbage_in_place_of_the_warehouse_and_a_deleted_warehouse(tmp_path, extract_cache, reference):
    raw = small_raw(tmp_path)
    run = PipelineRun(raw, tmp_path, extract_cache)
    run.run()
    work = run.warehouse.with_name(f".{run.warehouse.name}.work")
    work.write_bytes(os.urandom(64 * 1024))
    run.run()
    assert content(run.warehouse) == reference
    work.unlink()
    run.warehouse.unlink()
    run.run()
    assert content(run.warehouse) == reference


def test_a_run_killed_in_the_middle_of_writes_then_rerun_loses_and_duplicates_nothing(
        tmp_path, extract_cache, reference):
    raw = small_raw(tmp_path)
    before = digest(raw)
    run = PipelineRun(raw, tmp_path, extract_cache)
    env = {**os.environ, **run.env, "DAGSTER_HOME": str(tmp_path / "dagster_home"),
           "PYTHONPATH": str(PROJECT_ROOT)}
    (tmp_path / "dagster_home").mkdir()
    wal = run.warehouse.with_name(f".{run.warehouse.name}.work.wal")
    killed_at = None
    for attempt in range(3):          # the kill must land while a write transaction is open
        proc = subprocess.Popen([sys.executable, "-m", "pipelines.run"], env=env, cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if wal.exists():
                time.sleep(0.002 * attempt)
                os.killpg(proc.pid, signal.SIGKILL)
                killed_at = attempt
                break
            time.sleep(0.002)
        proc.wait(timeout=60)
        if killed_at is not None:
            break
    assert killed_at is not None, "the run finished before a write could be interrupted"
    assert proc.returncode == -signal.SIGKILL
    run.run()
    assert content(run.warehouse) == reference
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) - count(DISTINCT path) FROM core.documents").fetchone()[0] == 0
    assert digest(raw) == before


def test_two_runs_at_once_one_waits_for_the_other(tmp_path, extract_cache, reference):
    raw = small_raw(tmp_path)
    run = PipelineRun(raw, tmp_path, extract_cache)
    (tmp_path / "dagster_home").mkdir()
    env = {**os.environ, **run.env, "DAGSTER_HOME": str(tmp_path / "dagster_home"),
           "PYTHONPATH": str(PROJECT_ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "pipelines.run"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], "\n\n".join(o[-3000:] for o in outputs)
    assert any("waiting for it to finish" in o for o in outputs), "the second run says it waits"
    assert content(run.warehouse) == reference


@pytest.mark.parametrize("fault", ["reports_is_a_file", "disk_full"])
def test_a_reports_folder_that_cannot_be_written_fails_clearly_and_leaves_the_warehouse_whole(
        tmp_path, extract_cache, reference, monkeypatch, fault):
    run = PipelineRun(small_raw(tmp_path), tmp_path, extract_cache)
    reports = Path(run.env["LEAKPIPE_REPORTS_DIR"])
    if fault == "reports_is_a_file":   # (permissions do not stop root; a file where the folder should be does)
        reports.parent.mkdir(parents=True, exist_ok=True)
        reports.write_text("not a folder")
        expected = "cannot write the Data Docs to"
    else:
        import errno

        import pipelines.lib.validation.results as validation

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(validation, "build_data_docs", full)
        expected = "No space left on device"
    with pytest.raises(RuntimeError) as failure:
        run.run()
    assert "reports__data_docs" in str(failure.value) and expected in str(failure.value)
    assert content(run.warehouse) == reference   # the warehouse was built and published whole
    assert not (reports.parent / ".data_docs.building").exists()


@pytest.mark.parametrize("fault", ["reports_is_a_file", "disk_full"])
def test_the_report_job_on_an_unwritable_reports_folder_fails_clearly_and_leaves_the_warehouse_whole(
        tmp_path, extract_cache, reference, monkeypatch, fault):
    import dagster as dg

    from pipelines.definitions import build_definitions

    run = PipelineRun(small_raw(tmp_path), tmp_path, extract_cache)
    run.run()
    published = hashlib.sha256(run.warehouse.read_bytes()).hexdigest()
    reports = Path(run.env["LEAKPIPE_REPORTS_DIR"])
    if fault == "reports_is_a_file":
        shutil.rmtree(reports)
        reports.write_text("not a folder")
        expected = ["cannot write the report", "cannot write the export"]
    else:
        import errno

        import pipelines.lib.warehouse.export as export
        import pipelines.lib.report.build as report_build

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(report_build, "_write", full)
        monkeypatch.setattr(export, "replace_atomically", full)
        expected = ["No space left on device"]
    result = build_definitions(run.env).resolve_job_def("report_job").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert not result.success
    # the report and the exports are one step (built side by side); it fails with both failures, each
    # saying why and that the warehouse is not affected
    failures = {e.step_key: e.event_specific_data.error.message for e in result.all_events if e.is_step_failure}
    assert set(failures) == {"reports_and_exports"}
    message = failures["reports_and_exports"]
    for words in expected:
        assert words in message
    assert message.count("the warehouse is not affected") == 2     # the report's failure and the exports'
    assert hashlib.sha256(run.warehouse.read_bytes()).hexdigest() == published   # not a byte changed
    assert content(run.warehouse) == reference
