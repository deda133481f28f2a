-- The `make run` summary (pipelines/run.py) runs this; it is the same query as the analysts' example
-- sql/analyst/validation_failures.sql (tests/test_analyst_sql.py keeps the two equal), shipped with the package.
-- Question: which expectations are not met, on which table, and what happened to the failing rows?
-- (row level: the rows are in core.quarantine with stage 'validation'; table level: observed value)
SELECT source_table, expectation, severity, unexpected_count, observed, why
FROM core.validation_results
WHERE NOT success
ORDER BY severity, source_table, expectation;
