-- Models input: the leaked sheets' data lines (totals rows excluded): device counts, utilisation,
-- prices and periods per company.
SELECT document_id, table_index, row_index, company, device, device_count, utilization_share,
       period_start, period_end, coin, electricity_usd_per_kwh, is_total_row
FROM core.cost_sheet_lines
WHERE NOT coalesce(is_total_row, false)
ORDER BY document_id, table_index, row_index;
