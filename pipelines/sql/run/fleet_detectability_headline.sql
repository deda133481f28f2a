-- Question: would the chain have shown the idle AI fleet mining each coin, per rally window?
-- One row per proof-of-work coin and rally window of marts.fleet_detectability: the verdict, the implied step
-- in log hashrate (p05, p95), the smallest step the change-point method detects there with 95 % probability
-- and the largest step up observed. NULL steps are unknown (the reason is in marts.fleet_detectability.reason).
SELECT coin, subject_id AS window_name, verdict, implied_step_log_p05, implied_step_log_p95,
       min_detectable_step_log, observed_step_log
FROM marts.fleet_detectability
WHERE subject = 'rally_window'
ORDER BY coin, period_start, subject_id;
-- (make run prints its summary with this file, shipped in the package as pipelines/sql/run/fleet_detectability_headline.sql;
-- sql/analyst/fleet_detectability_headline.sql is a link to it, so the two cannot differ.)
