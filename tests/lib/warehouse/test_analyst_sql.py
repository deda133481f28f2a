"""SQL for analysts on the bundled sample: the documented views (pipelines/sql/views/), the example
queries (sql/analyst/), the column comments (pipelines/sql/core/comments.sql) and docs/schema.md
generated from them.

Everything runs on the published warehouse through pipelines.lib.warehouse.analyst.connect (read-only, external
access off), as an analyst would. A new file in pipelines/sql/views or sql/analyst is tested by the glob."""
import logging
import math
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.warehouse import analyst
from pipelines.lib.warehouse import store as wh_module
from pipelines.lib.warehouse.schema_docs import schema_markdown
from pipelines.lib.common.settings import PROJECT_ROOT
from pipelines.lib.warehouse.sql import split_statements, statements
from pipelines.lib.warehouse.store import Warehouse

pytestmark = pytest.mark.e2e

VIEW_FILES = sorted((PROJECT_ROOT / "pipelines" / "sql" / "views").glob("*.sql"))
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
    assert len(split_statements(text)) == 1
    result = con.execute(text)
    assert result.description, "the query returns a result"
    rows = result.fetchall()
    if path.stem in KEY_QUERIES:
        assert rows, f"{path.name} returns no row on the bundled data"


RUN_SUMMARY_FILES = sorted((PROJECT_ROOT / "pipelines" / "sql" / "run").glob("*.sql"))


@pytest.mark.parametrize("path", RUN_SUMMARY_FILES, ids=lambda p: p.name)
def test_the_run_summary_asks_what_the_analysts_example_asks(path):
    """`make run` prints its summary with pipelines/sql/run/*.sql (the installed package carries them;
    the pipeline never reads sql/); the analysts' example of the same name is a link to it."""
    example = PROJECT_ROOT / "sql" / "analyst" / path.name
    assert example.is_file(), f"sql/analyst/{path.name}: the analysts' copy of the run summary's query"
    assert example.resolve() == path.resolve(), f"sql/analyst/{path.name} links to the package's file"
    def code(p):
        return " ".join(_code(p.read_text(encoding="utf-8")).split())
    assert code(path) == code(example)


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


