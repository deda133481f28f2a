-- ts_parse(raw, kind): a timestamp (UTC) from text written the way detect_timestamp_kind() found.
-- Unparseable text gives NULL, never an error, so the row can be quarantined with its line.
CREATE OR REPLACE TEMP MACRO ts_parse(raw, kind) AS CASE kind
    WHEN 'epoch_s'  THEN to_timestamp(TRY_CAST(raw AS DOUBLE))
    WHEN 'epoch_ms' THEN make_timestamptz(TRY_CAST(raw AS BIGINT) * 1000)
    WHEN 'epoch_us' THEN make_timestamptz(TRY_CAST(raw AS BIGINT))
    WHEN 'iso'      THEN TRY_CAST(regexp_replace(trim(raw), '\s*UTC$', '') AS TIMESTAMPTZ)
    WHEN 'us_date'  THEN coalesce(try_strptime(trim(raw), '%m/%d/%Y'), try_strptime(trim(raw), '%m/%d/%Y %H:%M:%S'),
                                  try_strptime(trim(raw), '%m/%d/%Y %H:%M'))::TIMESTAMPTZ
    WHEN 'de_date'  THEN try_strptime(trim(raw), '%d.%m.%Y')::TIMESTAMPTZ
    WHEN 'day_mon_year' THEN try_strptime(trim(raw), '%d %b %Y')::TIMESTAMPTZ
END;
