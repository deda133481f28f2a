-- Question: which tables are out of date or have gaps, per asset or coin?
-- One row per daily table and subject: first and last day, rows, calendar days missing between them,
-- and how many days the last one is behind today. Subjects that end well before the others (ETH network
-- data end at the Merge) or have missing days are where a result may rest on less data than it seems.
-- Fund flows have no rows on weekends and holidays, so their missing days are expected.
SELECT table_name, subject, first_date, last_date, rows, missing_days, days_old
FROM views.data_freshness
WHERE missing_days IS NOT NULL AND subject IS NOT NULL
ORDER BY last_date, table_name, subject;
