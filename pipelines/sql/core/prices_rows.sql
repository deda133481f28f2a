-- One typed row per input row of a price file. Reads the temp view price_src (built per file
-- shape by pipelines.lib.sources.prices) and the variables ts_kind, asset, today, history_start.
-- `reason` is NULL for a good row, else why the row is rejected (first failing rule wins).
-- A number from a cell, NULL when unreadable or not finite ('inf', 'nan', '1e400' cast to a DOUBLE
-- but are no price or volume).
CREATE OR REPLACE TEMP MACRO finite_number(raw) AS
    CASE WHEN isfinite(TRY_CAST(raw AS DOUBLE)) THEN TRY_CAST(raw AS DOUBLE) END;

CREATE OR REPLACE TEMP VIEW price_rows_v AS
WITH typed AS (
    SELECT
        ts_raw,
        ts_parse(ts_raw, getvariable('ts_kind')) AS ts,
        coalesce(nullif(regexp_replace(upper(trim(asset_raw)), '[-_/]?(USDT|USDC|BUSD|USD)$', ''), ''),
                 getvariable('asset')) AS asset,
        finite_number(open_raw) AS open,
        finite_number(high_raw) AS high,
        finite_number(low_raw) AS low,
        finite_number(close_raw) AS close,
        finite_number(volume_raw) AS volume,
        finite_number(market_cap_raw) AS market_cap,
        regexp_matches(coalesce(source_raw, ''), getvariable('synthetic_pattern'), 'i') AS is_synthetic,
        close_raw, open_raw, high_raw, low_raw
    FROM price_src
)
SELECT
    ts, asset, open, high, low, close, volume, market_cap, is_synthetic, ts_raw, close_raw,
    CASE
        WHEN ts IS NULL THEN 'prices.unparseable_timestamp'
        WHEN CAST(ts AS DATE) > getvariable('today') THEN 'prices.future_date'
        WHEN CAST(ts AS DATE) < getvariable('history_start') THEN 'prices.before_history_start'
        WHEN close IS NULL THEN 'prices.missing_close'
        WHEN close <= 0 OR open <= 0 OR high <= 0 OR low <= 0 THEN 'prices.non_positive_price'
        WHEN (open IS NULL AND open_raw IS NOT NULL AND trim(CAST(open_raw AS VARCHAR)) <> '')
          OR (high IS NULL AND high_raw IS NOT NULL AND trim(CAST(high_raw AS VARCHAR)) <> '')
          OR (low IS NULL AND low_raw IS NOT NULL AND trim(CAST(low_raw AS VARCHAR)) <> '') THEN 'prices.unparseable_number'
        WHEN high < low THEN 'prices.high_below_low'
    END AS reason
FROM typed;
