-- Question: how current and how complete is each table: first and last date, rows, gaps, per asset/coin?
-- One row = one table and one subject (asset, coin, currency, company, ...) with its first and last date,
-- rows, and for daily tables the calendar days missing between them; plus one row per table with
-- subject NULL for the whole table (present, with rows = 0, even when the table is empty). Rows whose
-- subject column is empty are counted under '(not given)'.
-- days_old counts from today's date (the session's), so it grows while the data stand still.
CREATE OR REPLACE VIEW views.data_freshness AS
WITH f AS (
    SELECT 'core.prices_daily' AS table_name, 'asset' AS subject_kind, asset AS subject, grouping(asset) = 1 AS whole_table, 'date' AS date_column, TRUE AS is_daily,
           min(date) AS first_date, max(date) AS last_date, count(*) AS rows, count(DISTINCT date) AS distinct_dates
    FROM core.prices_daily GROUP BY GROUPING SETS ((asset), ())
    UNION ALL
    SELECT 'core.price_observations', 'source', source, grouping(source) = 1, 'date', TRUE, min(date), max(date), count(*), count(DISTINCT date)
    FROM core.price_observations GROUP BY GROUPING SETS ((source), ())
    UNION ALL
    SELECT 'core.network_daily', 'coin', coin, grouping(coin) = 1, 'date', TRUE, min(date), max(date), count(*), count(DISTINCT date)
    FROM core.network_daily GROUP BY GROUPING SETS ((coin), ())
    UNION ALL
    SELECT 'core.network_observations', 'source', source, grouping(source) = 1, 'date', TRUE, min(date), max(date), count(*), count(DISTINCT date)
    FROM core.network_observations GROUP BY GROUPING SETS ((source), ())
    UNION ALL
    SELECT 'core.fx_daily', 'currency', currency, grouping(currency) = 1, 'date', TRUE, min(date), max(date), count(*), count(DISTINCT date)
    FROM core.fx_daily GROUP BY GROUPING SETS ((currency), ())
    UNION ALL
    SELECT 'core.fund_flows_daily', 'fund', asset || ' ' || fund, grouping(asset || ' ' || fund) = 1, 'date', TRUE, min(date), max(date), count(*), count(DISTINCT date)
    FROM core.fund_flows_daily GROUP BY GROUPING SETS ((asset || ' ' || fund), ())
    UNION ALL
    SELECT 'core.events', 'kind', kind, grouping(kind) = 1, 'date', FALSE, min(date), max(date), count(*), count(DISTINCT date)
    FROM core.events GROUP BY GROUPING SETS ((kind), ())
    UNION ALL
    SELECT 'core.cost_sheet_lines', 'company', coalesce(company_canonical, company), grouping(coalesce(company_canonical, company)) = 1, 'period_start .. period_end', FALSE,
           min(period_start), max(period_end), count(*), NULL
    FROM core.cost_sheet_lines GROUP BY GROUPING SETS ((coalesce(company_canonical, company)), ())
    UNION ALL
    SELECT 'core.capex_announcements', 'company', company, grouping(company) = 1, 'announced_on', FALSE, min(announced_on), max(announced_on), count(*), count(DISTINCT announced_on)
    FROM core.capex_announcements GROUP BY GROUPING SETS ((company), ())
    UNION ALL
    SELECT 'core.capex_quarterly', 'company', company, grouping(company) = 1, 'period_end', FALSE, min(period_end), max(period_end), count(*), count(DISTINCT period_end)
    FROM core.capex_quarterly GROUP BY GROUPING SETS ((company), ())
    UNION ALL
    SELECT 'core.documents', 'kind', kind, grouping(kind) = 1, 'first_seen_at', FALSE, CAST(min(first_seen_at) AS DATE), CAST(max(first_seen_at) AS DATE), count(*), NULL
    FROM core.documents GROUP BY GROUPING SETS ((kind), ())
    UNION ALL
    SELECT 'core.quarantine', 'source_table', source_table, grouping(source_table) = 1, 'quarantined_at', FALSE, CAST(min(quarantined_at) AS DATE), CAST(max(quarantined_at) AS DATE), count(*), NULL
    FROM core.quarantine GROUP BY GROUPING SETS ((source_table), ())
    UNION ALL
    SELECT 'marts.ai_fleet_daily', 'company', company, grouping(company) = 1, 'date', TRUE, min(date), max(date), count(*), count(DISTINCT date)
    FROM marts.ai_fleet_daily GROUP BY GROUPING SETS ((company), ())
    UNION ALL
    -- a day whose share is unknown (unknown_reason) has a row but is a gap all the same
    SELECT 'marts.mining_contribution_daily', 'coin', coin, grouping(coin) = 1, 'date', TRUE, min(date), max(date), count(*),
           count(DISTINCT date) FILTER (WHERE network_share_p50 IS NOT NULL)
    FROM marts.mining_contribution_daily GROUP BY GROUPING SETS ((coin), ())
    UNION ALL
    SELECT 'marts.mining_profitability_daily', 'coin', coin, grouping(coin) = 1, 'date', TRUE, min(date), max(date), count(*), count(DISTINCT date)
    FROM marts.mining_profitability_daily GROUP BY GROUPING SETS ((coin), ())
    UNION ALL
    SELECT 'marts.leak_plausibility', 'verdict', verdict, grouping(verdict) = 1, 'period_start .. period_end', FALSE, min(period_start), max(period_end), count(*), NULL
    FROM marts.leak_plausibility GROUP BY GROUPING SETS ((verdict), ())
)
SELECT
    table_name,
    subject_kind,
    CASE WHEN whole_table THEN NULL ELSE coalesce(subject, '(not given)') END AS subject,
    date_column,
    first_date,
    last_date,
    rows,
    CASE WHEN is_daily THEN CAST(last_date - first_date + 1 - distinct_dates AS BIGINT) END AS missing_days,
    CAST(current_date - last_date AS BIGINT) AS days_old
FROM f
ORDER BY table_name, whole_table DESC, subject;

COMMENT ON VIEW views.data_freshness IS 'First and last date, rows and gaps of each dated table, per subject (asset, coin, currency, company, ...) and for the whole table (subject NULL). One row = one table x subject.';
COMMENT ON COLUMN views.data_freshness.table_name IS 'The table, schema.name.';
COMMENT ON COLUMN views.data_freshness.subject_kind IS 'What subject holds: asset | coin | currency | fund | source | kind | company | source_table | verdict.';
COMMENT ON COLUMN views.data_freshness.subject IS 'The asset, coin, currency, company, ... this row counts; ''(not given)'' for rows without one; NULL = the whole table.';
COMMENT ON COLUMN views.data_freshness.date_column IS 'The column the dates come from (a timestamp is taken as its UTC date).';
COMMENT ON COLUMN views.data_freshness.first_date IS 'Earliest date (DATE, UTC); NULL for an empty table.';
COMMENT ON COLUMN views.data_freshness.last_date IS 'Latest date (DATE, UTC); NULL for an empty table.';
COMMENT ON COLUMN views.data_freshness.rows IS 'Rows counted.';
COMMENT ON COLUMN views.data_freshness.missing_days IS 'Daily tables only: calendar days between first_date and last_date without a row (0 = no gap; in marts.mining_contribution_daily a day whose share is unknown counts as missing); NULL for tables that are not daily.';
COMMENT ON COLUMN views.data_freshness.days_old IS 'Days from last_date to today''s date (the querying session''s date); grows while no new data arrive.';
