-- Rebuild core.network_daily for [$window_start, $window_end): each value from the best-ranked
-- file that has it (Coin Metrics, then plain tables, then Etherscan exports), consensus from the
-- dated table core.consensus_periods.
DELETE FROM core.network_daily
WHERE (date >= $window_start AND date < $window_end)
   OR NOT EXISTS (SELECT 1 FROM core.network_observations AS o
                  WHERE o.coin = network_daily.coin AND o.date = network_daily.date);

INSERT INTO core.network_daily
WITH ranked AS (
    SELECT o.*, d.path
    FROM core.network_observations AS o JOIN core.document_inventory AS d USING (document_id)
    WHERE o.date >= $window_start AND o.date < $window_end
)
SELECT
    r.coin,
    r.date,
    arg_min(r.hashrate_hs, (r.source_rank, r.path)) FILTER (WHERE r.hashrate_hs IS NOT NULL),
    arg_min(r.difficulty, (r.source_rank, r.path)) FILTER (WHERE r.difficulty IS NOT NULL),
    arg_min(r.block_reward_coins, (r.source_rank, r.path)) FILTER (WHERE r.block_reward_coins IS NOT NULL),
    arg_min(r.blocks_per_day, (r.source_rank, r.path)) FILTER (WHERE r.blocks_per_day IS NOT NULL),
    arg_min(r.issuance_coins, (r.source_rank, r.path)) FILTER (WHERE r.issuance_coins IS NOT NULL),
    arg_min(r.fees_coins, (r.source_rank, r.path)) FILTER (WHERE r.fees_coins IS NOT NULL),
    any_value(c.consensus),
    string_agg(DISTINCT r.source, '; ' ORDER BY r.source),
    bool_or(r.is_synthetic)
FROM ranked AS r
LEFT JOIN core.consensus_periods AS c
       ON c.coin = r.coin AND r.date >= c.valid_from AND (c.valid_to IS NULL OR r.date < c.valid_to)
GROUP BY r.coin, r.date;
