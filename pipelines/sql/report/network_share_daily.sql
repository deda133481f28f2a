-- The idle fleet's share of each network per day (fleet / (network + fleet)), p05/p50/p95.
SELECT coin, date, network_share_p05, network_share_p50, network_share_p95, fleet_to_network_p50
FROM marts.mining_contribution_daily
ORDER BY coin, date;
