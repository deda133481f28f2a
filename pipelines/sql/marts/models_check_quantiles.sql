-- Model marts whose quantiles are out of order (p05 <= p50 <= p95) or whose shares leave 0..1.
SELECT 'ai_fleet_daily' AS mart, company || ' ' || CAST(date AS VARCHAR) AS locator
FROM marts.ai_fleet_daily
WHERE NOT (gpus_p05 <= gpus_p50 AND gpus_p50 <= gpus_p95 AND idle_gpus_p05 <= idle_gpus_p50
           AND idle_gpus_p50 <= idle_gpus_p95 AND idle_gpus_p95 <= gpus_p95 * 1.000001)
UNION ALL
SELECT 'mining_contribution_daily', coin || ' ' || CAST(date AS VARCHAR)
FROM marts.mining_contribution_daily
WHERE NOT (network_share_p05 <= network_share_p50 AND network_share_p50 <= network_share_p95
           AND network_share_p05 >= 0 AND network_share_p95 <= 1)
UNION ALL
SELECT 'rally_attribution', coin || ' ' || window_name || ' ' || subject || ' ' || channel
FROM marts.rally_attribution
WHERE NOT (share_p05 <= share_p50 AND share_p50 <= share_p95)
ORDER BY 1, 2
LIMIT 100;
