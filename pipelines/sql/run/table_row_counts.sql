-- The `make run` summary (pipelines/run.py) runs this; it is the same query as the analysts' example
-- sql/analyst/table_row_counts.sql (tests/test_analyst_sql.py keeps the two equal), shipped with the package.
-- Question: which tables does the warehouse hold? (run.py counts each table's rows exactly)
SELECT schema_name, table_name
FROM duckdb_tables()
WHERE schema_name IN ('core', 'marts')
ORDER BY schema_name, table_name;
