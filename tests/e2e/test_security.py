"""Leaked documents are untrusted, and the pipeline runs offline unless the price puller is enabled."""
import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from pipelines.lib.validation import expectations as v
from pipelines.lib.validation import quarantine
from pipelines.lib.validation import results
from pipelines.lib.validation import runner
from pipelines.lib.common.settings import PROJECT_ROOT

PAYLOADS = ['<script>alert("leak")</script>', "<img src=x onerror=alert(1)>", '"><svg onload=alert(2)>']


def test_leaked_text_reaches_the_data_docs_escaped(tmp_path):
    """Data Docs list a failing expectation's unexpected values; from a leak they are attacker text."""
    frame = pd.DataFrame({v.ROWID: range(4), "coin": ["BTC", *PAYLOADS], "document_id": ["d"] * 4})
    spec = v.suite("core.cost_sheet_lines", ["coin"], v.in_set("coin", ["BTC", "ETC"], "a coin we price"))
    day = dt.date(2024, 1, 1)
    outcome = runner.run_suite(frame, spec, day, with_rows_expected=True)
    assert outcome.row_failures                          # the hostile cells did fail and will be listed
    results.save_result(tmp_path / "results", spec, "fingerprint", day, outcome, quarantine.quarantine_frame(frame, spec, outcome))
    results.build_data_docs(tmp_path / "results", tmp_path / "site")
    pages = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")}
    page = next(text for path, text in pages.items() if "core.cost_sheet_lines" in path.name)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page   # shown to the analyst, as text
    assert "&amp;lt;" not in page                          # and escaped once, not twice
    for text in pages.values():
        for needle in ("<script>alert", "<img src=x", "<svg onload"):
            assert needle not in text


SITECUSTOMIZE = textwrap.dedent("""
    # Loaded by every Python process started with this folder on PYTHONPATH, the extraction
    # pool's spawned workers included: logs each attempt to reach the network.
    import os, socket, sys
    _LOG = os.environ["LEAKPIPE_TEST_NETWORK_LOG"]
    def _write(line):
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(line + "\\n")
    _write(f"process {os.getpid()}")
    _INET = (socket.AF_INET, socket.AF_INET6)
    def _hook(event, args):
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg") and args[0].family in _INET:
            _write(f"{event} {os.getpid()} {args[1:]!r}")
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
                       "urllib.Request", "http.client.connect"):
            _write(f"{event} {os.getpid()} {args!r}")
    sys.addaudithook(_hook)
""")


def _watched(tmp_path: Path, argv: list[str], **env) -> tuple[list[str], list[str]]:
    """Run argv with the network watcher in every process: (attempts, process lines)."""
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "network.log"
    log.unlink(missing_ok=True)
    clean = {k: val for k, val in os.environ.items()
             if not k.startswith("LEAKPIPE_") and k not in ("GX_ANALYTICS_ENABLED", "DAGSTER_DISABLE_TELEMETRY")}
    done = subprocess.run(argv, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
                          env={**clean, "PYTHONPATH": str(hook), "LEAKPIPE_TEST_NETWORK_LOG": str(log), **env})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = log.read_text(encoding="utf-8").splitlines()
    return [x for x in lines if not x.startswith("process ")], [x for x in lines if x.startswith("process ")]


def test_the_network_watcher_sees_a_request(tmp_path):
    """The watcher itself works: a plain request is logged (it fails: nothing listens on port 9)."""
    attempts, _ = _watched(tmp_path, [sys.executable, "-c", textwrap.dedent("""
        import urllib.request
        try:
            urllib.request.urlopen("http://127.0.0.1:9/", timeout=2)
        except OSError:
            pass
    """)])
    assert any(a.startswith("socket.connect") for a in attempts), attempts


