"""The `leakpipe` command line on the warehouse built from the bundled data."""
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.cli import cli
from pipelines.lib.common.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def sample(tmp_path_factory, extract_cache):
    from conftest import run_bundled

    return run_bundled(tmp_path_factory, extract_cache, "cli")


def leakpipe(sample, *args, input=None):
    runner = CliRunner()
    return runner.invoke(cli, ["--warehouse", str(sample.warehouse), "--raw", str(sample.raw),
                               "--reports", str(sample.warehouse.parent.parent / "reports"), *args],
                         input=input, catch_exceptions=False)


def sql(sample, text):
    with duckdb.connect(str(sample.warehouse), read_only=True) as con:
        return con.execute(text).df()


def test_the_console_script_is_installed_and_every_command_has_help():
    script = Path(sys.executable).with_name("leakpipe")
    assert script.exists(), "the package installs a `leakpipe` console script"
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "query" in out.stdout
    runner = CliRunner()
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage: cli " + name in result.output or f"Usage: leakpipe {name}" in result.output
    assert set(cli.commands) >= {"query", "report", "export", "status", "ingest"}


def test_query_prints_a_table_and_writes_csv_json_and_parquet(sample, tmp_path):
    text = "SELECT verdict, count(*) AS n FROM marts.leak_plausibility GROUP BY verdict ORDER BY verdict"
    expected = sql(sample, text)
    table = leakpipe(sample, "query", text)
    assert table.exit_code == 0
    for verdict, n in expected.itertuples(index=False):
        assert verdict in table.output and str(n) in table.output
    as_csv = leakpipe(sample, "query", text, "--format", "csv")
    assert pd.read_csv(io.StringIO(as_csv.output)).equals(expected)
    as_json = json.loads(leakpipe(sample, "query", text, "--format", "json").output)
    assert as_json == expected.to_dict(orient="records")
    target = tmp_path / "out.parquet"
    assert leakpipe(sample, "query", "SELECT * FROM core.prices_daily", "--format", "parquet",
                    "-o", str(target)).exit_code == 0
    frame = pd.read_parquet(target)
    assert len(frame) == len(sql(sample, "SELECT * FROM core.prices_daily"))
    assert str(pd.read_parquet(target)["date"].iloc[0]) == str(sql(sample, "SELECT min(date) FROM core.prices_daily"
                                                                   ).iloc[0, 0].date())


def test_query_reads_sql_from_a_file_and_from_stdin(sample):
    path = PROJECT_ROOT / "sql" / "analyst" / "documents_by_status.sql"
    from_file = leakpipe(sample, "query", "-f", str(path), "--format", "json")
    from_stdin = leakpipe(sample, "query", "-", "--format", "json", input=path.read_text())
    from_dash_file = leakpipe(sample, "query", "-f", "-", "--format", "json", input=path.read_text())
    assert from_file.exit_code == 0 and json.loads(from_file.output) == json.loads(from_stdin.output)
    assert json.loads(from_dash_file.output) == json.loads(from_file.output)
    assert {r["status"] for r in json.loads(from_file.output)} >= {"loaded", "quarantined"}


@pytest.mark.parametrize("text, says", [
    ("SELEC 1", "syntax error"),
    ("CREATE TABLE core.x AS SELECT 1", "read-only"),
    ("DELETE FROM core.events", "read-only"),
    ("SELECT * FROM read_csv('/etc/passwd')", "disabled by configuration"),
    ("COPY core.events TO '/tmp/leakpipe-exfil.csv'", "disabled by configuration"),
    ("SET enable_external_access = true", "locked"),
    ("SELECT * FROM no_such_table", "does not exist"),
])
def test_a_bad_or_forbidden_query_fails_with_the_reason_and_exit_code_1(sample, text, says):
    result = leakpipe(sample, "query", text)
    assert result.exit_code == 1
    assert result.output.startswith("Error: the query failed:") and says in result.output.lower()
    assert "Traceback" not in result.output


def test_usage_errors_and_a_missing_warehouse_are_clear(sample, tmp_path):
    assert leakpipe(sample, "query").exit_code == 2
    assert "--output" in leakpipe(sample, "query", "SELECT 1", "--format", "parquet").output
    result = CliRunner().invoke(cli, ["--warehouse", str(tmp_path / "none.duckdb"), "status"])
    assert result.exit_code == 1 and "no published warehouse" in result.output and "make run" in result.output


