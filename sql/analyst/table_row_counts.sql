-- Question: which tables does the warehouse hold? (run.py counts each table's rows exactly)
SELECT schema_name, table_name
FROM duckdb_tables()
WHERE schema_name IN ('core', 'marts')
ORDER BY schema_name, table_name;
