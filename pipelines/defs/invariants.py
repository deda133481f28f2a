"""Blocking asset checks from SQL invariants: each names a query that returns one row (message, locator) per
row of a mart that breaks it; none means the invariant holds. A broken invariant is a bug in the code that
wrote the mart, so the check blocks what reads it (the published warehouse keeps its previous state)."""
import time

import dagster as dg

from pipelines.lib.warehouse.sql import load_sql
from pipelines.resources import WarehouseResource


def invariant_check(name: str, sql: str, mart: str, what: str) -> dg.AssetChecksDefinition:
    """A blocking check `name` on marts/<mart>: the query `sql` (a file under pipelines/sql/) finds no row."""
    @dg.asset_check(asset=dg.AssetKey(["marts", mart]), name=name, blocking=True, description=what)
    def _run(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        started = time.perf_counter()
        with warehouse.handle().connect() as con:
            bad = con.execute(load_sql(sql)).fetchall()
        return dg.AssetCheckResult(
            passed=not bad, description=what if not bad else f"{len(bad)} row(s) break: {what}",
            metadata={"failing": dg.MetadataValue.md("\n".join(f"- {m}: {loc}" for m, loc in bad[:20]) or "none"),
                      "compute_seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 3))})
    return _run


def invariant_checks(checks: dict[str, tuple[str, str, str]]) -> list[dg.AssetChecksDefinition]:
    """One blocking check per entry: name -> (SQL file, mart, what it asserts)."""
    return [invariant_check(name, *spec) for name, spec in checks.items()]
