-- Several files may give the same day and currency: the single-currency ECB file, then by path.
DELETE FROM core.fx_daily;
INSERT INTO core.fx_daily
SELECT DISTINCT ON (date, currency) date, currency, usd_per_unit, source, is_synthetic, document_id
FROM staged ORDER BY date, currency, source NOT LIKE 'ecb_single:%', path;
