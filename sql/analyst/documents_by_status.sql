-- Question: how many input files were loaded, quarantined or duplicates?
SELECT status, count(*) AS files FROM core.documents GROUP BY status ORDER BY status;
