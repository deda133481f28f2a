-- Causality input: daily closes (validated core.prices_daily).
SELECT asset, date, close_usd
FROM core.prices_daily
ORDER BY asset, date;
