DELETE FROM core.price_observations;
INSERT INTO core.price_observations
SELECT asset, date, open, high, low, close_usd, volume_usd, market_cap_usd, source, quote_currency,
       bars, source_rank, is_synthetic, document_id
FROM staged;
