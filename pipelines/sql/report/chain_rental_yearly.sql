-- marts.mining_vs_rental_daily per coin, year and device: the median of mining revenue / rental income over
-- the days both are known (low and high from the high and low list prices), the days known and unknown, and
-- why the first unknown day is unknown. A year without a known day has NULL medians, never 0.
SELECT coin, year(date) AS year, device,
       median(ratio) AS ratio_median,
       median(ratio_low) AS ratio_low_median,
       median(ratio_high) AS ratio_high_median,
       median(mining_usd_per_gpu_day) FILTER (WHERE ratio IS NOT NULL) AS mining_usd_median,
       median(rental_usd_per_gpu_day_central) FILTER (WHERE ratio IS NOT NULL) AS rental_usd_median,
       count(ratio) AS known_days,
       count(*) - count(ratio) AS unknown_days,
       left(arg_min(reason, date) FILTER (WHERE reason IS NOT NULL), $maxlen) AS reason
FROM marts.mining_vs_rental_daily
GROUP BY coin, year(date), device
ORDER BY coin, year, device;
