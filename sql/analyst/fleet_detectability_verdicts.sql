-- Question: for each GPU-mineable coin and rally window, and each leaked sheet, would the fleet's step have shown in the coin's hashrate, and did it?
-- One row per subject of views.fleet_detectability, the evidence against the claim first (visible_and_absent),
-- with the implied median step as a percentage of the network, the detection limit and the steps observed.
SELECT coin, subject, subject_id, period_start, period_end, verdict,
       round(implied_step_log_p05, 3) AS step_p05, round(implied_step_log_p50, 3) AS step_p50,
       round(implied_step_log_p95, 3) AS step_p95, round(implied_pct_p50 * 100, 1) AS fleet_pct_of_network_p50,
       round(min_detectable_step_log, 3) AS detectable_from, round(observed_step_log, 3) AS observed_up,
       observed_break_date, round(withdrawal_step_log, 3) AS observed_down_at_end, withdrawal_matches, reason
FROM views.fleet_detectability
ORDER BY CASE verdict WHEN 'visible_and_absent' THEN 0 WHEN 'visible_and_present' THEN 1
                      WHEN 'too_small_to_see' THEN 2 ELSE 3 END, coin, subject DESC, period_start;
