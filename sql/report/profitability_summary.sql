-- Per coin and device at one reference power price: days priced, share of days with a positive
-- margin, median margin and the margin on the last day priced.
SELECT coin, device, device_class, count(*) AS days, min(date) AS first_day, max(date) AS last_day,
       avg(CASE WHEN profitable THEN 1.0 ELSE 0.0 END) AS profitable_share,
       median(margin_usd_per_day) AS median_margin,
       arg_max(margin_usd_per_day, date) AS last_margin,
       any_value(hashrate_basis) AS hashrate_basis
FROM marts.mining_profitability_daily
WHERE price_basis = 'reference' AND electricity_usd_per_kwh = $price
  AND (device_class = 'asic' OR device ILIKE '%H100%' OR device ILIKE '%A100%')
GROUP BY coin, device, device_class
ORDER BY coin, CASE device_class WHEN 'asic' THEN 2 ELSE 1 END, device;
