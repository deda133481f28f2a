"""Marts and tables that skip work keyed on the content of what shapes them (pipelines/lib/warehouse/incremental.py),
on a copy of the bundled build: unchanged inputs keep them, a changed input is never skipped, and what a
partial recompute leaves equals a full rebuild."""
import dagster as dg
import duckdb
import pytest

from pipelines.defs.causality.assets import hashrate_price_causality, mining_vs_rental_daily
from pipelines.defs.detection.assets import fleet_detectability
from pipelines.defs.verification.assets import leak_plausibility


@pytest.fixture(scope="module")
def run(tmp_path_factory, extract_cache):
    from conftest import run_bundled

    return run_bundled(tmp_path_factory, extract_cache, "incremental_marts")


def materialize(run, asset) -> dict:
    """The asset's materialisation metadata (values), after running it alone on the run's working file."""
    from pipelines.resources import build_resources

    result = dg.materialize([asset], resources=build_resources(run.env), instance=dg.DagsterInstance.ephemeral())
    assert result.success
    (event,) = result.get_asset_materialization_events()
    return {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}


def working(run):
    return duckdb.connect(str(run.warehouse.with_name(f".{run.warehouse.name}.work")))


def rows(run, table: str) -> list:
    with working(run) as con:
        return sorted(map(repr, con.execute(f"SELECT * FROM {table}").fetchall()))


def rebuilt_from_scratch(run, asset, mart: str) -> list:
    """The mart as a full rebuild writes it (its stored digests forgotten first)."""
    with working(run) as con:
        con.execute("DELETE FROM meta.mart_inputs WHERE mart = ?", [mart])
    materialize(run, asset)
    return rows(run, mart)


def kept_then_rebuilt(run, asset, mart: str, change: str) -> tuple[dict, list]:
    """Run `asset` twice (the second keeps the mart), apply the SQL `change` to what it reads, run it again:
    it rebuilds, the rows move, and they are what a full rebuild writes. (The first run's metadata, the
    rebuilt rows.)"""
    first = materialize(run, asset)
    assert materialize(run, asset)["rebuilt"] is False
    kept = rows(run, mart)
    with working(run) as con:
        con.execute(change)
    assert materialize(run, asset)["rebuilt"] is True
    changed = rows(run, mart)
    assert changed != kept
    assert rebuilt_from_scratch(run, asset, mart) == changed
    return first, changed


def test_causality_is_kept_on_unchanged_series_and_rebuilt_when_one_changes(run):
    # the p-values move with the series
    first, changed = kept_then_rebuilt(
        run, hashrate_price_causality, "marts.hashrate_price_causality",
        "UPDATE core.network_daily SET hashrate_hs = hashrate_hs * 1.5 "
        "WHERE coin = 'ETC' AND date BETWEEN DATE '2024-01-01' AND DATE '2024-03-31'")
    assert first["dagster/row_count"] == len(changed)


def test_mining_vs_rental_is_kept_on_unchanged_revenue_and_rebuilt_when_it_changes(run):
    kept_then_rebuilt(run, mining_vs_rental_daily, "marts.mining_vs_rental_daily",
                      "UPDATE marts.mining_profitability_daily SET revenue_usd_per_day = revenue_usd_per_day * 2 "
                      "WHERE price_basis = 'reference' AND coin = 'ETC'")


def _one_line(run):
    with working(run) as con:
        return con.execute("SELECT document_id, table_index, row_index FROM core.cost_sheet_lines "
                           "WHERE coin IS NOT NULL AND claimed_hashrate_hs IS NOT NULL AND NOT is_total_row "
                           "ORDER BY ALL LIMIT 1").fetchone()


def test_plausibility_reassesses_only_the_document_whose_lines_changed(run):
    materialize(run, leak_plausibility)
    with working(run) as con:
        documents = con.execute("SELECT count(DISTINCT document_id) FROM marts.leak_plausibility").fetchone()[0]
    assert documents > 3
    nothing = materialize(run, leak_plausibility)
    assert (nothing["documents_assessed"], nothing["documents_kept"]) == (0, documents)
    doc, table, row = _one_line(run)
    with working(run) as con:
        line = ("SELECT claim, claimed_value, expected_low, expected_high, verdict FROM marts.leak_plausibility "
                "WHERE document_id = ? AND table_index = ? AND row_index = ? ORDER BY claim")
        before = con.execute(line, [doc, table, row]).fetchall()
        con.execute("UPDATE core.cost_sheet_lines SET claimed_hashrate_hs = claimed_hashrate_hs * 7 "
                    "WHERE document_id = ? AND table_index = ? AND row_index = ?", [doc, table, row])
    one = materialize(run, leak_plausibility)
    assert (one["documents_assessed"], one["documents_kept"]) == (1, documents - 1)
    partial = rows(run, "marts.leak_plausibility")
    with working(run) as con:
        after = con.execute(line, [doc, table, row]).fetchall()
    assert after != before    # the changed line was re-assessed, not kept
    assert rebuilt_from_scratch(run, leak_plausibility, "marts.leak_plausibility") == partial
    # a shared input (a device's published figures) changes every document's inputs: all re-assessed
    with working(run) as con:
        con.execute("UPDATE core.hardware_specs SET power_w = power_w * 2")
    assert materialize(run, leak_plausibility)["documents_assessed"] == documents


def test_detectability_recomputes_only_the_sheet_whose_lines_changed(run):
    materialize(run, fleet_detectability)
    nothing = materialize(run, fleet_detectability)
    assert nothing["sheets_computed"] == 0 and nothing["sheets_kept"] > 1
    doc, table, row = _one_line(run)
    with working(run) as con:
        con.execute("UPDATE core.cost_sheet_lines SET claimed_hashrate_hs = claimed_hashrate_hs * 1000 "
                    "WHERE document_id = ? AND table_index = ? AND row_index = ?", [doc, table, row])
    before = rows(run, "marts.fleet_detectability")
    one = materialize(run, fleet_detectability)
    assert (one["sheets_computed"], one["sheets_kept"]) == (1, nothing["sheets_kept"] - 1)
    partial = rows(run, "marts.fleet_detectability")
    assert partial != before
    assert rebuilt_from_scratch(run, fleet_detectability, "marts.fleet_detectability") == partial
    # the chain (shared by every sheet) changes: every sheet recomputed
    with working(run) as con:
        con.execute("UPDATE core.network_daily SET hashrate_hs = hashrate_hs * 1.01 WHERE coin = 'ETC'")
    assert materialize(run, fleet_detectability)["sheets_computed"] == nothing["sheets_kept"]
