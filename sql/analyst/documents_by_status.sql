-- Question: how many input files were loaded, quarantined or duplicates?
-- One row per status (loaded, quarantined, duplicate, pending) with its number of files; files in = rows.
SELECT status, count(*) AS files FROM core.documents GROUP BY status ORDER BY status;
