-- Models input: the chain per coin and day (validated core.network_daily).
SELECT coin, date, hashrate_hs, difficulty, block_reward_coins, blocks_per_day, issuance_coins, fees_coins, consensus
FROM core.network_daily
ORDER BY coin, date;
