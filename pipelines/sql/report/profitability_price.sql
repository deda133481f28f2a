-- The reference power price (price_basis 'reference') nearest to $target USD/kWh.
SELECT electricity_usd_per_kwh
FROM (SELECT DISTINCT electricity_usd_per_kwh FROM marts.mining_profitability_daily
      WHERE price_basis = 'reference')
ORDER BY abs(electricity_usd_per_kwh - $target), electricity_usd_per_kwh
LIMIT 1;
