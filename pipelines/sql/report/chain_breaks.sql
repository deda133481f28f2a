-- Level shifts in each coin's daily log network hashrate (marts.hashrate_breaks) over 2022-2024, up and down.
SELECT coin, break_date, direction, step_log, level_before_hs, level_after_hs, score, method
FROM marts.hashrate_breaks
WHERE break_date BETWEEN DATE '2022-01-01' AND DATE '2024-12-31'
ORDER BY coin, break_date;
