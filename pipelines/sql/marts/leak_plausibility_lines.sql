-- Inputs of marts.leak_plausibility: every cost-sheet line and totals row, in key order.
SELECT document_id, page, table_index, row_index, company, site, period_start, period_end, device,
       device_count, utilization_share, idle_hours, power_kw, pue, electricity_price_native, currency,
       electricity_usd_per_kwh, coin, algorithm, claimed_hashrate_hs, claimed_hashrate_per_device_hs,
       claimed_coins_mined, claimed_revenue_native, claimed_opex_native, claimed_opex_usd, is_total_row,
       flags  -- the period claim reads one_day_period / period_conflicts_title
FROM core.cost_sheet_lines
ORDER BY document_id, table_index, row_index;
