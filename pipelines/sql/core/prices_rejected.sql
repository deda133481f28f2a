-- Rejected rows with their line numbers (re-reads the file; only run when something was rejected).
WITH numbered AS (
    SELECT row_number() OVER () + getvariable('header_lines') AS line, *
    FROM price_rows_v
), rejected AS (
    SELECT DISTINCT asset, ts, reason FROM price_rows WHERE reason IS NOT NULL
)
SELECT n.line, n.ts_raw, n.close_raw, n.asset, n.open, n.high, n.low, n.close, n.volume,
       coalesce(r.reason, n.reason) AS reason
FROM numbered AS n
LEFT JOIN rejected AS r
       ON r.reason = 'prices.conflicting_duplicate' AND n.reason IS NULL
      AND r.asset = n.asset AND r.ts = n.ts
WHERE n.reason IS NOT NULL OR r.reason IS NOT NULL
ORDER BY n.line;
