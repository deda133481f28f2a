-- marts.hashrate_breaks rows that break an invariant: a date outside the coin's network data, a direction
-- that disagrees with the step's sign, a level that is not positive.
SELECT 'hashrate_breaks' AS mart, b.coin || ' ' || CAST(b.break_date AS VARCHAR) AS locator
FROM marts.hashrate_breaks b
LEFT JOIN (SELECT coin, min(date) AS first_day, max(date) AS last_day FROM core.network_daily GROUP BY coin) n
       ON n.coin = b.coin
WHERE n.coin IS NULL OR b.break_date <= n.first_day OR b.break_date > n.last_day
   OR b.direction NOT IN ('up', 'down') OR (b.direction = 'up') <> (b.step_log > 0)
   OR NOT (b.level_before_hs > 0 AND b.level_after_hs > 0)
ORDER BY 1, 2
LIMIT 100;
