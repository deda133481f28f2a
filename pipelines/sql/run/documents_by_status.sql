-- The `make run` summary (pipelines/run.py) runs this; it is the same query as the analysts' example
-- sql/analyst/documents_by_status.sql (tests/test_analyst_sql.py keeps the two equal), shipped with the package.
-- Question: how many input files were loaded, quarantined or duplicates?
-- One row per status (loaded, quarantined, duplicate, pending) with its number of files; files in = rows.
SELECT status, count(*) AS files FROM core.documents GROUP BY status ORDER BY status;
