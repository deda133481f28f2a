-- Expectations not met on their latest run (row level: failing rows are in core.quarantine).
SELECT source_table, expectation, severity, unexpected_count, left(observed, $maxlen) AS observed,
       left(why, $maxlen) AS why
FROM core.validation_results
WHERE NOT success
ORDER BY severity, source_table, expectation;
