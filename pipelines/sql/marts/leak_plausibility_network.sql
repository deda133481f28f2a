-- Inputs of marts.leak_plausibility: the chain's figures per coin and day (core.network_daily,
-- validated; the mart runs after the daily partitions are rebuilt).
SELECT coin, date, hashrate_hs, block_reward_coins, blocks_per_day, issuance_coins, fees_coins
FROM core.network_daily
ORDER BY coin, date;
