-- Write marts.fleet_detectability from the staged rows, in one transaction: every row when everything is
-- true, else the rows of the rally windows and the sheet rows of the documents in dropped (recomputed, or
-- gone) are replaced. The subject_id of a sheet row starts with the id of its document (sha256 hex, no colon).
DELETE FROM marts.fleet_detectability
WHERE $everything OR subject NOT IN ('sheet_line', 'sheet_document')
   OR split_part(subject_id, ':', 1) IN (SELECT document_id FROM dropped);
INSERT INTO marts.fleet_detectability
SELECT coin, subject, subject_id, CAST(period_start AS DATE), CAST(period_end AS DATE), network_hashrate_hs,
       implied_hashrate_hs_p05, implied_hashrate_hs_p50, implied_hashrate_hs_p95, implied_step_log_p05,
       implied_step_log_p50, implied_step_log_p95, claimed_step_log, min_detectable_step_log, observed_step_log,
       CAST(observed_break_date AS DATE), withdrawal_step_log, CAST(withdrawal_break_date AS DATE),
       CAST(withdrawal_matches AS BOOLEAN), verdict, reason, CAST(host_cpus_counted AS BOOLEAN)
FROM staged
ORDER BY coin, subject, subject_id;
