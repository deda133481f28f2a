-- Question: which tables does the warehouse hold? (run.py counts each table's rows exactly)
SELECT schema_name, table_name
FROM duckdb_tables()
WHERE schema_name IN ('core', 'marts')
ORDER BY schema_name, table_name;
-- (make run prints its summary with this file, shipped in the package as pipelines/sql/run/table_row_counts.sql;
-- sql/analyst/table_row_counts.sql is a link to it, so the two cannot differ.)
