"""Invariants of the causality and rental marts, as blocking asset checks: a row that breaks one is a bug."""
import time

import dagster as dg

from pipelines.lib.warehouse.sql import load_sql
from pipelines.resources import WarehouseResource

CHECKS = {
    "causality_valid": ("marts/causality_check.sql", "hashrate_price_causality",
                        "dates in range and in order, p-values in 0..1, direction and frequency in their sets, lags >= 1 "
                        "where tested, a reason exactly where the test is NULL"),
    "rental_valid": ("marts/rental_check.sql", "mining_vs_rental_daily",
                     "dates in range, rental prices positive and ordered low <= central <= high, ratio = mining / "
                     "rental and ordered, a reason exactly where the ratio is NULL"),
}


def _check(name: str, sql: str, mart: str, what: str) -> dg.AssetChecksDefinition:
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


causality_checks = [_check(name, *spec) for name, spec in CHECKS.items()]
