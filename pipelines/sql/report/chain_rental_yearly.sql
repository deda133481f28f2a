-- views.mining_vs_rental_yearly (per coin, year and device: the median of mining revenue / rental income over
-- the days both are known, its range, the days known and unknown, why the first unknown day is unknown),
-- under the names the report uses. A year without a known day has NULL medians, never 0.
SELECT coin, year, device,
       ratio_median, ratio_low_median, ratio_high_median,
       mining_usd_per_gpu_day_median AS mining_usd_median,
       rental_usd_per_gpu_day_median AS rental_usd_median,
       known_days, unknown_days,
       left(first_unknown_reason, $maxlen) AS reason
FROM views.mining_vs_rental_yearly
ORDER BY coin, year, device;
