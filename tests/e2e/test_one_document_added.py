"""One cost sheet added to a built warehouse: the run after it re-reads only the cost sheets (as `make run`
does when only they changed) and recomputes only what the new document changes (the per-document marts
assess one document, the marts that do not read cost sheets are kept), and the warehouse it leaves is the
one a fresh build on the same folder gives."""
import shutil

import duckdb
import pytest

pytestmark = pytest.mark.e2e

# Columns that say when a row was written, not what it says: a fresh build writes them later.
WHEN = {"loaded_at", "quarantined_at", "first_seen_at", "last_seen_at", "validated_on", "extracted_at", "scanned_at",
        "checked_at", "built_at", "updated_at"}


def content(warehouse) -> dict:
    """Every row of every core/marts table, without the columns that record when it was written."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                             "WHERE schema_name IN ('core', 'marts') ORDER BY 1, 2").fetchall()
        out = {}
        for schema, table in tables:
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                "AND data_type NOT LIKE 'TIMESTAMP%' ORDER BY column_index", [schema, table]).fetchall()
                    if c not in WHEN]
            rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{schema}"."{table}"'
                               ).fetchall()
            out[f"{schema}.{table}"] = sorted(map(repr, rows))
        return out


def kept_parts(warehouse) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("SELECT mart, count(*) FILTER (WHERE part <> '') FROM meta.mart_inputs GROUP BY 1"
                                ).fetchall())


def test_one_added_document_gives_the_fresh_build_and_recomputes_only_it(tmp_path_factory, extract_cache):
    from conftest import PipelineRun, run_bundled

    run = run_bundled(tmp_path_factory, extract_cache, "one_document")
    before = kept_parts(run.warehouse)
    source = run.raw / "cost_sheets" / "en_idle_mining_h2_2023.pdf"
    (run.raw / "cost_sheets" / "en_idle_mining_h2_2023_added.pdf").write_bytes(
        source.read_bytes() + b"\n% one more document\n")
    # as `make run` after its digest found only this file changed: only the cost sheets are re-read
    import dagster as dg

    from pipelines.definitions import build_definitions
    from pipelines.run import _what_to_reread, materialize_everything

    ingest, held = _what_to_reread((["cost_sheets/en_idle_mining_h2_2023_added.pdf"],
                                    {"span": ["2022-07-01", "2024-12-31"]}))
    span, compute, _ = materialize_everything(build_definitions(run.env), dg.DagsterInstance.ephemeral(),
                                              ingest=ingest, held=held)
    assert span == held and "core/cost_sheet_lines" in compute and "core/documents" in compute
    assert not {"core/price_observations", "core/network_observations", "core/capex_quarterly",
                "core/fx_daily", "core/hardware_specs"} & set(compute)   # not re-read: unchanged kinds
    after = kept_parts(run.warehouse)
    # one more document digest per per-document mart; the marts that do not read cost sheets kept as they were
    assert after["marts.leak_plausibility"] == before["marts.leak_plausibility"] + 1
    assert after["marts.fleet_detectability"] == before["marts.fleet_detectability"] + 1
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        added = con.execute("SELECT document_id FROM core.document_inventory WHERE path LIKE '%_added.pdf'").fetchone()[0]
        assert con.execute("SELECT count(*) FROM marts.leak_plausibility WHERE document_id = ?", [added]).fetchone()[0] > 0

    fresh_root = tmp_path_factory.mktemp("one_document_fresh")
    shutil.copytree(run.raw, fresh_root / "raw")
    fresh = PipelineRun(fresh_root / "raw", fresh_root, extract_cache)
    fresh.run()
    incremental, rebuilt = content(run.warehouse), content(fresh.warehouse)
    assert incremental.keys() == rebuilt.keys()
    differing = [t for t in rebuilt if incremental[t] != rebuilt[t]]
    assert differing == []
