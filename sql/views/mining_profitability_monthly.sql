-- Question: would mining each coin have paid, month by month, for an H100, an A100, an ASIC or a consumer GPU at a given electricity price?
-- One row = one coin, calendar month, device and reference electricity price (USD/kWh) from
-- marts.mining_profitability_daily (price_basis 'reference'; the leaks' own prices are left out): the
-- month's mean revenue, power cost and margin per device and day (USD), and on how many days the margin
-- was positive. Operating cost only (no hardware cost); PUE is the assumptions' central value.
-- No row for a coin in a month it was proof of stake throughout (ETH after 2022-09-15).
CREATE OR REPLACE VIEW views.mining_profitability_monthly AS
SELECT
    coin,
    CAST(date_trunc('month', date) AS DATE) AS month,
    device,
    device_class,
    algorithm,
    electricity_usd_per_kwh,
    count(*) AS days,
    avg(revenue_usd_per_day) AS revenue_usd_per_day,
    avg(power_cost_usd_per_day) AS power_cost_usd_per_day,
    avg(margin_usd_per_day) AS margin_usd_per_day,
    count(*) FILTER (WHERE profitable) AS profitable_days,
    count(*) FILTER (WHERE profitable) / count(*) AS profitable_share,
    avg(hashprice_usd_per_th_day) AS hashprice_usd_per_th_day,
    avg(breakeven_j_per_gh) AS breakeven_j_per_gh,
    min(device_j_per_gh) AS device_j_per_gh,
    min(device_hashrate_hs) AS device_hashrate_hs,
    min(device_power_w) AS device_power_w,
    min(hashrate_basis) AS hashrate_basis,
    min(pue) AS pue,
    min(assumption_set) AS assumption_set,
    min(model_version) AS model_version
FROM marts.mining_profitability_daily
WHERE price_basis = 'reference'
GROUP BY coin, month, device, device_class, algorithm, electricity_usd_per_kwh
ORDER BY coin, month, device, electricity_usd_per_kwh;

COMMENT ON VIEW views.mining_profitability_monthly IS 'Monthly mining economics per coin, device and reference electricity price: mean revenue, power cost and margin per device and day (USD), days profitable. One row = one coin x month x device x USD/kWh.';
COMMENT ON COLUMN views.mining_profitability_monthly.coin IS 'Coin ticker (BTC, ETH, ETC, XMR, ...).';
COMMENT ON COLUMN views.mining_profitability_monthly.month IS 'First day of the calendar month (DATE, UTC).';
COMMENT ON COLUMN views.mining_profitability_monthly.device IS 'Device as in core.hardware_specs (e.g. NVIDIA H100 SXM, NVIDIA A100, Bitmain Antminer S21).';
COMMENT ON COLUMN views.mining_profitability_monthly.device_class IS 'datacenter_gpu | consumer_gpu | asic | cpu.';
COMMENT ON COLUMN views.mining_profitability_monthly.algorithm IS 'The coin''s proof-of-work algorithm the device is priced on.';
COMMENT ON COLUMN views.mining_profitability_monthly.electricity_usd_per_kwh IS 'Reference electricity price, USD per kWh (the assumptions'' reference_usd_per_kwh).';
COMMENT ON COLUMN views.mining_profitability_monthly.days IS 'Days of the month with a row: proof-of-work days with network data (revenue is averaged over the days with a price).';
COMMENT ON COLUMN views.mining_profitability_monthly.revenue_usd_per_day IS 'Mean revenue per device and day, USD (coins per day x close).';
COMMENT ON COLUMN views.mining_profitability_monthly.power_cost_usd_per_day IS 'Mean power cost per device and day, USD (W / 1000 x 24 x PUE x USD/kWh).';
COMMENT ON COLUMN views.mining_profitability_monthly.margin_usd_per_day IS 'Mean margin per device and day, USD (revenue - power cost; hardware not counted).';
COMMENT ON COLUMN views.mining_profitability_monthly.profitable_days IS 'Days with a positive margin.';
COMMENT ON COLUMN views.mining_profitability_monthly.profitable_share IS 'profitable_days / days, 0..1.';
COMMENT ON COLUMN views.mining_profitability_monthly.hashprice_usd_per_th_day IS 'Mean hashprice on this coin: USD earned per TH/s per day.';
COMMENT ON COLUMN views.mining_profitability_monthly.breakeven_j_per_gh IS 'Mean Cambridge-style break-even efficiency at this electricity price, J/GH: a device below it earns more than its power (PUE 1).';
COMMENT ON COLUMN views.mining_profitability_monthly.device_j_per_gh IS 'The device''s efficiency, J/GH.';
COMMENT ON COLUMN views.mining_profitability_monthly.device_hashrate_hs IS 'The device''s hashrate on this algorithm, hashes per second.';
COMMENT ON COLUMN views.mining_profitability_monthly.device_power_w IS 'The device''s power draw at the wall, watts (marts.mining_profitability_daily.power_basis says how).';
COMMENT ON COLUMN views.mining_profitability_monthly.hashrate_basis IS 'benchmark | benchmark via <algorithm> (an Ethash figure for Etchash) | assumption (central H100 value where no benchmark exists).';
COMMENT ON COLUMN views.mining_profitability_monthly.pue IS 'Power usage effectiveness applied (facility kWh per IT kWh; the assumptions'' central value).';
COMMENT ON COLUMN views.mining_profitability_monthly.assumption_set IS 'Assumptions file version + sha256 prefix that produced the rows.';
COMMENT ON COLUMN views.mining_profitability_monthly.model_version IS 'Model code version that produced the rows.';
