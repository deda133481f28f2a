-- Per coin and device at one reference power price: days priced, share of days with a positive
-- margin, median margin and the margin on the last day priced. days_unknown: days that were, or may
-- have been, proof of work without a priced row (views.mining_profitability_monthly.unknown_days); the
-- share and the median are NULL when the priced days cover under views.min_coverage() (80 %) of the due days.
WITH cover AS (
    SELECT coin, device, sum(due_days) AS due_days, sum(unknown_days) AS days_unknown
    FROM views.mining_profitability_monthly
    WHERE electricity_usd_per_kwh = $price
    GROUP BY coin, device
),
priced AS (
    SELECT coin, device, device_class, count(*) AS days, min(date) AS first_day, max(date) AS last_day,
           avg(CASE WHEN profitable THEN 1.0 ELSE 0.0 END) AS profitable_share,
           median(margin_usd_per_day) AS median_margin,
           arg_max(margin_usd_per_day, date) AS last_margin,
           any_value(hashrate_basis) AS hashrate_basis
    FROM marts.mining_profitability_daily
    WHERE price_basis = 'reference' AND electricity_usd_per_kwh = $price
      AND (device_class = 'asic' OR device ILIKE '%H100%' OR device ILIKE '%A100%')
    GROUP BY coin, device, device_class
)
SELECT p.coin, p.device, p.device_class, p.days, p.first_day, p.last_day,
       CASE WHEN views.is_covered(p.days, coalesce(c.due_days, p.days)) THEN p.profitable_share END AS profitable_share,
       CASE WHEN views.is_covered(p.days, coalesce(c.due_days, p.days)) THEN p.median_margin END AS median_margin,
       p.last_margin, p.hashrate_basis, coalesce(c.days_unknown, 0) AS days_unknown
FROM priced AS p
LEFT JOIN cover AS c USING (coin, device)
ORDER BY p.coin, CASE p.device_class WHEN 'asic' THEN 2 ELSE 1 END, p.device;
