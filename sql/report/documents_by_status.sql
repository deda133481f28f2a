-- Files in the raw folder by outcome (loaded, quarantined, duplicate) and kind.
SELECT status, kind, count(*) AS files
FROM core.documents
GROUP BY status, kind
ORDER BY status, kind;
