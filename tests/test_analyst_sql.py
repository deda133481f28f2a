"""SQL for analysts on the bundled sample: the documented views (sql/views/), the example queries
(sql/analyst/), the column comments (sql/core/comments.sql) and docs/schema.md generated from them.

Everything runs on the published warehouse through pipelines.lib.analyst.connect (read-only, external
access off), as an analyst would. A new file in sql/views or sql/analyst is tested by the glob."""
import logging
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import analyst
from pipelines.lib import warehouse as wh_module
from pipelines.lib.schema_docs import schema_markdown
from pipelines.lib.settings import PROJECT_ROOT
from pipelines.lib.sql import statements
from pipelines.lib.warehouse import Warehouse

pytestmark = pytest.mark.e2e

VIEW_FILES = sorted((PROJECT_ROOT / "sql" / "views").glob("*.sql"))
ANALYST_FILES = sorted((PROJECT_ROOT / "sql" / "analyst").glob("*.sql"))
DOCS = PROJECT_ROOT / "docs" / "schema.md"
DOCUMENTED_SCHEMAS = ("core", "marts", "views", "meta")

# On the bundled data these answer with at least one row (an empty answer means something broke).
KEY_VIEWS = {"implausible_claims", "leak_verdicts_by_document", "idle_fleet_network_share_monthly",
             "quarantine_summary", "capex_announced_vs_spent", "rally_attribution_summary", "data_freshness",
             "mining_profitability_monthly", "documents_overview", "rally_window_flows"}
KEY_QUERIES = {"implausible_leaked_lines", "idle_fleet_share_by_month", "quarantined_documents",
               "capex_announced_vs_spent", "attribution_by_channel", "profitability_h100_a100_asic",
               "unverifiable_claims_missing_inputs", "etf_vs_idle_mining_flows", "sensitivity_top_assumptions",
               "largest_leaked_sites_by_revenue", "price_hashrate_around_events", "leak_documents_verdicts"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory, extract_cache):
    from conftest import run_bundled

    return run_bundled(tmp_path_factory, extract_cache, "analyst_sql")


@pytest.fixture(scope="module")
def con(sample):
    connection = analyst.connect(sample.warehouse)
    yield connection
    connection.close()


def _header(text: str) -> list[str]:
    """The comment lines a file starts with."""
    out = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        out.append(line)
    return out


def _code(text: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines())


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: p.name)
def test_each_view_is_documented_and_runs_on_the_published_warehouse(con, path):
    text = path.read_text(encoding="utf-8")
    header = _header(text)
    assert header and header[0].startswith("-- Question: ") and header[0].rstrip().endswith("?"), header[:1]
    assert any("One row" in line for line in header), "the header says what one row means"
    creates = re.findall(r"CREATE OR REPLACE VIEW ([\w.]+) AS", text)
    assert creates == [f"views.{path.stem}"], "one view per file, named as the file, in schema views"
    assert f"COMMENT ON VIEW views.{path.stem} IS" in text
    assert "$" not in _code(text)
    result = con.execute(f"SELECT * FROM views.{path.stem}")
    rows = result.fetchall()
    if path.stem in KEY_VIEWS:
        assert rows, f"views.{path.stem} is empty on the bundled data"


@pytest.mark.parametrize("path", ANALYST_FILES, ids=lambda p: p.name)
def test_each_analyst_query_states_its_question_and_runs_as_is(con, path):
    text = path.read_text(encoding="utf-8")
    header = _header(text)
    assert header and re.fullmatch(r"-- Question: \S.*\?( \(.*\))?", header[0].rstrip()), header[:1]
    assert "$" not in _code(text), "no parameters: the file runs as-is in duckdb -readonly"
    assert len(statements(f"analyst/{path.name}")) == 1
    result = con.execute(text)
    assert result.description, "the query returns a result"
    rows = result.fetchall()
    if path.stem in KEY_QUERIES:
        assert rows, f"{path.name} returns no row on the bundled data"


