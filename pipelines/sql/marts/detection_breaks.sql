-- Input of marts.fleet_detectability: the level shifts just written (marts.hashrate_breaks).
SELECT coin, break_date, direction, step_log, level_before_hs, level_after_hs, method, score
FROM marts.hashrate_breaks
ORDER BY coin, break_date;
