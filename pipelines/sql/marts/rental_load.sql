-- Rebuild marts.mining_vs_rental_daily from the staged ratios (whole mart, one transaction).
DELETE FROM marts.mining_vs_rental_daily;
INSERT INTO marts.mining_vs_rental_daily
SELECT coin, CAST(date AS DATE), device, rental_device, mining_usd_per_gpu_day, rental_usd_per_gpu_day_low,
       rental_usd_per_gpu_day_central, rental_usd_per_gpu_day_high, ratio_low, ratio, ratio_high, hashrate_basis,
       rental_source, reason, $assumption_set
FROM staged
ORDER BY coin, device, date;
