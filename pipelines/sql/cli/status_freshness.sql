-- leakpipe status: how recent each dated input is (from views.data_freshness): per asset, coin,
-- currency or company for the daily market, chain and FX tables and the filed capex; the fund flows
-- as one line.
SELECT table_name AS "table", coalesce(subject, '(all)') AS series, first_date AS first_day,
       last_date AS last_day, "rows", days_old AS days_behind
FROM views.data_freshness
WHERE (subject IS NOT NULL
       AND table_name IN ('core.prices_daily', 'core.network_daily', 'core.fx_daily', 'core.capex_quarterly'))
   OR (subject IS NULL AND table_name = 'core.fund_flows_daily')
ORDER BY "table", series;
