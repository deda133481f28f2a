-- Rally attributions missing one of the four channels, profitability rows repeated for one key, and
-- model marts whose rows name another assumption set than marts.model_assumptions (a mix of two runs).
SELECT 'rally_attribution' AS mart, coin || ' ' || window_name || ' ' || subject AS locator
FROM marts.rally_attribution
GROUP BY coin, window_name, subject
HAVING count(DISTINCT channel) <> 4
UNION ALL
SELECT 'mining_profitability_daily', coin || ' ' || CAST(date AS VARCHAR) || ' ' || device || ' '
       || CAST(electricity_usd_per_kwh AS VARCHAR) || ' ' || price_basis
FROM marts.mining_profitability_daily
GROUP BY date, coin, device, electricity_usd_per_kwh, price_basis
HAVING count(*) > 1
UNION ALL
SELECT mart, assumption_set
FROM (
    SELECT 'ai_fleet_daily' AS mart, assumption_set FROM marts.ai_fleet_daily
    UNION SELECT 'mining_contribution_daily', assumption_set FROM marts.mining_contribution_daily
    UNION SELECT 'mining_profitability_daily', assumption_set FROM marts.mining_profitability_daily
    UNION SELECT 'rally_attribution', assumption_set FROM marts.rally_attribution
    UNION SELECT 'event_study', assumption_set FROM marts.event_study
    UNION SELECT 'sensitivity', assumption_set FROM marts.sensitivity
) used
WHERE assumption_set NOT IN (SELECT assumption_set FROM marts.model_assumptions)
ORDER BY 1, 2
LIMIT 100;
