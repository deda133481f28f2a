-- Rows of marts.hashrate_price_causality that break an invariant: a direction or frequency outside its set,
-- a p-value outside 0..1, a tested row without lags >= 1, a NULL test without a reason, dates out of order
-- or outside Bitcoin's genesis .. today.
SELECT 'hashrate_price_causality' AS mart, coin || ' ' || sample || ' ' || frequency || ' ' || direction AS locator
FROM marts.hashrate_price_causality
WHERE direction NOT IN ('hashrate_to_price', 'price_to_hashrate')
   OR frequency NOT IN ('daily', 'weekly')
   OR NOT coalesce(p_value BETWEEN 0 AND 1, TRUE)
   OR (p_value IS NOT NULL AND NOT coalesce(lags >= 1, FALSE))
   OR (p_value IS NULL AND (reason IS NULL OR statistic IS NOT NULL))
   OR (p_value IS NOT NULL AND reason IS NOT NULL)
   OR sample_start > sample_end
   OR sample_start < DATE '2009-01-03' OR sample_end > current_date
ORDER BY 1, 2
LIMIT 100;
