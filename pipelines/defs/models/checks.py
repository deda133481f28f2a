"""Invariants of the model marts, as blocking asset checks: a model that breaks one is a bug, and the
published warehouse keeps its previous marts until it is fixed."""
from pipelines.defs.invariants import invariant_checks

CHECKS = {
    "quantiles_ordered": ("marts/models_check_quantiles.sql", "ai_fleet_daily",
                          "every p05 <= p50 <= p95, idle <= installed, network shares within 0..1"),
    "physics": ("marts/models_check_physics.sql", "mining_profitability_daily",
                "no mining revenue or fleet output on a day the coin is not proof of work; margin = revenue - cost"),
    "complete": ("marts/models_check_complete.sql", "rally_attribution",
                 "every attribution has its four channels; one profitability row per key; every mart row comes from "
                 "the current assumption set"),
}


model_checks = invariant_checks(CHECKS)
