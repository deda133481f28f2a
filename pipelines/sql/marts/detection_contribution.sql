-- Input of marts.fleet_detectability: the models' idle fleet per coin and day (p05/p50/p95 hashrate)
-- and the network it would join.
SELECT date, coin, algorithm, consensus, network_hashrate_hs, fleet_hashrate_hs_p05, fleet_hashrate_hs_p50,
       fleet_hashrate_hs_p95, network_share_p05, network_share_p50, network_share_p95, hashrate_basis,
       unknown_reason
FROM marts.mining_contribution_daily
ORDER BY coin, date;