def test_status_shows_documents_quarantine_runs_and_freshness(sample):
    result = leakpipe(sample, "status")
    assert result.exit_code == 0, result.output
    quarantined = int(sql(sample, "SELECT count(*) FROM core.quarantine").iloc[0, 0])
    assert f"quarantine: {quarantined} record(s)" in result.output
    assert "data freshness" in result.output and "core.prices_daily" in result.output
    data = json.loads(leakpipe(sample, "status", "--json").output)
    files = sum(d["files"] for d in data["documents"])
    assert files == int(sql(sample, "SELECT count(*) FROM core.documents").iloc[0, 0])
    last = max(r["last_day"] for r in data["freshness"] if r["table"] == "core.prices_daily")
    assert last == str(sql(sample, "SELECT max(date) FROM core.prices_daily").iloc[0, 0].date())
    assert sum(r["records"] for r in data["quarantine"]) == quarantined


def test_export_writes_every_table_in_both_formats_and_skips_unchanged_ones(sample, tmp_path):
    out = tmp_path / "exports"
    first = leakpipe(sample, "export", "--out", str(out))
    assert first.exit_code == 0, first.output
    tables = sql(sample, "SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() "
                         "WHERE schema_name IN ('core','marts')")["t"]
    for table in tables:
        rows = int(sql(sample, f"SELECT count(*) FROM {table}").iloc[0, 0])
        assert len(pd.read_parquet(out / "parquet" / f"{table}.parquet")) == rows, table
        assert len(pd.read_csv(out / "csv" / f"{table}.csv", low_memory=False)) == rows, table
    again = leakpipe(sample, "export", "--out", str(out))
    assert "0 written" in again.output
    only = leakpipe(sample, "export", "--out", str(tmp_path / "one"), "--table", "marts.rally_attribution",
                    "--format", "csv")
    assert only.exit_code == 0 and [p.name for p in (tmp_path / "one").rglob("*.csv")] == ["marts.rally_attribution.csv"]
    missing = leakpipe(sample, "export", "--out", str(tmp_path / "x"), "--table", "core.nope")
    assert missing.exit_code == 1 and "no table or view core.nope" in missing.output


def test_csv_exports_neutralise_formula_injection_and_parquet_keeps_values(tmp_path):
    from pipelines.lib.warehouse.export import csv_text, export_tables

    hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "plain", "3 = 3", None]
    back = pd.read_csv(io.StringIO(csv_text(pd.DataFrame({"s": hostile, "x": -5.0}))), keep_default_na=False)
    assert back["s"].tolist() == ["'=cmd|' /C calc'!A0", "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1", "plain",
                                  "3 = 3", ""]
    assert (back["x"] == -5.0).all()
    # the test runs on a column's distinct values: one risky cell among many repeats, a column of only
    # safe repeats and a column of only NULLs
    many = pd.DataFrame({"s": ["plain"] * 500 + ["=1+1"] + ["plain"] * 500, "safe": "a - b", "none": None})
    back = pd.read_csv(io.StringIO(csv_text(many.astype({"none": "string"}))), keep_default_na=False)
    assert back["s"].tolist() == ["plain"] * 500 + ["'=1+1"] + ["plain"] * 500
    assert set(back["safe"]) == {"a - b"} and set(back["none"]) == {""}
    hostile = hostile[:-1]
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA core; CREATE TABLE core.t (s VARCHAR, x DOUBLE)")
        con.executemany("INSERT INTO core.t VALUES (?, ?)", [[v, -1.5] for v in hostile])
    with duckdb.connect(str(db), read_only=True) as con:
        export_tables(con, tmp_path / "out", ["core.t"])
    cells = pd.read_csv(tmp_path / "out" / "csv" / "core.t.csv", keep_default_na=False)
    assert len(cells) == len(hostile)
    assert not any(str(c).startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells["s"])
    assert (cells["x"] == -1.5).all()       # numbers are numbers, not neutralised text
    assert pd.read_parquet(tmp_path / "out" / "parquet" / "core.t.parquet")["s"].tolist() == hostile


