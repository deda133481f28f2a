"""great-expectations suites as Dagster asset checks: every expectation catches an injected bad row
and lets the good rows through; a run with bad rows succeeds, quarantines exactly those rows and
loses none; a table-level failure blocks what reads the table."""
import datetime as dt
import json
import re
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipelines.defs.capex.checks import CAPEX_ANNOUNCEMENTS, CAPEX_QUARTERLY
from pipelines.defs.chain.checks import CONSENSUS_PERIODS, NETWORK_DAILY, NETWORK_OBSERVATIONS
from pipelines.defs.costsheets.checks import COST_SHEET_LINES
from pipelines.defs.ingest.checks import DOCUMENTS
from pipelines.defs.loading import utc_now
from pipelines.defs.market.checks import PRICE_OBSERVATIONS, PRICES_DAILY
from pipelines.defs.reference.checks import EVENTS, FUND_FLOWS_DAILY, FX_DAILY, HARDWARE_SPECS
from pipelines.lib.validation import expectations as v
from pipelines.lib.validation import quarantine
from pipelines.lib.validation import runner

SUITES = [DOCUMENTS, PRICE_OBSERVATIONS, PRICES_DAILY, NETWORK_OBSERVATIONS, NETWORK_DAILY, CONSENSUS_PERIODS,
          HARDWARE_SPECS, FX_DAILY, FUND_FLOWS_DAILY, EVENTS, COST_SHEET_LINES, CAPEX_ANNOUNCEMENTS,
          CAPEX_QUARTERLY]
# The day the checks run, on the pipeline's own clock: the bundled run stamps first_seen_at with it.
TODAY = utc_now().date()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, extract_cache):
    """The warehouse built from the bundled raw/ folder, once for this module."""
    from conftest import run_bundled

    return run_bundled(tmp_path_factory, extract_cache, "validation")


def _frame(run, spec: v.Suite) -> pd.DataFrame:
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        return runner._prepare(con.execute(f"SELECT NULL::BIGINT AS {v.ROWID}, * FROM {spec.table}").df())


def test_every_table_has_a_suite_and_no_check_imports_great_expectations_at_load():
    from pipelines.definitions import defs
    from pipelines.defs.warehouse.assets import CORE_TABLES

    checks = {k.asset_key.path[1] for k in defs.resolve_asset_graph().asset_check_keys if k.name == "expectations"}
    # a daily table's monthly history asset runs the table's suite too
    history = {f"{t}_history" for t in ("prices_daily", "network_daily")}
    assert checks - history == set(CORE_TABLES) == {s.table.split(".")[1] for s in SUITES}
    assert history <= checks
    blocking = {s.table for s in SUITES} - {"core.documents"}
    for key in defs.resolve_asset_graph().asset_check_keys:
        spec = defs.resolve_asset_graph().get_check_spec(key)
        if key.asset_key.path[0] == "marts":   # the model marts' invariants (pipelines/defs/models/checks.py)
            assert spec.blocking and key.name != "expectations", key
            continue
        table = key.asset_key.path[1].removesuffix("_history")
        assert spec.blocking == (f"core.{table}" in blocking), key


def test_loading_the_code_location_does_not_import_great_expectations():
    import subprocess

    code = "import sys, pipelines.definitions; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("spec", SUITES, ids=lambda s: s.table)
def test_the_bundled_tables_pass_every_row_expectation(bundled, spec):
    frame = _frame(bundled, spec)
    outcome = runner.run_suite(frame, spec, TODAY, with_rows_expected=True)
    failing = {o.name: o.failing_index[:5] for o in outcome.outcomes if o.level == "row" and not o.success}
    assert failing == {}
    assert not [o for o in outcome.table_failures if o.severity == "error"]


# Injecting one bad row per expectation ----------------------------------------------------------

def _condition_rows(frame: pd.DataFrame, kwargs: dict) -> tuple[pd.DataFrame, dict]:
    """Rows the expectation applies to, and the values that make a copied row match its condition."""
    cond = kwargs.get("row_condition")
    if not cond:
        return frame, {}
    m = re.fullmatch(r"(\w+) == ['\"](.+)['\"]", cond)
    if m:
        return frame[frame[m[1]] == m[2]], {m[1]: m[2]}
    m = re.fullmatch(r"(\w+) in \[(.+)\]", cond)
    if m:
        first = re.findall(r"['\"]([^'\"]+)['\"]", m[2])[0]
        return frame.query(cond), {m[1]: first}
    m = re.fullmatch(r"(\w+) not in \[(.+)\]", cond)
    if m:
        return frame.query(cond), {m[1]: "some_other_algorithm"}
    raise AssertionError(f"unknown condition {cond}")


