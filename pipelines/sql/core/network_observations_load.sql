DELETE FROM core.network_observations;
INSERT INTO core.network_observations
SELECT coin, date, hashrate_hs, difficulty, block_reward_coins, blocks_per_day, issuance_coins,
       fees_coins, source, source_rank, is_synthetic, document_id
FROM staged;
