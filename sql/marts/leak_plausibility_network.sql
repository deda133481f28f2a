-- Inputs of marts.leak_plausibility: one row per coin and day, each value from the best-ranked file
-- that has it. This is core.network_daily's own rule (core/network_daily_refresh.sql) applied to
-- every day of core.network_observations: the mart runs in the ingest job, before the daily
-- partitions of core.network_daily are rebuilt, and must not see last run's days.
SELECT
    o.coin,
    o.date,
    arg_min(o.hashrate_hs, (o.source_rank, d.path)) FILTER (WHERE o.hashrate_hs IS NOT NULL) AS hashrate_hs,
    arg_min(o.block_reward_coins, (o.source_rank, d.path)) FILTER (WHERE o.block_reward_coins IS NOT NULL) AS block_reward_coins,
    arg_min(o.blocks_per_day, (o.source_rank, d.path)) FILTER (WHERE o.blocks_per_day IS NOT NULL) AS blocks_per_day,
    arg_min(o.issuance_coins, (o.source_rank, d.path)) FILTER (WHERE o.issuance_coins IS NOT NULL) AS issuance_coins,
    arg_min(o.fees_coins, (o.source_rank, d.path)) FILTER (WHERE o.fees_coins IS NOT NULL) AS fees_coins
FROM core.network_observations AS o
JOIN core.document_inventory AS d USING (document_id)
GROUP BY o.coin, o.date
ORDER BY o.coin, o.date;
