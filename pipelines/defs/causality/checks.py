"""Invariants of the causality and rental marts, as blocking asset checks: a row that breaks one is a bug."""
from pipelines.defs.invariants import invariant_checks

CHECKS = {
    "causality_valid": ("marts/causality_check.sql", "hashrate_price_causality",
                        "dates in range and in order, p-values in 0..1, direction and frequency in their sets, lags >= 1 "
                        "where tested, a reason exactly where the test is NULL"),
    "rental_valid": ("marts/rental_check.sql", "mining_vs_rental_daily",
                     "dates in range, rental prices positive and ordered low <= central <= high, ratio = mining / "
                     "rental and ordered, a reason exactly where the ratio is NULL"),
}


causality_checks = invariant_checks(CHECKS)
