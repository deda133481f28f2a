-- Cheap test of a staged file: rejected rows, and rows sharing an asset and timestamp.
SELECT
    count(*) FILTER (WHERE reason IS NOT NULL) AS rejected,
    count(*) FILTER (WHERE reason IS NULL) - count(DISTINCT (asset, ts)) FILTER (WHERE reason IS NULL) AS repeated
FROM price_rows;