def _past(value, bound):
    """A value beyond `bound` (a number or an ISO timestamp), on the side given by the sign."""
    if isinstance(bound, str):
        return pd.Timestamp(bound[:10]) + pd.Timedelta(days=400) * np.sign(value)
    return bound + (abs(bound) + 1) * 10 * np.sign(value)


def _bad_value(e: v.Expect, row: pd.Series, today: dt.date):
    """{column: value} that breaks `e` on `row`."""
    kw = {k: runner._resolve(x, today) for k, x in e.kwargs}
    if e.gx == "ExpectColumnValuesToNotBeNull":
        return {kw["column"]: None}
    if e.gx == "ExpectColumnValuesToBeInSet":
        return {kw["column"]: "NOT-AN-ALLOWED-VALUE"}
    if e.gx == "ExpectColumnValuesToMatchRegex":
        return {kw["column"]: "   "}
    if e.gx == "ExpectColumnValuesToBeBetween":
        if kw.get("max_value") is not None:
            return {kw["column"]: _past(1, kw["max_value"])}
        low = kw["min_value"]
        return {kw["column"]: low if kw.get("strict_min") else _past(-1, low)}
    if e.gx == "ExpectColumnPairValuesAToBeGreaterThanB":
        a, b = kw["column_A"], kw["column_B"]
        lower = row[b] - (pd.Timedelta(days=30) if isinstance(row[b], pd.Timestamp) else abs(row[b]) / 2 + 1)
        return {a: lower}
    raise AssertionError(e.gx)


def _inject(frame: pd.DataFrame, spec: v.Suite) -> tuple[pd.DataFrame, dict[str, set[int]]]:
    """Append one bad row per row expectation; returns the frame and, per expectation, the rows it
    may flag (the injected one, plus the copied original for uniqueness)."""
    rows, allowed = [], {}
    for e in spec.expectations:
        if e.level != "row":
            continue
        kwargs = dict(e.kwargs)
        candidates, forced = _condition_rows(frame, kwargs)
        if e.gx == "ExpectColumnPairValuesAToBeGreaterThanB":
            candidates = candidates[candidates[kwargs["column_B"]].notna()]
        if candidates.empty:
            candidates = frame
        source = candidates.index[0]
        row = frame.loc[source].copy()
        for col, value in forced.items():
            row[col] = value
        if e.gx in ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique"):
            allowed[e.name] = {len(frame) + len(rows), source}
        else:
            for col, value in _bad_value(e, row, TODAY).items():
                row[col] = value
            allowed[e.name] = {len(frame) + len(rows)}
        rows.append(row)
    # every injected row copies a good one, so a key expectation may flag any copied original too
    sources = {int(r.name) for r in rows}
    for e in spec.expectations:
        if e.gx in ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique"):
            allowed[e.name] |= sources
    bad = pd.DataFrame(rows)
    combined = pd.concat([frame, bad], ignore_index=True)
    for col in frame.columns:   # keep the table's dtypes where the bad values allow it
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            combined[col] = pd.to_datetime(combined[col])
    return combined, allowed


@pytest.mark.parametrize("spec", SUITES, ids=lambda s: s.table)
def test_each_expectation_catches_its_injected_row_and_only_bad_rows(bundled, spec):
    frame = _frame(bundled, spec)
    assert len(frame) > 0
    combined, allowed = _inject(frame, spec)
    outcome = runner.run_suite(combined, spec, TODAY, with_rows_expected=True)
    injected = set(range(len(frame), len(combined)))
    by_name = {o.name: o for o in outcome.outcomes}
    for name, rows in allowed.items():
        flagged = set(by_name[name].failing_index)
        target = max(r for r in rows if r >= len(frame))
        assert target in flagged, f"{name} missed its bad row {combined.iloc[target].to_dict()}"
        # good rows are never flagged (a duplicated key flags the original too: neither is trusted)
        assert flagged - injected <= rows, name
    spec_rows = [e for e in spec.expectations if e.level == "row"]
    assert len(allowed) == len(spec_rows)


