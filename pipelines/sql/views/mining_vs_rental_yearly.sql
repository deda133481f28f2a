-- Question: how much of what renting an idle H100 or A100 out would earn does mining each coin earn, year by year?
-- One row = one coin, device and year of marts.mining_vs_rental_daily: the median of mining revenue / rental
-- income over the days both are known (below 1: the operator gives up rental income by mining), its range
-- from the highest and lowest public list prices, the median revenue and rental price per GPU-day, the days
-- known and unknown and why the first unknown day is. A year without a known day has NULL medians, never 0.
CREATE OR REPLACE VIEW views.mining_vs_rental_yearly AS
SELECT
    coin,
    device,
    year(date) AS year,
    median(ratio) AS ratio_median,
    median(ratio_low) AS ratio_low_median,
    median(ratio_high) AS ratio_high_median,
    median(mining_usd_per_gpu_day) FILTER (WHERE ratio IS NOT NULL) AS mining_usd_per_gpu_day_median,
    median(rental_usd_per_gpu_day_central) FILTER (WHERE ratio IS NOT NULL) AS rental_usd_per_gpu_day_median,
    count(ratio) AS known_days,
    count(*) - count(ratio) AS unknown_days,
    arg_min(reason, date) FILTER (WHERE reason IS NOT NULL) AS first_unknown_reason
FROM marts.mining_vs_rental_daily
GROUP BY coin, device, year(date)
ORDER BY coin, device, year;

COMMENT ON VIEW views.mining_vs_rental_yearly IS 'What mining earns against renting the GPU out (marts.mining_vs_rental_daily), median per coin, device and year.';
COMMENT ON COLUMN views.mining_vs_rental_yearly.coin IS 'Ticker of the mined coin.';
COMMENT ON COLUMN views.mining_vs_rental_yearly.device IS 'The modelled device (H100 or A100 variant).';
COMMENT ON COLUMN views.mining_vs_rental_yearly.year IS 'Calendar year (UTC days).';
COMMENT ON COLUMN views.mining_vs_rental_yearly.ratio_median IS 'Median over the known days of mining revenue / central rental price per GPU-day (0.01 = mining earns 1 % of the rental income); NULL: no known day.';
COMMENT ON COLUMN views.mining_vs_rental_yearly.ratio_low_median IS 'Median of the ratio at the highest list price.';
COMMENT ON COLUMN views.mining_vs_rental_yearly.ratio_high_median IS 'Median of the ratio at the lowest list price.';
COMMENT ON COLUMN views.mining_vs_rental_yearly.mining_usd_per_gpu_day_median IS 'Median mining revenue of one device per day over the known days, USD (before power).';
COMMENT ON COLUMN views.mining_vs_rental_yearly.rental_usd_per_gpu_day_median IS 'Median central rental list price per GPU-day over the known days, USD.';
COMMENT ON COLUMN views.mining_vs_rental_yearly.known_days IS 'Days with a known ratio.';
COMMENT ON COLUMN views.mining_vs_rental_yearly.unknown_days IS 'Days whose ratio is NULL (no revenue, no rental price for the date).';
COMMENT ON COLUMN views.mining_vs_rental_yearly.first_unknown_reason IS 'Why the year''s first unknown day is unknown (the mart has each day''s reason); NULL when every day is known.';