def test_export_to_an_unwritable_folder_fails_clearly(sample, tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/leakpipe-exports")   # not writable, even for root
    else:
        target = tmp_path / "ro"
        target.mkdir()
        target.chmod(0o500)
    result = leakpipe(sample, "export", "--out", str(target), "--table", "core.events")
    assert result.exit_code == 1 and "cannot write the export of core.events" in result.output


# --- ingest ---------------------------------------------------------------------------------------

@pytest.fixture
def drop(tmp_path):
    """A folder of files to ingest (copies of bundled inputs, outside any raw folder)."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    for rel in ["prices/BTC-USD.csv", "network/etc_coinmetrics.csv", "cost_sheets/en_idle_mining_h2_2023.pdf",
                "capex/2024-04-24_meta_capex_guidance_en.pdf", "flows/farside_btc_etf_flows_2024q1.csv",
                "fx/ecb_eurusd.csv", "events/events.csv", "hardware/hardware_specs.csv",
                "capex/hyperscaler_capex_quarterly_2022_2024.csv", "cost_sheets/kostenblatt_export.csv",
                "cost_sheets/cost_sheet_2024.xlsx"]:
        shutil.copy(PROJECT_ROOT / "raw" / rel, folder / Path(rel).name)
    return folder


def ingest(raw: Path, *args):
    return CliRunner().invoke(cli, ["--raw", str(raw), "ingest", *map(str, args)], catch_exceptions=False)


def test_ingest_puts_each_file_in_the_folder_its_content_says(tmp_path, drop):
    raw = tmp_path / "raw"
    result = ingest(raw, drop)
    assert result.exit_code == 0, result.output
    placed = {p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()}
    assert placed == {"prices/BTC-USD.csv", "network/etc_coinmetrics.csv", "cost_sheets/en_idle_mining_h2_2023.pdf",
                      "capex/2024-04-24_meta_capex_guidance_en.pdf", "flows/farside_btc_etf_flows_2024q1.csv",
                      "fx/ecb_eurusd.csv", "events/events.csv", "hardware/hardware_specs.csv",
                      "capex/hyperscaler_capex_quarterly_2022_2024.csv", "cost_sheets/kostenblatt_export.csv",
                      "cost_sheets/cost_sheet_2024.xlsx"}
    for path in raw.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (drop / path.name).read_bytes()
    again = ingest(raw, drop / "BTC-USD.csv")
    assert again.exit_code == 0 and again.output.startswith("already there")


def test_ingest_refuses_bad_files_with_reasons_and_copies_the_good_ones(tmp_path, drop):
    raw = tmp_path / "raw"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.csv").write_bytes(b"")
    (bad / "archive.zip").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    (bad / "fake.pdf").write_text("this is not a pdf")
    (bad / "notes.csv").write_text("foo,bar\n1,2\n")
    (bad / "link.csv").symlink_to(drop / "BTC-USD.csv")
    result = ingest(raw, bad / "empty.csv", bad / "archive.zip", bad / "fake.pdf", bad / "notes.csv",
                    bad / "link.csv", drop / "BTC-USD.csv", tmp_path / "missing.csv")
    assert result.exit_code == 1
    assert "empty file" in result.output and "zip archive" in result.output
    assert "not a PDF file" in result.output and "say which with --kind" in result.output
    assert "symbolic link" in result.output and "no such file" in result.output
    assert [p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()] == ["prices/BTC-USD.csv"]


def test_ingest_never_writes_outside_the_raw_folder(tmp_path, drop):
    raw = tmp_path / "raw"
    outside = tmp_path / "outside"
    outside.mkdir()
    raw.mkdir()
    (raw / "prices").symlink_to(outside, target_is_directory=True)   # a subfolder that leads out
    result = ingest(raw, drop / "BTC-USD.csv")
    assert result.exit_code == 1 and "outside the raw folder" in result.output
    assert list(outside.iterdir()) == []
    bad_kind = ingest(raw, "--kind", "../..", drop / "BTC-USD.csv")
    assert bad_kind.exit_code == 2 and "Invalid value for '--kind'" in bad_kind.output


def test_ingest_kind_dry_run_and_replace(tmp_path, drop):
    raw = tmp_path / "raw"
    dry = ingest(raw, "--dry-run", drop / "BTC-USD.csv")
    assert dry.exit_code == 0 and "would copy" in dry.output and not raw.exists()
    assert ingest(raw, "--kind", "events", drop / "events.csv").exit_code == 0
    other = tmp_path / "other" / "events.csv"
    other.parent.mkdir()
    other.write_text("date,title\n2024-05-01,Something else\n")
    clash = ingest(raw, other)
    assert clash.exit_code == 1 and "already exists with other content" in clash.output
    assert ingest(raw, "--replace", other).exit_code == 0
    assert (raw / "events" / "events.csv").read_text() == other.read_text()


def test_a_result_too_wide_for_the_terminal_is_shown_one_block_per_row(sample):
    result = leakpipe(sample, "query", "SELECT * FROM marts.rally_attribution ORDER BY coin, channel LIMIT 2")
    assert result.exit_code == 0
    assert "row 1" in result.output and "row 2" in result.output and "rally_log_return" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80   # nothing folded past the width
