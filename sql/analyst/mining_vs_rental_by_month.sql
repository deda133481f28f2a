-- Question: what share of the rental income of an idle H100 or A100 would mining each coin have earned?
-- One row per coin, device and month: the mean mining revenue per GPU-day, the central public list price of
-- renting the GPU for a day, and mining / rental at the central price with the range from the high and low
-- list prices (below 1: the operator gives up rental income by mining). Days without a rental price or a
-- revenue are left out and counted in unknown_days; a month with no known day is NULL, not 0.
SELECT coin, device, date_trunc('month', date) AS month,
       round(avg(mining_usd_per_gpu_day) FILTER (WHERE ratio IS NOT NULL), 4) AS mining_usd_per_gpu_day,
       round(avg(rental_usd_per_gpu_day_central) FILTER (WHERE ratio IS NOT NULL), 2) AS rental_usd_per_gpu_day,
       round(avg(ratio_low), 6) AS ratio_low,
       round(avg(ratio), 6) AS ratio,
       round(avg(ratio_high), 6) AS ratio_high,
       count(*) FILTER (WHERE ratio IS NOT NULL) AS known_days,
       count(*) FILTER (WHERE ratio IS NULL) AS unknown_days
FROM marts.mining_vs_rental_daily
GROUP BY coin, device, month
ORDER BY coin, device, month;