def test_table_expectations_empty_table_errors_and_stale_data_warns():
    frame = pd.DataFrame({"asset": pd.Series([], dtype=object), "date": pd.Series([], dtype="datetime64[us]")})
    spec = v.suite("core.prices_daily", ["asset", "date"], v.has_rows(), v.fresh("date", 3))
    outcome = runner.run_suite(frame, spec, TODAY, with_rows_expected=True)
    assert [(o.name, o.severity) for o in outcome.table_failures] == [
        ("expect_table_row_count_to_be_between", "error"), ("expect_column_max_to_be_between:date:freshness", "warn")]
    # No inputs of the kind: an empty table is fine.
    assert not runner.run_suite(frame, spec, TODAY, with_rows_expected=False).table_failures[:-1]
    fresh = pd.DataFrame({"asset": ["BTC"], "date": pd.to_datetime([TODAY - dt.timedelta(days=1)])})
    assert runner.run_suite(fresh, spec, TODAY, with_rows_expected=True).table_failures == []


def test_a_failing_expectation_cannot_hide_a_broken_expectation():
    spec = v.suite("core.x", ["a"], v.between("a", 0, 1, "bad"))
    with pytest.raises(RuntimeError, match="could not run"):
        runner.run_suite(pd.DataFrame({"a": ["text", 1]}), spec, TODAY, with_rows_expected=False)


def test_quarantine_records_name_the_row_and_the_expectation():
    frame = pd.DataFrame({v.ROWID: [10, 11], "asset": ["BTC", "BTC"], "date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
                          "close_usd": [42000.0, -1.0], "document_id": ["d", "d"]})
    spec = v.suite("core.prices_daily", ["asset", "date"], v.positive("close_usd"))
    outcome = runner.run_suite(frame, spec, TODAY, with_rows_expected=False)
    q = quarantine.quarantine_frame(frame, spec, outcome)
    assert q[["locator", "check_name", "row_id", "document_id"]].to_dict("records") == [{
        "locator": "asset=BTC date=2024-01-02", "check_name": "expect_column_values_to_be_between:close_usd",
        "row_id": 11, "document_id": "d"}]
    assert json.loads(q["raw_record"][0]) == {"asset": "BTC", "date": "2024-01-02T00:00:00", "close_usd": -1.0,
                                              "document_id": "d"}
    assert "close_usd must be greater than 0" in q["reason"][0]


# The checks inside real runs -------------------------------------------------------------------

def _write_bad_inputs(raw):
    (raw / "hardware" / "hw_bad.csv").write_text(
        "device,device_class,algorithm,hashrate_hs,power_w,source\n"
        "Fake Miner X,asic,sha256d,5000000000000000000,3000,injected: 5 EH/s per device\n"
        "Fake Miner Y,asic,sha256d,100000000000000,50000,injected: 50 kW per device\n")
    (raw / "fx" / "fx_bad.csv").write_text("date,usd_per_eur,source\n2019-01-02,50000,injected\n")
    (raw / "flows" / "btc_flows_bad.csv").write_text("Date,IBIT,Total\n02 Jan 2019,5000000000,5000000000\n")
    (raw / "capex" / "capex_bad.csv").write_text(
        "company,ticker,period_end,fiscal_label,capex_usd,source\n"
        "Microsoft,MSFT,2021-12-31,FY2022 Q2,5000000000000,injected: thousands read as USD\n")
    (raw / "cost_sheets" / "bad_lines.csv").write_text(
        "Company;Site;Period;GPU;Count;Utilization;Idle hours;Power (kW);PUE;Electricity (EUR/kWh);Coin\n"
        "Amazon;Dublin;2024-01-01 - 2024-03-31;A100 80GB;100;250 %;900;40;1.2;0.20;ETC\n"
        "Amazon;Dublin;2024-01-01 - 2024-03-31;A100 80GB;100;50 %;900;40;1.2;0.20;ETC\n", encoding="utf-8")


EXPECTED_QUARANTINE = {
    ("hardware_specs", "expect_column_values_to_be_between:hashrate_hs:sha256d"),
    ("hardware_specs", "expect_column_values_to_be_between:power_w"),
    ("fx_daily", "expect_column_values_to_be_between:usd_per_unit"),
    ("fund_flows_daily", "expect_column_values_to_be_between:net_flow_usd"),
    ("capex_quarterly", "expect_column_values_to_be_between:capex_usd"),
    ("cost_sheet_lines", "expect_column_values_to_be_between:utilization_share"),
}


