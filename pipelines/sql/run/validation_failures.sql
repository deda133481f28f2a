-- Question: which expectations are not met, on which table, and what happened to the failing rows?
-- (row level: the rows are in core.quarantine with stage 'validation'; table level: observed value)
SELECT source_table, expectation, severity, unexpected_count, observed, why
FROM core.validation_results
WHERE NOT success
ORDER BY severity, source_table, expectation;
-- (make run prints its summary with this file, shipped in the package as pipelines/sql/run/validation_failures.sql;
-- sql/analyst/validation_failures.sql is a link to it, so the two cannot differ.)
