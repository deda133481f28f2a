-- How many records are quarantined, from how many documents.
SELECT count(*) AS records, count(DISTINCT document_id) AS documents FROM core.quarantine;
