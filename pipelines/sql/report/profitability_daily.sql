-- Margin per device, coin and day at one reference power price, for the AI accelerators the
-- story is about (H100, A100) and the purpose-built ASICs they compete with.
SELECT coin, device, device_class, date, margin_usd_per_day, revenue_usd_per_day, power_cost_usd_per_day
FROM marts.mining_profitability_daily
WHERE price_basis = 'reference' AND electricity_usd_per_kwh = $price
  AND (device_class = 'asic' OR device ILIKE '%H100%' OR device ILIKE '%A100%')
ORDER BY coin, device, date;
