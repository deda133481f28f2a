-- leakpipe status: how recent each dated input is (last day held, and days behind `today`).
WITH spans AS (
    SELECT 'core.prices_daily' AS tbl, asset AS series, min(date) AS first_day, max(date) AS last_day, count(*) AS n
    FROM core.prices_daily GROUP BY asset
    UNION ALL
    SELECT 'core.network_daily', coin, min(date), max(date), count(*) FROM core.network_daily GROUP BY coin
    UNION ALL
    SELECT 'core.fund_flows_daily', asset, min(date), max(date), count(*) FROM core.fund_flows_daily GROUP BY asset
    UNION ALL
    SELECT 'core.fx_daily', currency, min(date), max(date), count(*) FROM core.fx_daily GROUP BY currency
    UNION ALL
    SELECT 'core.capex_quarterly', company, min(period_end), max(period_end), count(*)
    FROM core.capex_quarterly GROUP BY company
)
SELECT tbl AS "table", series, first_day, last_day, n AS "rows", (CAST($today AS DATE) - last_day) AS days_behind
FROM spans
ORDER BY tbl, series;
