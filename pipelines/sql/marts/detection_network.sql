-- Inputs of marts.hashrate_breaks and marts.fleet_detectability: each coin's daily network hashrate
-- and consensus (core.network_daily, validated).
SELECT coin, date, hashrate_hs, consensus
FROM core.network_daily
ORDER BY coin, date;