# Each view's figures pinned against the same figures computed here from the tables it reads, in plain SQL.
# A pin is (what it checks, the view's rows, the expected rows, how many leading columns are the key,
# covered_only). The expected side may be written differently from the view, but must mean the same.
# covered_only: the expected query keeps only rows whose every day is known (all the days of the month
# or window present with values), where a NULL-aware view and a plain average or sum must agree; the
# view's other rows (partly covered, whatever rule they follow) are not pinned.
PINS = {
    "idle_fleet_network_share_monthly": [(
        "monthly means and sums of the daily fleet shares, coins and USD",
        """SELECT coin, month, days, network_share_p05_mean, network_share_p50_mean, network_share_p95_mean,
                  network_share_p95_max, coins_p50_sum, usd_p50_sum
           FROM views.idle_fleet_network_share_monthly""",
        """SELECT coin, CAST(date_trunc('month', date) AS DATE), count(*), avg(network_share_p05),
                   avg(network_share_p50), avg(network_share_p95), max(network_share_p95),
                   sum(coins_per_day_p50), sum(usd_per_day_p50)
            FROM marts.mining_contribution_daily
            GROUP BY 1, 2
            HAVING count(*) FILTER (WHERE network_share_p05 IS NOT NULL AND network_share_p50 IS NOT NULL
                                      AND network_share_p95 IS NOT NULL AND coins_per_day_p50 IS NOT NULL
                                      AND usd_per_day_p50 IS NOT NULL) = day(last_day(min(date)))""",
        2, True)],
    "mining_profitability_monthly": [(
        "monthly mean revenue, power cost and margin per device and reference electricity price",
        """SELECT coin, month, device, electricity_usd_per_kwh, days, revenue_usd_per_day, power_cost_usd_per_day,
                  margin_usd_per_day, profitable_days
           FROM views.mining_profitability_monthly""",
        """SELECT coin, CAST(date_trunc('month', date) AS DATE), device, electricity_usd_per_kwh, count(*),
                   avg(revenue_usd_per_day), avg(power_cost_usd_per_day), avg(margin_usd_per_day),
                   count(*) FILTER (WHERE profitable)
            FROM marts.mining_profitability_daily
            WHERE price_basis = 'reference'
            GROUP BY 1, 2, 3, 4
            HAVING count(*) FILTER (WHERE revenue_usd_per_day IS NOT NULL AND power_cost_usd_per_day IS NOT NULL
                                      AND margin_usd_per_day IS NOT NULL AND profitable IS NOT NULL)
                   = day(last_day(min(date)))""",
        4, True)],
    "rally_window_flows": [(
        "USD and coins the idle fleet would have mined over each window's priced days",
        """SELECT coin, window_name, idle_mining_usd_p05, idle_mining_usd_p50, idle_mining_usd_p95,
                  idle_mining_coins_p50
           FROM views.rally_window_flows""",
        """WITH w AS (SELECT coin, window_name, min(first_priced_day) AS first_priced_day,
                             max(last_priced_day) AS last_priced_day
                      FROM marts.rally_attribution GROUP BY coin, window_name)
           SELECT w.coin, w.window_name, sum(m.usd_per_day_p05), sum(m.usd_per_day_p50), sum(m.usd_per_day_p95),
                  sum(m.coins_per_day_p50)
           FROM w JOIN marts.mining_contribution_daily AS m
               ON m.coin = w.coin AND m.date >= w.first_priced_day AND m.date <= w.last_priced_day
           GROUP BY w.coin, w.window_name, w.first_priced_day, w.last_priced_day
           HAVING count(*) FILTER (WHERE m.usd_per_day_p05 IS NOT NULL AND m.usd_per_day_p50 IS NOT NULL
                                     AND m.usd_per_day_p95 IS NOT NULL AND m.coins_per_day_p50 IS NOT NULL)
                  = w.last_priced_day - w.first_priced_day + 1""",
        2, True), (
        "spot-ETF net flows over each window's priced days (fund TOTAL)",
        """SELECT coin, window_name, etf_net_flow_usd, etf_flow_days, etf_last_flow_date
           FROM views.rally_window_flows WHERE etf_net_flow_usd IS NOT NULL""",
        """WITH w AS (SELECT coin, window_name, min(first_priced_day) AS first_priced_day,
                             max(last_priced_day) AS last_priced_day
                      FROM marts.rally_attribution GROUP BY coin, window_name)
           SELECT w.coin, w.window_name, sum(f.net_flow_usd), count(*), max(f.date)
           FROM w JOIN core.fund_flows_daily AS f
               ON f.asset = w.coin AND f.fund = 'TOTAL' AND f.date >= w.first_priced_day AND f.date <= w.last_priced_day
           GROUP BY w.coin, w.window_name""",
        2, False)],
    "rally_attribution_summary": [(
        "each channel's shares and log return as in marts.rally_attribution; the rally as a simple return",
        """SELECT coin, window_name, subject, channel, share_p05, share_p50, share_p95, log_return_p50,
                  rally_simple_return
           FROM views.rally_attribution_summary""",
        """SELECT coin, window_name, subject, channel, share_p05, share_p50, share_p95, log_return_p50,
                  exp(rally_log_return) - 1
           FROM marts.rally_attribution""",
        4, False)],
    "capex_announced_vs_spent": [(
        "capex filed per company and calendar year: the sum and count of its quarters",
        """SELECT company, year, ticker, filed_capex_usd, quarters_filed
           FROM views.capex_announced_vs_spent WHERE quarters_filed IS NOT NULL""",
        """SELECT company, CAST(year(period_end) AS INTEGER), min(ticker), sum(capex_usd), count(*)
           FROM core.capex_quarterly GROUP BY 1, 2""",
        2, False), (
        "total-capex guidance: the latest figure for the year, how often it was given, against the filed sum",
        """SELECT company, year, total_capex_guidance_usd, guidance_updates, total_capex_guidance_to_filed
           FROM views.capex_announced_vs_spent WHERE guidance_updates IS NOT NULL""",
        """WITH g AS (
               SELECT company, CAST(year(coalesce(horizon_end, announced_on)) AS INTEGER) AS year, amount_usd,
                      announced_on, announcement_id
               FROM core.capex_announcements WHERE scope = 'total_capex' AND duplicate_of IS NULL)
           SELECT company, year, amount_usd,
                  (SELECT count(*) FROM g AS o WHERE o.company = g.company AND o.year = g.year),
                  amount_usd / (SELECT sum(capex_usd) FROM core.capex_quarterly AS q
                                WHERE q.company = g.company AND year(q.period_end) = g.year)
           FROM g
           WHERE NOT EXISTS (SELECT 1 FROM g AS later WHERE later.company = g.company AND later.year = g.year
                             AND (later.announced_on, later.announcement_id) > (g.announced_on, g.announcement_id))""",
        2, False), (
        "AI data-center plans announced per company and year, each plan once",
        """SELECT company, year, announced_ai_datacenter_usd
           FROM views.capex_announced_vs_spent WHERE announced_ai_datacenter_usd IS NOT NULL""",
        """SELECT company, CAST(year(announced_on) AS INTEGER), sum(amount_usd)
           FROM core.capex_announcements
           WHERE scope = 'ai_datacenter' AND duplicate_of IS NULL AND amount_usd IS NOT NULL
           GROUP BY 1, 2""",
        2, False)],
    "leak_verdicts_by_document": [(
        "per cost sheet read: its data lines and its claims by verdict",
        """SELECT path, data_lines, claims, plausible_claims, implausible_claims, unverifiable_claims
           FROM views.leak_verdicts_by_document WHERE status = 'loaded'""",
        """SELECT d.path,
                  (SELECT count(*) FROM core.cost_sheet_lines AS l
                   WHERE l.document_id = d.document_id AND NOT l.is_total_row),
                  count(p.verdict), count(*) FILTER (WHERE p.verdict = 'plausible'),
                  count(*) FILTER (WHERE p.verdict = 'implausible'), count(*) FILTER (WHERE p.verdict = 'unverifiable')
           FROM core.documents AS d LEFT JOIN marts.leak_plausibility AS p ON p.document_id = d.document_id
           WHERE d.kind = 'cost_sheet' AND d.status = 'loaded'
           GROUP BY d.path, d.document_id""",
        1, False)],
    "implausible_claims": [(
        "every implausible claim of marts.leak_plausibility, with its figures, reason, file and printed line",
        """SELECT document_id, table_index, row_index, claim, claimed_value, expected_low, expected_high, reason,
                  document_path, source_text
           FROM views.implausible_claims""",
        """SELECT p.document_id, p.table_index, p.row_index, p.claim, p.claimed_value, p.expected_low,
                  p.expected_high, p.reason, d.path, l.source_text
           FROM marts.leak_plausibility AS p
           LEFT JOIN core.documents AS d ON d.document_id = p.document_id AND d.status <> 'duplicate'
           LEFT JOIN core.cost_sheet_lines AS l
               ON l.document_id = p.document_id AND l.table_index = p.table_index AND l.row_index = p.row_index
           WHERE p.verdict = 'implausible'""",
        4, False), (
        "off_by_factor of a claim above its allowed range: claimed / expected_high",
        """SELECT document_id, table_index, row_index, claim, off_by_factor FROM views.implausible_claims
           WHERE off_by_factor IS NOT NULL AND claimed_value > expected_high""",
        """SELECT document_id, table_index, row_index, claim, claimed_value / expected_high
           FROM marts.leak_plausibility
           WHERE verdict = 'implausible' AND expected_high > 0 AND claimed_value > expected_high""",
        4, False)],
    "documents_overview": [(
        "per file read: cost-sheet lines, implausible claims and capex announcements it contributed",
        """SELECT path, cost_sheet_lines, implausible_claims, capex_announcements
           FROM views.documents_overview WHERE status = 'loaded' AND kind IN ('cost_sheet', 'capex')""",
        """SELECT d.path,
                  CASE WHEN d.kind = 'cost_sheet' THEN
                      (SELECT count(*) FROM core.cost_sheet_lines AS l WHERE l.document_id = d.document_id) END,
                  CASE WHEN d.kind = 'cost_sheet' THEN
                      (SELECT count(*) FROM marts.leak_plausibility AS p
                       WHERE p.document_id = d.document_id AND p.verdict = 'implausible') END,
                  CASE WHEN d.kind = 'capex' THEN
                      (SELECT count(*) FROM core.capex_announcements AS a WHERE a.document_id = d.document_id) END
           FROM core.documents AS d WHERE d.status = 'loaded' AND d.kind IN ('cost_sheet', 'capex')""",
        1, False), (
        "every quarantine record is counted under exactly one file",
        "SELECT sum(quarantine_records) FROM views.documents_overview",
        "SELECT count(*) FROM core.quarantine",
        0, False)],
    "quarantine_summary": [(
        "records and distinct reasons per file, target table and stage, as counted in core.quarantine",
        """SELECT path, source_table, stage, records, distinct_reasons FROM views.quarantine_summary""",
        """SELECT d.path, q.source_table, q.stage, count(*), count(DISTINCT q.reason)
           FROM core.quarantine AS q
           LEFT JOIN core.documents AS d ON d.document_id = q.document_id AND d.status <> 'duplicate'
           GROUP BY 1, 2, 3""",
        3, False)],
    "data_freshness": [(
        "first and last date, rows and missing days per coin or asset and for the whole table",
        """SELECT table_name, subject, first_date, last_date, rows, missing_days FROM views.data_freshness
           WHERE table_name IN ('core.network_daily', 'core.prices_daily', 'marts.mining_contribution_daily')""",
        """WITH d AS (
               SELECT 'core.network_daily' AS t, coin AS s, date FROM core.network_daily
               UNION ALL SELECT 'core.prices_daily', asset, date FROM core.prices_daily
               UNION ALL SELECT 'marts.mining_contribution_daily', coin, date FROM marts.mining_contribution_daily),
           per AS (SELECT t, s, date FROM d UNION ALL SELECT t, NULL, date FROM d)
           SELECT t, s, min(date), max(date), count(*),
                  (SELECT count(*) FROM range(min(date), max(date) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS r(day)
                   WHERE CAST(r.day AS DATE) NOT IN (SELECT date FROM per AS o WHERE o.t = per.t
                                                     AND o.s IS NOT DISTINCT FROM per.s))
           FROM per GROUP BY t, s""",
        2, False)],
}


