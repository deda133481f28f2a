-- Input of marts.fleet_detectability: the leaked sheets' lines that name a coin, with their claimed
-- hashrate, devices and period (core.cost_sheet_lines; totals rows are set aside by the Python).
SELECT document_id, table_index, row_index, coin, device, device_count, period_start, period_end,
       claimed_hashrate_hs, claimed_hashrate_per_device_hs, is_total_row
FROM core.cost_sheet_lines
WHERE coin IS NOT NULL
ORDER BY document_id, table_index, row_index;
