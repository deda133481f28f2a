-- Model rows that break the physics: mining revenue or fleet output on a day a coin is not proof of
-- work (core.network_daily.consensus), or a profitability row whose margin is not revenue - power cost.
SELECT 'mining_profitability_daily' AS mart, p.coin || ' ' || CAST(p.date AS VARCHAR) || ' ' || p.device AS locator
FROM marts.mining_profitability_daily p
JOIN core.network_daily n ON n.coin = p.coin AND n.date = p.date
WHERE n.consensus IS DISTINCT FROM 'pow'
   OR abs(p.margin_usd_per_day - (p.revenue_usd_per_day - p.power_cost_usd_per_day))
      > 1e-9 * greatest(1, abs(p.revenue_usd_per_day))
UNION ALL
SELECT 'mining_contribution_daily', coin || ' ' || CAST(date AS VARCHAR)
FROM marts.mining_contribution_daily
WHERE consensus IS DISTINCT FROM 'pow' AND (network_share_p95 > 0 OR usd_per_day_p95 > 0)
ORDER BY 1, 2
LIMIT 100;
