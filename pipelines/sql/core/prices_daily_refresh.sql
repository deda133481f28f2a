-- Rebuild core.prices_daily for the dates [$window_start, $window_end): per asset and day the
-- observation of the best-ranked source (then the earliest path) wins. Rows of files that are
-- gone from the raw folder are dropped whatever their date.
DELETE FROM core.prices_daily
WHERE (date >= $window_start AND date < $window_end)
   OR document_id NOT IN (SELECT DISTINCT document_id FROM core.price_observations);

INSERT INTO core.prices_daily
SELECT DISTINCT ON (o.asset, o.date)
    o.asset, o.date, o.open, o.high, o.low, o.close_usd, o.volume_usd, o.market_cap_usd,
    o.source, o.is_synthetic, o.document_id
FROM core.price_observations AS o
JOIN core.document_inventory AS d USING (document_id)
WHERE o.date >= $window_start AND o.date < $window_end
ORDER BY o.asset, o.date, o.source_rank, d.path;
