-- Daily network hashrate of each proof-of-work coin over 2022-2024 (its proof-of-work days only), for the chart
-- of section "Would the chain show it?": the series the breaks and the fleet's implied step are drawn on.
SELECT coin, date, hashrate_hs
FROM core.network_daily
WHERE hashrate_hs > 0 AND (consensus IS NULL OR consensus = 'pow')
  AND date BETWEEN DATE '2022-01-01' AND DATE '2024-12-31'
  AND coin IN (SELECT DISTINCT coin FROM marts.fleet_detectability UNION SELECT DISTINCT coin FROM marts.hashrate_breaks)
ORDER BY coin, date;