def _same(got, want) -> bool:
    if isinstance(got, float) or isinstance(want, float):
        return got is not None and want is not None and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
    return got == want


def _assert_pinned(con, what, view_sql, expected_sql, keys, covered_only):
    view_rows = con.execute(view_sql).fetchall()
    expected = con.execute(expected_sql).fetchall()
    assert expected, f"{what}: the expected side is empty, so the pin compares nothing"
    width = len(expected[0])
    assert view_rows and len(view_rows[0]) == width, what
    for column in range(keys, width):     # a column NULL on both sides everywhere would pin nothing
        assert any(row[column] is not None for row in expected), f"{what}: expected column {column} is all NULL"
    want = {row[:keys]: row[keys:] for row in expected}
    got = {row[:keys]: row[keys:] for row in view_rows}
    assert len(want) == len(expected) and len(got) == len(view_rows), f"{what}: keys are not unique"
    if covered_only:
        assert want.keys() <= got.keys(), f"{what}: fully covered rows missing from the view"
        got = {key: got[key] for key in want}
    assert got.keys() == want.keys(), f"{what}: different rows"
    wrong = {key: (got[key], want[key]) for key in want
             if not all(_same(g, w) for g, w in zip(got[key], want[key], strict=True))}
    assert not wrong, f"{what}: view != tables for {len(wrong)} of {len(want)} rows, e.g. {next(iter(wrong.items()))}"
    return len(want)


