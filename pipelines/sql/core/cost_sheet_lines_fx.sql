-- The exchange rates core.cost_sheet_lines converts with (its load joins core.fx_daily): their digest keys
-- which documents must be reloaded (all of them when a rate changed).
SELECT currency, date, usd_per_unit
FROM core.fx_daily
ORDER BY currency, date;