@pytest.mark.e2e
def test_a_run_with_bad_rows_succeeds_quarantines_exactly_them_and_loses_none(bundled, tmp_path_factory,
                                                                           extract_cache):
    """Bad files arriving in a built warehouse's raw folder (a fresh build with bad files is
    tests/e2e/test_pipeline_e2e.py's)."""
    from conftest import run_bundled

    run = run_bundled(tmp_path_factory, extract_cache, "bad_rows")
    _write_bad_inputs(run.raw)
    run.run()   # raises if the run failed
    got = run.query("SELECT source_table, check_name, locator, raw_record FROM core.quarantine "
                    "WHERE stage = 'validation'")
    assert {(t, c) for t, c, _, _ in got} == EXPECTED_QUARANTINE
    # one record per bad row: Fake Miner X, Fake Miner Y, the rate, IBIT and TOTAL flows, the quarter, the line
    assert sorted(loc for t, _, loc, _ in got if t == "fund_flows_daily") == [
        "date=2019-01-02 asset=BTC fund=IBIT", "date=2019-01-02 asset=BTC fund=TOTAL"]
    assert len(got) == len(EXPECTED_QUARANTINE) + 1
    records = {c: json.loads(r) for t, c, _, r in got if t != "fund_flows_daily"}
    assert records["expect_column_values_to_be_between:hashrate_hs:sha256d"]["device"] == "Fake Miner X"
    assert records["expect_column_values_to_be_between:utilization_share"]["utilization_share"] == 2.5
    # Loses none: every table holds the bundled rows plus the good injected ones, never the bad ones.
    for table, extra in [("hardware_specs", 0), ("fx_daily", 0), ("fund_flows_daily", 0), ("capex_quarterly", 0),
                         ("cost_sheet_lines", 1)]:
        assert run.query(f"SELECT count(*) FROM core.{table}")[0][0] == \
            bundled.query(f"SELECT count(*) FROM core.{table}")[0][0] + extra, table
    assert run.query("SELECT count(*) FROM core.hardware_specs WHERE device LIKE 'Fake%'")[0][0] == 0
    # The marts and the published warehouse were built on the clean rows.
    assert run.query("SELECT count(*) FROM marts.leak_plausibility")[0][0] > 0
    # Re-running on unchanged inputs changes nothing: the same rows quarantined, same timestamps.
    before = run.snapshot()
    run.run()
    assert run.snapshot() == before
    # Fixing the input releases the row: the entry goes and the row is back.
    (run.raw / "fx" / "fx_bad.csv").write_text("date,usd_per_eur,source\n2019-01-02,1.1,fixed\n")
    run.run()
    assert run.query("SELECT count(*) FROM core.quarantine WHERE source_table = 'fx_daily' "
                     "AND stage = 'validation'")[0][0] == 0
    assert run.query("SELECT usd_per_unit FROM core.fx_daily WHERE date = '2019-01-02'")[0][0] == 1.1


@pytest.mark.e2e
def test_an_empty_table_whose_inputs_loaded_blocks_the_models_and_the_publish(bundled_raw, pipeline):
    for path in (bundled_raw / "events").iterdir():
        path.unlink()
    (bundled_raw / "events" / "events.csv").write_text("date,asset,kind,title\n")   # loads, holds no row
    run = pipeline(bundled_raw)
    with pytest.raises(RuntimeError, match="core__events_expectations"):
        run.run()
    assert not run.warehouse.exists()   # nothing was published on a table-level error
    with duckdb.connect(str(run.warehouse.with_name(f".{run.warehouse.name}.work")), read_only=True) as con:
        assert con.execute("SELECT severity, success, why FROM core.validation_results "
                           "WHERE source_table = 'events' AND level = 'table'").fetchall() == [
            ("error", False, "the inputs were loaded but the table is empty")]


def test_data_docs_are_rendered_under_the_reports_folder(bundled):
    index = bundled.warehouse.parent.parent / "reports" / "data_docs" / "index.html"
    assert index.exists()
    html = index.read_text()
    for spec in SUITES:
        assert spec.name in html, spec.name
    pages = list(index.parent.rglob("validations/**/*.html"))
    assert len(pages) == len(SUITES)


def test_an_empty_table_without_inputs_passes():
    from pipelines.lib.warehouse.sql import run_file

    with duckdb.connect() as con:
        run_file(con, "core/schema.sql")
        frame = con.execute(f"SELECT rowid AS {v.ROWID}, * FROM core.capex_quarterly").df()
    outcome = runner.run_suite(frame, CAPEX_QUARTERLY, TODAY, with_rows_expected=False)
    assert quarantine.quarantine_frame(frame, CAPEX_QUARTERLY, outcome).empty
    assert quarantine.locators(frame, CAPEX_QUARTERLY.locator).empty
