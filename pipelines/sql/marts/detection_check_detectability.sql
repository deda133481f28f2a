-- marts.fleet_detectability rows that break an invariant: quantiles out of order, a verdict outside its set,
-- a period that ends before it starts or lies outside 2009-01-03 .. today, a step that is negative, a
-- verdict that its numbers do not support, an unknown without a reason.
SELECT 'fleet_detectability' AS mart, coin || ' ' || subject || ' ' || subject_id AS locator
FROM marts.fleet_detectability
WHERE NOT coalesce(implied_step_log_p05 <= implied_step_log_p50 AND implied_step_log_p50 <= implied_step_log_p95,
                   implied_step_log_p05 IS NULL AND implied_step_log_p50 IS NULL AND implied_step_log_p95 IS NULL)
   OR NOT coalesce(implied_hashrate_hs_p05 <= implied_hashrate_hs_p50
                   AND implied_hashrate_hs_p50 <= implied_hashrate_hs_p95, true)
   OR verdict NOT IN ('visible_and_absent', 'visible_and_present', 'too_small_to_see', 'unknown')
   OR period_end < period_start
   OR period_start < DATE '2009-01-03' OR period_start > current_date
   OR implied_step_log_p05 < 0 OR min_detectable_step_log <= 0 OR observed_step_log < 0 OR withdrawal_step_log > 0
   OR (verdict IN ('visible_and_absent', 'visible_and_present')
       AND NOT coalesce(implied_step_log_p05 >= min_detectable_step_log, false))
   OR (verdict = 'too_small_to_see' AND NOT coalesce(implied_step_log_p95 < min_detectable_step_log, false))
   OR coalesce(reason, '') = ''
ORDER BY 1, 2
LIMIT 100;
