-- Every extracted cost-sheet line, money converted to USD with the latest core.fx_daily rate on or
-- before the period's end (at most 7 days older; USD at par). No period or no rate: USD stays NULL
-- and the line's flags say why.
DELETE FROM core.cost_sheet_lines;

INSERT INTO core.cost_sheet_lines
WITH lines AS (
    SELECT s.*, coalesce(s.period_end, s.period_start) AS rate_day
    FROM staged AS s
),
rated AS (
    SELECT l.*, f.date AS f_date, f.usd_per_unit AS f_rate
    FROM lines AS l
    ASOF LEFT JOIN core.fx_daily AS f
        ON f.currency = l.currency AND f.date <= l.rate_day
),
priced AS (
    SELECT *,
        CASE
            WHEN currency = 'USD' THEN 1.0
            WHEN f_date IS NOT NULL AND rate_day - f_date <= 7 THEN f_rate
        END AS usd_per_unit,
        CASE WHEN currency = 'USD' THEN rate_day WHEN rate_day - f_date <= 7 THEN f_date END AS used_fx_date
    FROM rated
)
SELECT
    document_id, page, table_index, row_index, bbox, company, company_canonical, site, period_start, period_end, device,
    device_count, utilization_share, idle_hours, power_kw, pue, electricity_price_native, currency,
    electricity_price_native * usd_per_unit AS electricity_usd_per_kwh,
    used_fx_date AS fx_date,
    coin, algorithm, claimed_hashrate_hs, claimed_hashrate_per_device_hs, claimed_coins_mined,
    claimed_revenue_native, claimed_revenue_native * usd_per_unit AS claimed_revenue_usd,
    claimed_opex_native, claimed_opex_native * usd_per_unit AS claimed_opex_usd,
    is_total_row, source_text, locale,
    CASE
        WHEN currency IS NULL OR usd_per_unit IS NOT NULL
            OR (electricity_price_native IS NULL AND claimed_revenue_native IS NULL AND claimed_opex_native IS NULL)
            THEN flags
        WHEN rate_day IS NULL THEN list_append(flags, 'no_fx_rate:no_period')
        ELSE list_append(flags, 'no_fx_rate:' || currency || '@' || strftime(rate_day, '%Y-%m-%d'))
    END AS flags,
    extraction_method, company_how
FROM priced
ORDER BY document_id, table_index, row_index;
