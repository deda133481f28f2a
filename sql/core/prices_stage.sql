-- The rejected-rows query re-reads the file for the raw text, so it is not stored here.
CREATE OR REPLACE TEMP TABLE price_rows AS SELECT * EXCLUDE (ts_raw, close_raw) FROM price_rows_v;
