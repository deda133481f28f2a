"""Invariants of the model marts, as blocking asset checks: a model that breaks one is a bug, and the
published warehouse keeps its previous marts until it is fixed."""
import time

import dagster as dg

from pipelines.lib.warehouse.sql import load_sql
from pipelines.resources import WarehouseResource

CHECKS = {
    "quantiles_ordered": ("marts/models_check_quantiles.sql", "ai_fleet_daily",
                          "every p05 <= p50 <= p95, idle <= installed, network shares within 0..1"),
    "physics": ("marts/models_check_physics.sql", "mining_profitability_daily",
                "no mining revenue or fleet output on a day the coin is not proof of work; margin = revenue - cost"),
    "complete": ("marts/models_check_complete.sql", "rally_attribution",
                 "every attribution has its four channels; one profitability row per key; every mart row comes from "
                 "the current assumption set"),
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


model_checks = [_check(name, *spec) for name, spec in CHECKS.items()]
