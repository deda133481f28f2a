-- Cheap test of a staged file: rejected rows, and good rows whose timestamp does not come after
-- the one before it. Timestamps that strictly increase cannot repeat, so when the second count
-- is 0 there are no repeats and the exact count (prices_repeats.sql) is skipped.
SELECT
    (SELECT count(*) FROM price_rows WHERE reason IS NOT NULL) AS rejected,
    (SELECT count(*) FILTER (WHERE ts <= previous)
     FROM (SELECT ts, lag(ts) OVER () AS previous FROM price_rows WHERE reason IS NULL)) AS not_increasing;
