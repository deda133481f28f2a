-- Slow path, only for files with repeated timestamps: identical repeats collapse to one row;
-- repeats that disagree are all rejected, since the file does not say which one is right.
CREATE OR REPLACE TEMP TABLE price_rows_deduped AS
WITH good AS (
    SELECT DISTINCT ON (asset, ts, open, high, low, close, volume, market_cap) *
    FROM price_rows WHERE reason IS NULL
), conflicted AS (
    SELECT asset, ts FROM good GROUP BY asset, ts HAVING count(*) > 1
)
SELECT g.* REPLACE (CASE WHEN c.ts IS NOT NULL THEN 'prices.conflicting_duplicate' END AS reason)
FROM good AS g LEFT JOIN conflicted AS c USING (asset, ts)
UNION ALL
SELECT * FROM price_rows WHERE reason IS NOT NULL;

CREATE OR REPLACE TEMP VIEW price_rows AS SELECT * FROM price_rows_deduped;
