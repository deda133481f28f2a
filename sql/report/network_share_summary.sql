-- Per coin: the days covered, the largest daily p95 share and its day, the mean p50 share and the days on which
-- the fleet's median hashrate exceeds the observed network (the network could not have contained it).
SELECT coin, min(date) AS first_day, max(date) AS last_day, count(*) AS days,
       max(network_share_p95) AS max_share_p95, arg_max(date, network_share_p95) AS max_share_day, avg(network_share_p50) AS mean_share_p50,
       count(*) FILTER (WHERE fleet_to_network_p50 > 1) AS days_fleet_above_network,
       count(*) FILTER (WHERE network_share_p50 IS NULL) AS days_unknown
FROM marts.mining_contribution_daily
GROUP BY coin
ORDER BY coin;
