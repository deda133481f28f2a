"""Invariants of the chain-evidence marts, as blocking asset checks: dates within the chain's data, the
direction agreeing with the step, quantiles ordered, verdicts in their set and supported by their numbers."""
from pipelines.defs.invariants import invariant_checks

CHECKS = {
    "breaks_consistent": ("marts/detection_check_breaks.sql", "hashrate_breaks",
                          "every break lies within its coin's network data, its direction agrees with the sign of "
                          "its step, its levels are positive"),
    "detectability_consistent": ("marts/detection_check_detectability.sql", "fleet_detectability",
                                 "p05 <= p50 <= p95, periods in order and in range, verdicts in their set and "
                                 "supported by the steps, every row has a reason"),
}


detection_checks = invariant_checks(CHECKS)