def test_there_are_at_least_ten_questions_beyond_the_first_four():
    assert len(ANALYST_FILES) >= 14
    assert KEY_QUERIES <= {p.stem for p in ANALYST_FILES}
    assert KEY_VIEWS <= {p.stem for p in VIEW_FILES}


def test_the_answers_say_what_the_sample_holds(con):
    """A few answers checked against what the bundled sample is known to contain."""
    consensus = con.execute("SELECT count(*) FROM views.implausible_claims WHERE claim = 'consensus' AND coin = 'ETH' "
                            "AND period_start >= DATE '2022-09-15' AND document_path IS NOT NULL").fetchone()[0]
    assert consensus > 0   # ETH "mined" after the Merge, traced back to its file
    quarantined = {r[0] for r in con.execute("SELECT path FROM views.quarantine_summary").fetchall()}
    assert {"cost_sheets/empty.pdf", "cost_sheets/encrypted_leak.pdf"} <= quarantined
    eth_after_merge = con.execute("SELECT max(network_share_p95_mean) FROM views.idle_fleet_network_share_monthly "
                                  "WHERE coin = 'ETH' AND month >= DATE '2022-10-01'").fetchone()[0]
    assert eth_after_merge in (None, 0)
    channels = con.execute("SELECT DISTINCT channel FROM views.rally_attribution_summary").fetchall()
    assert {c[0] for c in channels} == {"hashrate", "flow", "event", "residual"}
    files = con.execute("SELECT count(*) FROM views.documents_overview").fetchone()[0]
    assert files == con.execute("SELECT count(*) FROM core.documents").fetchone()[0]   # files in = rows


def test_views_are_in_the_published_warehouse_not_only_the_working_file(sample, con):
    published = {r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE schema_name = 'views'").fetchall()}
    assert published == {p.stem for p in VIEW_FILES}
    work = Warehouse(sample.warehouse).work_path
    assert work != sample.warehouse
    with duckdb.connect(str(work), read_only=True) as working:
        in_work = {r[0] for r in working.execute(
            "SELECT view_name FROM duckdb_views() WHERE schema_name = 'views'").fetchall()}
    assert in_work == published


def test_every_table_view_and_column_has_a_comment(con):
    relations = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE schema_name = ANY(?) AND coalesce(trim(comment), '') = '' "
        "UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() "
        "WHERE schema_name = ANY(?) AND NOT internal AND coalesce(trim(comment), '') = ''",
        [list(DOCUMENTED_SCHEMAS), list(DOCUMENTED_SCHEMAS)]).fetchall()
    assert relations == [], "add COMMENT ON TABLE/VIEW to sql/core/comments.sql or the view's file"
    columns = con.execute(
        "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE schema_name = ANY(?) AND coalesce(trim(comment), '') = '' ORDER BY 1",
        [list(DOCUMENTED_SCHEMAS)]).fetchall()
    assert columns == [], "add COMMENT ON COLUMN to sql/core/comments.sql or the view's file"
    for schema in ("core", "marts", "views"):
        count = con.execute("SELECT count(*) FROM duckdb_columns() WHERE schema_name = ?", [schema]).fetchone()[0]
        assert count > 0, schema


def test_docs_schema_md_is_generated_from_the_warehouse(con):
    generated = schema_markdown(con)
    assert generated == DOCS.read_text(encoding="utf-8"), (
        "docs/schema.md is out of date: python -m pipelines.lib.schema_docs <published warehouse> docs/schema.md")
    for schema in DOCUMENTED_SCHEMAS:
        assert f"## Schema `{schema}`" in generated
    assert "views.implausible_claims" in generated and "core.documents" in generated


def test_docs_do_not_depend_on_the_data(tmp_path):
    """An empty warehouse renders the same Markdown: no row count, date or value leaks into the docs."""
    empty = Warehouse(tmp_path / "leaks.duckdb")
    with empty.connect():
        pass
    empty.publish()
    with analyst.connect(empty.published) as con:
        assert schema_markdown(con) == DOCS.read_text(encoding="utf-8")


