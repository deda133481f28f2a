-- Rows of marts.mining_vs_rental_daily that break an invariant: rental prices out of order or not positive,
-- a ratio that is not mining / rental, a NULL ratio without a reason, a known ratio with one, a date outside
-- Bitcoin's genesis .. today.
SELECT 'mining_vs_rental_daily' AS mart, coin || ' ' || device || ' ' || CAST(date AS VARCHAR) AS locator
FROM marts.mining_vs_rental_daily
WHERE NOT coalesce(0 < rental_usd_per_gpu_day_low AND rental_usd_per_gpu_day_low <= rental_usd_per_gpu_day_central
                   AND rental_usd_per_gpu_day_central <= rental_usd_per_gpu_day_high, rental_usd_per_gpu_day_central IS NULL)
   OR NOT coalesce(ratio_low <= ratio AND ratio <= ratio_high, ratio IS NULL)
   OR abs(ratio * rental_usd_per_gpu_day_central - mining_usd_per_gpu_day) > 1e-9 * greatest(1, abs(mining_usd_per_gpu_day))
   OR (ratio IS NULL AND reason IS NULL) OR (ratio IS NOT NULL AND reason IS NOT NULL)
   OR mining_usd_per_gpu_day < 0
   OR date < DATE '2009-01-03' OR date > current_date
ORDER BY 1, 2
LIMIT 100;
