-- Question: would an H100, an A100 or a purpose-built ASIC have made money mining each coin, at cheap or dear power?
-- One row per coin, year, device and electricity price (0.03, 0.07 and 0.15 USD/kWh): the mean margin per
-- device and day in USD (revenue minus power, hardware not counted) and the share of days it was
-- positive. Compare the GPUs with the ASIC built for the same coin's algorithm. A device without a
-- hashrate figure for a coin's algorithm has no row for it (in the bundled data the A100 has only an
-- Ethash figure, so it appears on ETH and ETC only). Months too gappy to know (NULL margin) are left out,
-- and a year whose known months cover under 80 % of its due days (views.is_covered) is NULL: unknown, not 0.
SELECT coin, year(month) AS year, device, device_class, electricity_usd_per_kwh,
       CASE WHEN views.is_covered(sum(days) FILTER (WHERE margin_usd_per_day IS NOT NULL), sum(due_days))
            THEN round(sum(margin_usd_per_day * days) / sum(days) FILTER (WHERE margin_usd_per_day IS NOT NULL), 2)
       END AS margin_usd_per_day,
       CASE WHEN views.is_covered(sum(days) FILTER (WHERE margin_usd_per_day IS NOT NULL), sum(due_days))
            THEN round(sum(revenue_usd_per_day * days) / sum(days) FILTER (WHERE margin_usd_per_day IS NOT NULL), 2)
       END AS revenue_usd_per_day,
       CASE WHEN views.is_covered(sum(days) FILTER (WHERE margin_usd_per_day IS NOT NULL), sum(due_days))
            THEN round(sum(profitable_days) FILTER (WHERE margin_usd_per_day IS NOT NULL)
                       / sum(days) FILTER (WHERE margin_usd_per_day IS NOT NULL), 3)
       END AS profitable_share,
       sum(days) AS days,
       sum(unknown_days) AS unknown_days
FROM views.mining_profitability_monthly
WHERE (device IN ('NVIDIA H100 SXM', 'NVIDIA A100') OR device_class = 'asic')
  AND electricity_usd_per_kwh IN (0.03, 0.07, 0.15)
GROUP BY coin, year, device, device_class, electricity_usd_per_kwh
ORDER BY coin, year, electricity_usd_per_kwh, margin_usd_per_day DESC;