def test_views_and_comments_are_applied_only_when_their_files_change(tmp_path, monkeypatch):
    """A known-good working file with today's views costs a lookup; a changed view file re-applies the views
    and comments without touching the tables (no rebuild)."""
    wh = Warehouse(tmp_path / "leaks.duckdb")
    with wh.connect() as con:
        con.execute("INSERT INTO core.document_inventory (path, kind, first_seen_at) VALUES ('a.csv', 'prices', now())")
    calls = []
    real_apply = wh_module._apply_views
    monkeypatch.setattr(wh_module, "_apply_views", lambda con: (calls.append(1), real_apply(con)))
    with wh.connect():
        pass
    assert calls == []                       # unchanged: nothing applied
    monkeypatch.setattr(wh_module, "_views_digest", lambda: "a changed view file")
    with wh.connect() as con:
        assert con.execute("SELECT count(*) FROM core.document_inventory").fetchone()[0] == 1   # not rebuilt
        assert con.execute("SELECT digest FROM meta.views_digest").fetchall() == [("a changed view file",)]
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'views'").fetchone()[0] == len(
            VIEW_FILES)
    assert calls == [1] and wh.recovered is None
    with wh.connect():
        pass
    assert calls == [1]                      # applied once, then unchanged again


def test_a_broken_view_is_logged_and_skipped_not_fatal(tmp_path, monkeypatch, caplog):
    real = wh_module.statements
    broken = f"views/{VIEW_FILES[0].name}"

    def with_a_broken_view(name):
        if name == broken:
            return (f"CREATE OR REPLACE VIEW views.{VIEW_FILES[0].stem} AS SELECT no_such_column FROM core.documents",)
        return real(name)

    monkeypatch.setattr(wh_module, "statements", with_a_broken_view)
    wh = Warehouse(tmp_path / "leaks.duckdb")
    with caplog.at_level(logging.WARNING, logger="leakpipe.warehouse"):
        with wh.connect() as con:
            views = {r[0] for r in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE schema_name = 'views'").fetchall()}
            assert views == {p.stem for p in VIEW_FILES[1:]}      # the others are there
            assert con.execute("SELECT count(*) FROM meta.views_digest").fetchone()[0] == 0   # retried next time
            assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'quarantine'").fetchone()[0]
    assert any(broken in r.getMessage() for r in caplog.records)
    monkeypatch.setattr(wh_module, "statements", real)
    with wh.connect() as con:                # fixed file: applied on the next connection
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'views'").fetchone()[0] == len(
            VIEW_FILES)


def test_published_views_work_with_external_access_off(con):
    """The analyst connection cannot reach files; the views need none."""
    with pytest.raises(duckdb.Error):
        con.execute("SELECT * FROM read_csv('/etc/hostname')").fetchall()
    assert con.execute("SELECT count(*) FROM views.documents_overview").fetchone()[0] > 0


def test_view_files_name_only_tables_so_their_order_does_not_matter():
    """Views are applied in name order; one reading another would depend on that order."""
    for path in VIEW_FILES:
        create = statements(f"views/{path.name}")[0]   # the CREATE VIEW, without its COMMENT statements
        code = re.sub(r"'[^']*'", "''", _code(create))
        others = {p.stem for p in VIEW_FILES} - {path.stem}
        assert not any(re.search(rf"\bviews\.{name}\b", code) for name in others), path.name


def test_schema_docs_command_line_writes_the_file(sample, tmp_path):
    """`python -m pipelines.lib.schema_docs <warehouse> <out>` (its own process: DuckDB shares one
    database instance per file within a process, and the module's analyst connection locked its config)."""
    out = tmp_path / "schema.md"
    done = subprocess.run([sys.executable, "-m", "pipelines.lib.schema_docs", str(sample.warehouse), str(out)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == DOCS.read_text(encoding="utf-8")
    from pipelines.lib.schema_docs import main

    assert main([]) == 2


def test_docs_path_is_in_the_repository():
    assert DOCS.is_file() and DOCS.relative_to(PROJECT_ROOT) == Path("docs/schema.md")
