"""Invariants of the chain-evidence marts, as blocking asset checks: dates within the chain's data, the
direction agreeing with the step, quantiles ordered, verdicts in their set and supported by their numbers."""
import time

import dagster as dg

from pipelines.lib.warehouse.sql import load_sql
from pipelines.resources import WarehouseResource

CHECKS = {
    "breaks_consistent": ("marts/detection_check_breaks.sql", "hashrate_breaks",
                          "every break lies within its coin's network data, its direction agrees with the sign of "
                          "its step, its levels are positive"),
    "detectability_consistent": ("marts/detection_check_detectability.sql", "fleet_detectability",
                                 "p05 <= p50 <= p95, periods in order and in range, verdicts in their set and "
                                 "supported by the steps, every row has a reason"),
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


detection_checks = [_check(name, *spec) for name, spec in CHECKS.items()]