@pytest.mark.e2e
def test_a_full_run_makes_no_network_request(tmp_path):
    """`python -m pipelines.run` on the bundled data, cold (so the extraction pool's workers run too),
    without the telemetry opt-outs the Makefile sets: not one connection, lookup or request.
    OCR is off to save time: tesseract is a separate program the watcher could not see anyway."""
    attempts, processes = _watched(
        tmp_path, [sys.executable, "-m", "pipelines.run"],
        LEAKPIPE_WAREHOUSE=str(tmp_path / "warehouse" / "leaks.duckdb"),
        LEAKPIPE_REPORTS_DIR=str(tmp_path / "reports"), LEAKPIPE_EXTRACT_CACHE=str(tmp_path / "cache"),
        LEAKPIPE_OCR="off", DAGSTER_HOME=str(tmp_path))
    assert len(processes) >= 2, "the extraction workers did not run under the watcher"
    assert attempts == []


# Analyst connections ---------------------------------------------------------------------------

@pytest.fixture
def warehouse(tmp_path) -> Path:
    import duckdb

    path = tmp_path / "leaks.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT 1 AS a")
    (tmp_path / "secret.csv").write_text("x\n42\n")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "mine.csv").write_text("x\n7\n")
    return path


def _refused(con, sql: str) -> str:
    import duckdb

    with pytest.raises(duckdb.Error) as caught:
        con.execute(sql).fetchall()
    return str(caught.value)


def test_analyst_queries_are_read_only_with_files_and_network_off(warehouse):
    from pipelines.lib.warehouse.analyst import connect

    folder = warehouse.parent
    with connect(warehouse) as con:
        assert con.execute("SELECT a FROM marts.t").fetchall() == [(1,)]
        assert "read-only" in _refused(con, "CREATE TABLE marts.u AS SELECT 2")
        assert "read-only" in _refused(con, "DELETE FROM marts.t")
        for sql in (f"SELECT * FROM read_csv('{folder}/secret.csv')",
                    f"COPY marts.t TO '{folder}/out.csv'",
                    f"ATTACH '{folder}/other.duckdb'",
                    "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
                    "INSTALL httpfs",
                    "LOAD httpfs"):
            assert "disabled" in _refused(con, sql), sql
        assert "locked" in _refused(con, "SET enable_external_access = true")
    assert not (folder / "out.csv").exists()


def test_analyst_files_are_opened_folder_by_folder_on_request(warehouse):
    from pipelines.lib.warehouse.analyst import connect

    folder = warehouse.parent
    with connect(warehouse, files=[folder / "mine"]) as con:
        assert con.execute(f"SELECT x FROM read_csv('{folder}/mine/mine.csv')").fetchall() == [(7,)]
        con.execute(f"COPY marts.t TO '{folder}/mine/export.csv'")
        assert "disabled" in _refused(con, f"SELECT * FROM read_csv('{folder}/mine/../secret.csv')")
        assert "disabled" in _refused(con, "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')")
        assert "locked" in _refused(con, "SET allowed_directories = ['/']")
    assert (folder / "mine" / "export.csv").read_text().splitlines() == ["a", "1"]


def test_analyst_network_only_when_asked(warehouse):
    from pipelines.lib.warehouse.analyst import connect

    with connect(warehouse, network=True) as con:
        assert con.execute("SELECT current_setting('enable_external_access'), "
                           "current_setting('autoload_known_extensions')").fetchone() == (True, True)
        assert "read-only" in _refused(con, "CREATE TABLE marts.u AS SELECT 2")


def test_analyst_connection_on_a_missing_or_broken_warehouse_says_so(tmp_path):
    from pipelines.lib.warehouse.analyst import WarehouseUnavailable, connect

    with pytest.raises(WarehouseUnavailable, match="make run"):
        connect(tmp_path / "nothing.duckdb")
    (tmp_path / "garbage.duckdb").write_bytes(b"not a database" * 100)
    with pytest.raises(WarehouseUnavailable, match="cannot open the warehouse"):
        connect(tmp_path / "garbage.duckdb")


def test_two_analyst_connections_in_one_process_share_the_locked_settings(warehouse):
    from pipelines.lib.warehouse.analyst import connect

    with connect(warehouse) as first, connect(warehouse) as second:   # e.g. a report step and its digest
        assert first.execute("SELECT a FROM marts.t").fetchall() == second.execute("SELECT a FROM marts.t").fetchall()
        assert "disabled" in _refused(second, f"SELECT * FROM read_csv('{warehouse.parent / 'secret.csv'}')")
        assert "Cannot change" in _refused(second, "SET enable_external_access = true")