@pytest.mark.parametrize("view", sorted(PINS))
def test_view_values_equal_the_same_figures_computed_from_the_tables(con, view):
    for pin in PINS[view]:
        _assert_pinned(con, *pin)


def test_every_key_view_has_pinned_values():
    assert set(PINS) == KEY_VIEWS
    for view, pins in PINS.items():
        assert all(f"views.{view}" in view_sql for _, view_sql, *_ in pins), view


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
    assert relations == [], "add COMMENT ON TABLE/VIEW to pipelines/sql/core/comments.sql or the view's file"
    columns = con.execute(
        "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE schema_name = ANY(?) AND coalesce(trim(comment), '') = '' ORDER BY 1",
        [list(DOCUMENTED_SCHEMAS)]).fetchall()
    assert columns == [], "add COMMENT ON COLUMN to pipelines/sql/core/comments.sql or the view's file"
    for schema in ("core", "marts", "views"):
        count = con.execute("SELECT count(*) FROM duckdb_columns() WHERE schema_name = ?", [schema]).fetchone()[0]
        assert count > 0, schema


def test_docs_schema_md_is_generated_from_the_warehouse(con):
    generated = schema_markdown(con)
    assert generated == DOCS.read_text(encoding="utf-8"), (
        "docs/schema.md is out of date: python -m pipelines.lib.warehouse.schema_docs <published warehouse> docs/schema.md")
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
    """`python -m pipelines.lib.warehouse.schema_docs <warehouse> <out>` (its own process: DuckDB shares one
    database instance per file within a process, and the module's analyst connection locked its config)."""
    out = tmp_path / "schema.md"
    done = subprocess.run([sys.executable, "-m", "pipelines.lib.warehouse.schema_docs", str(sample.warehouse), str(out)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == DOCS.read_text(encoding="utf-8")
    from pipelines.lib.warehouse.schema_docs import main

    assert main([]) == 2


def test_docs_path_is_in_the_repository():
    assert DOCS.is_file() and DOCS.relative_to(PROJECT_ROOT) == Path("docs/schema.md")


def test_the_run_summary_prints_the_detectability_verdict_per_coin_and_window(con):
    """`make run` prints one line per proof-of-work coin and rally window with the verdict of
    marts.fleet_detectability and its numbers (pipelines/sql/run/fleet_detectability_headline.sql)."""
    from pipelines.lib.report.text import number
    from pipelines.run import detectability_summary

    lines = detectability_summary(con)
    rows = con.execute("SELECT coin, subject_id, verdict, implied_step_log_p05, implied_step_log_p95, "
                       "min_detectable_step_log, observed_step_log FROM marts.fleet_detectability "
                       "WHERE subject = 'rally_window' ORDER BY coin, period_start").fetchall()
    assert len(lines) == len(rows) + 1 and {r[0] for r in rows} >= {"ETC", "XMR"}
    for line, (coin, window, verdict, p05, p95, mdet, obs) in zip(lines[1:], rows):
        assert line == (f"  {coin} {window}: {verdict} (implied {number(p05)}..{number(p95)}, "
                        f"detectable {number(mdet)}, observed {number(obs)})")
    assert any(line.startswith("  ETC ") and "visible_and_absent" in line for line in lines)
