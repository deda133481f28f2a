-- Rows the inputs themselves mark as synthesised or approximate (is_synthetic), per table.
SELECT 'prices_daily' AS source_table, count(*) FILTER (WHERE is_synthetic) AS synthetic, count(*) AS total FROM core.prices_daily
UNION ALL
SELECT 'network_daily', count(*) FILTER (WHERE is_synthetic), count(*) FROM core.network_daily
UNION ALL
SELECT 'fx_daily', count(*) FILTER (WHERE is_synthetic), count(*) FROM core.fx_daily
UNION ALL
SELECT 'capex_announcements', count(*) FILTER (WHERE is_synthetic), count(*) FROM core.capex_announcements;
