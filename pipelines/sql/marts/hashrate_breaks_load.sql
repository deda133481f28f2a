-- Rebuild marts.hashrate_breaks from the staged breaks (whole mart, one transaction).
DELETE FROM marts.hashrate_breaks;
INSERT INTO marts.hashrate_breaks
SELECT coin, CAST(break_date AS DATE), direction, step_log, level_before_hs, level_after_hs, method, score,
       noise_sigma_log, penalty, CAST(days_in_series AS INTEGER)
FROM staged
ORDER BY coin, break_date;
