-- Question: would mining each coin have paid, month by month, for an H100, an A100, an ASIC or a consumer GPU at a given electricity price?
-- One row = one coin, calendar month, device and reference electricity price (USD/kWh) from
-- marts.mining_profitability_daily (price_basis 'reference'; the leaks' own prices are left out): the
-- month's mean revenue, power cost and margin per device and day (USD), and on how many days the margin
-- was positive. Operating cost only (no hardware cost); PUE is the assumptions' central value.
-- No row for a coin in a month it was proof of stake throughout (ETH after 2022-09-15).
-- A proof-of-work day without network data, issuance or a price has no daily row: it is counted in
-- unknown_days, never as a zero; the month's figures stand on its priced days only when those cover at
-- least views.min_coverage() (80 %) of its due days, else they are NULL (the rally attribution's rule).
-- Due days run from the coin's first day in core.network_daily to the last day of any coin there.
CREATE OR REPLACE VIEW views.mining_profitability_monthly AS
WITH coin_days AS (
    SELECT f.coin,
           CAST(unnest(generate_series(CAST(f.first_day AS TIMESTAMP), CAST(s.last_day AS TIMESTAMP),
                                       INTERVAL 1 DAY)) AS DATE) AS date
    FROM (SELECT coin, min(date) AS first_day FROM core.network_daily GROUP BY coin) AS f,
         (SELECT max(date) AS last_day FROM core.network_daily) AS s
),
due AS (   -- days that were, or may have been, proof of work (the consensus of the day's network row, else the table's)
    SELECT d.coin, CAST(date_trunc('month', d.date) AS DATE) AS month,
           count(*) FILTER (WHERE coalesce(n.consensus, c.consensus) IS NULL
                               OR coalesce(n.consensus, c.consensus) = 'pow') AS due_days
    FROM coin_days AS d
    LEFT JOIN core.network_daily AS n ON n.coin = d.coin AND n.date = d.date
    LEFT JOIN core.consensus_periods AS c
        ON n.coin IS NULL AND c.coin = d.coin AND d.date >= c.valid_from AND (c.valid_to IS NULL OR d.date < c.valid_to)
    GROUP BY d.coin, month
),
monthly AS (
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
),
combos AS (
    SELECT DISTINCT coin, device, device_class, algorithm, electricity_usd_per_kwh, hashrate_basis, pue,
                    assumption_set, model_version, device_j_per_gh, device_hashrate_hs, device_power_w
    FROM monthly
),
grid AS (
    SELECT k.*, u.month, coalesce(u.due_days, 0) AS due_days
    FROM combos AS k JOIN due AS u ON u.coin = k.coin
)
SELECT
    g.coin,
    g.month,
    g.device,
    g.device_class,
    g.algorithm,
    g.electricity_usd_per_kwh,
    coalesce(m.days, 0) AS days,
    greatest(g.due_days, coalesce(m.days, 0)) AS due_days,
    greatest(g.due_days - coalesce(m.days, 0), 0) AS unknown_days,
    CASE WHEN views.is_covered(coalesce(m.days, 0), g.due_days) THEN m.revenue_usd_per_day END AS revenue_usd_per_day,
    CASE WHEN views.is_covered(coalesce(m.days, 0), g.due_days) THEN m.power_cost_usd_per_day END AS power_cost_usd_per_day,
    CASE WHEN views.is_covered(coalesce(m.days, 0), g.due_days) THEN m.margin_usd_per_day END AS margin_usd_per_day,
    coalesce(m.profitable_days, 0) AS profitable_days,
    CASE WHEN views.is_covered(coalesce(m.days, 0), g.due_days) THEN m.profitable_days / m.days END AS profitable_share,
    CASE WHEN views.is_covered(coalesce(m.days, 0), g.due_days) THEN m.hashprice_usd_per_th_day END AS hashprice_usd_per_th_day,
    CASE WHEN views.is_covered(coalesce(m.days, 0), g.due_days) THEN m.breakeven_j_per_gh END AS breakeven_j_per_gh,
    g.device_j_per_gh,
    g.device_hashrate_hs,
    g.device_power_w,
    g.hashrate_basis,
    g.pue,
    g.assumption_set,
    g.model_version
FROM grid AS g
LEFT JOIN monthly AS m
    ON m.coin = g.coin AND m.month = g.month AND m.device = g.device AND m.algorithm = g.algorithm
   AND m.electricity_usd_per_kwh = g.electricity_usd_per_kwh
WHERE g.due_days > 0 OR m.days > 0
ORDER BY g.coin, g.month, g.device, g.electricity_usd_per_kwh;

COMMENT ON VIEW views.mining_profitability_monthly IS 'Monthly mining economics per coin, device and reference electricity price: mean revenue, power cost and margin per device and day (USD), days profitable. One row = one coin x month x device x USD/kWh.';
COMMENT ON COLUMN views.mining_profitability_monthly.coin IS 'Coin ticker (BTC, ETH, ETC, XMR, ...).';
COMMENT ON COLUMN views.mining_profitability_monthly.month IS 'First day of the calendar month (DATE, UTC).';
COMMENT ON COLUMN views.mining_profitability_monthly.device IS 'Device as in core.hardware_specs (e.g. NVIDIA H100 SXM, NVIDIA A100, Bitmain Antminer S21).';
COMMENT ON COLUMN views.mining_profitability_monthly.device_class IS 'datacenter_gpu | consumer_gpu | mining_gpu | asic | cpu.';
COMMENT ON COLUMN views.mining_profitability_monthly.algorithm IS 'The coin''s proof-of-work algorithm the device is priced on.';
COMMENT ON COLUMN views.mining_profitability_monthly.electricity_usd_per_kwh IS 'Reference electricity price, USD per kWh (the assumptions'' reference_usd_per_kwh).';
COMMENT ON COLUMN views.mining_profitability_monthly.days IS 'Days of the month with a daily row: proof-of-work days with network data, issuance and a price (the figures are averaged over them).';
COMMENT ON COLUMN views.mining_profitability_monthly.due_days IS 'Days of the month that were, or may have been, proof of work (core.network_daily consensus, else core.consensus_periods; a coin the table does not list counts as may).';
COMMENT ON COLUMN views.mining_profitability_monthly.unknown_days IS 'Due days without a daily row (no network data, hashrate, issuance or price): unknown, not unprofitable; 0 when every due day is priced.';
COMMENT ON COLUMN views.mining_profitability_monthly.revenue_usd_per_day IS 'Mean revenue per device and day, USD (coins per day x close); NULL when the priced days cover under 80 % of the due days (views.min_coverage()).';
COMMENT ON COLUMN views.mining_profitability_monthly.power_cost_usd_per_day IS 'Mean power cost per device and day, USD (W / 1000 x 24 x PUE x USD/kWh); NULL under 80 % coverage.';
COMMENT ON COLUMN views.mining_profitability_monthly.margin_usd_per_day IS 'Mean margin per device and day, USD (revenue - power cost; hardware not counted); NULL under 80 % coverage.';
COMMENT ON COLUMN views.mining_profitability_monthly.profitable_days IS 'Priced days with a positive margin.';
COMMENT ON COLUMN views.mining_profitability_monthly.profitable_share IS 'profitable_days / days, 0..1; NULL under 80 % coverage.';
COMMENT ON COLUMN views.mining_profitability_monthly.hashprice_usd_per_th_day IS 'Mean hashprice on this coin: USD earned per TH/s per day; NULL under 80 % coverage.';
COMMENT ON COLUMN views.mining_profitability_monthly.breakeven_j_per_gh IS 'Mean Cambridge-style break-even efficiency at this electricity price, J/GH: a device below it earns more than its power (PUE 1); NULL under 80 % coverage.';
COMMENT ON COLUMN views.mining_profitability_monthly.device_j_per_gh IS 'The device''s efficiency, J/GH.';
COMMENT ON COLUMN views.mining_profitability_monthly.device_hashrate_hs IS 'The device''s hashrate on this algorithm, hashes per second.';
COMMENT ON COLUMN views.mining_profitability_monthly.device_power_w IS 'The device''s power draw at the wall, watts (marts.mining_profitability_daily.power_basis says how).';
COMMENT ON COLUMN views.mining_profitability_monthly.hashrate_basis IS 'benchmark | benchmark via <algorithm> (an Ethash figure for Etchash) | assumption (central H100 value where no benchmark exists).';
COMMENT ON COLUMN views.mining_profitability_monthly.pue IS 'Power usage effectiveness applied (facility kWh per IT kWh; the assumptions'' central value).';
COMMENT ON COLUMN views.mining_profitability_monthly.assumption_set IS 'Assumptions file version + sha256 prefix that produced the rows.';
COMMENT ON COLUMN views.mining_profitability_monthly.model_version IS 'Model code version that produced the rows.';
