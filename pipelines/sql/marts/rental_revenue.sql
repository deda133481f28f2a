-- Rental input: mining revenue per device, coin and day (revenue does not depend on the electricity price,
-- so the reference rows carry it once per key).
SELECT coin, date, device, max(revenue_usd_per_day) AS revenue_usd_per_day, any_value(hashrate_basis) AS hashrate_basis
FROM marts.mining_profitability_daily
WHERE price_basis = 'reference'
GROUP BY coin, date, device
ORDER BY coin, device, date;
