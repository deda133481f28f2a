-- Cheap test of a staged file: rejected rows, and rows sharing an asset and timestamp.
SELECT
    count(*) FILTER (WHERE reason IS NOT NULL) AS rejected,
    count(*) FILTER (WHERE reason IS NULL)
        - (SELECT count(*) FROM (SELECT DISTINCT asset, ts FROM price_rows WHERE reason IS NULL)) AS repeated
FROM price_rows;
