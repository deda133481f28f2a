-- Models input: daily closes and market caps (validated core.prices_daily).
SELECT asset, date, close_usd, market_cap_usd
FROM core.prices_daily
ORDER BY asset, date;
