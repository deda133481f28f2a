-- Question: would the chain have shown the idle AI fleet (or a leaked sheet's own claim) if it had mined the coin, and does it?
-- One row = one subject of marts.fleet_detectability: a proof-of-work coin in a rally window (the models'
-- idle fleet), a leaked sheet line naming a coin and a period, or a sheet's lines summed; the step the
-- fleet would make in log network hashrate (p05/p50/p95, and as a percentage), the smallest step the
-- detector finds with 95 % probability there, the largest step observed, the step down near the period's
-- end, the verdict and its reason, and for sheets the file it came from.
CREATE OR REPLACE VIEW views.fleet_detectability AS
WITH doc AS (SELECT * FROM views.document_paths())   -- one path per document
SELECT
    d.coin,
    d.subject,
    d.subject_id,
    d.period_start,
    d.period_end,
    d.verdict,
    d.implied_step_log_p05,
    d.implied_step_log_p50,
    d.implied_step_log_p95,
    exp(d.implied_step_log_p50) - 1 AS implied_pct_p50,
    d.claimed_step_log,
    d.min_detectable_step_log,
    d.observed_step_log,
    d.observed_break_date,
    d.withdrawal_step_log,
    d.withdrawal_break_date,
    d.withdrawal_matches,
    d.network_hashrate_hs,
    d.implied_hashrate_hs_p50,
    d.reason,
    CASE WHEN d.subject <> 'rally_window' THEN doc.path END AS document_path
FROM marts.fleet_detectability AS d
LEFT JOIN doc ON d.subject <> 'rally_window' AND doc.document_id = split_part(d.subject_id, ':', 1)
ORDER BY d.coin, d.subject DESC, d.period_start, d.subject_id;

COMMENT ON VIEW views.fleet_detectability IS 'Would the chain show the fleet? marts.fleet_detectability with the implied step as a percentage and, for leaked sheets, the file they came from.';
COMMENT ON COLUMN views.fleet_detectability.coin IS 'Coin ticker.';
COMMENT ON COLUMN views.fleet_detectability.subject IS 'rally_window | sheet_line | sheet_document.';
COMMENT ON COLUMN views.fleet_detectability.subject_id IS 'The window name | document_id:table_index:row_index | document_id:coin.';
COMMENT ON COLUMN views.fleet_detectability.period_start IS 'The day the fleet''s step is placed.';
COMMENT ON COLUMN views.fleet_detectability.period_end IS 'Last day of the window or the sheet''s period.';
COMMENT ON COLUMN views.fleet_detectability.verdict IS 'visible_and_absent (evidence against the claim) | visible_and_present | too_small_to_see | unknown (see reason).';
COMMENT ON COLUMN views.fleet_detectability.implied_step_log_p05 IS 'log(1 + fleet / network) at the fleet''s p05 (the sheet''s claim on sheet rows).';
COMMENT ON COLUMN views.fleet_detectability.implied_step_log_p50 IS 'The same at the median.';
COMMENT ON COLUMN views.fleet_detectability.implied_step_log_p95 IS 'The same at the p95.';
COMMENT ON COLUMN views.fleet_detectability.implied_pct_p50 IS 'The median step as a fraction of the network: exp(step) - 1 = fleet / network.';
COMMENT ON COLUMN views.fleet_detectability.claimed_step_log IS 'Sheet rows: the sheet''s own claimed hashrate as a step; NULL on rally_window rows.';
COMMENT ON COLUMN views.fleet_detectability.min_detectable_step_log IS 'Smallest step found in 95 % of seeded trials injected into the real series around period_start.';
COMMENT ON COLUMN views.fleet_detectability.observed_step_log IS 'Largest step up detected from 30 days before period_start to period_end (0: none found; NULL when the chain has no data over that span).';
COMMENT ON COLUMN views.fleet_detectability.observed_break_date IS 'Date of that step up.';
COMMENT ON COLUMN views.fleet_detectability.withdrawal_step_log IS 'Most negative step detected within 30 days of period_end (the withdrawal the claim predicts); NULL: none.';
COMMENT ON COLUMN views.fleet_detectability.withdrawal_break_date IS 'Date of that step down.';
COMMENT ON COLUMN views.fleet_detectability.withdrawal_matches IS 'That step down is at least the implied median step.';
COMMENT ON COLUMN views.fleet_detectability.network_hashrate_hs IS 'Observed network hashrate on period_start, hashes per second.';
COMMENT ON COLUMN views.fleet_detectability.implied_hashrate_hs_p50 IS 'Median fleet hashrate (the sheet''s claim on sheet rows), hashes per second.';
COMMENT ON COLUMN views.fleet_detectability.reason IS 'The numbers behind the verdict, the missing input when unknown, and the basis.';
COMMENT ON COLUMN views.fleet_detectability.document_path IS 'Sheet rows: the leaked file (path under the raw folder); NULL for rally windows.';
