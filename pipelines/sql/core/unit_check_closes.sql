-- One close per coin and day (the best-ranked source), for the hashrate-unit cross-check of network files.
SELECT asset, date, arg_min(close_usd, source_rank) AS close_usd
FROM core.price_observations
WHERE close_usd > 0
GROUP BY asset, date
