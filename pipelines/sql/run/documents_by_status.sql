-- Question: how many input files were loaded, quarantined or duplicates?
-- One row per status (loaded, quarantined, duplicate, pending) with its number of files; files in = rows.
SELECT status, count(*) AS files FROM core.documents GROUP BY status ORDER BY status;
-- (make run prints its summary with this file, shipped in the package as pipelines/sql/run/documents_by_status.sql;
-- sql/analyst/documents_by_status.sql is a link to it, so the two cannot differ.)
