-- marts.fleet_detectability for the models' idle fleet: one row per proof-of-work coin and rally window.
SELECT coin, subject_id AS window_name, period_start, period_end, network_hashrate_hs,
       implied_step_log_p05, implied_step_log_p50, implied_step_log_p95, min_detectable_step_log,
       observed_step_log, observed_break_date, withdrawal_step_log, withdrawal_break_date, withdrawal_matches,
       host_cpus_counted, verdict, left(reason, $maxlen) AS reason
FROM marts.fleet_detectability
WHERE subject = 'rally_window'
ORDER BY coin, period_start, subject_id;
