-- Files in the raw folder by outcome (loaded, quarantined, duplicate) and kind, with their size
-- (the report and `leakpipe status` both show it).
SELECT status, kind, count(*) AS files, CAST(sum(bytes) AS BIGINT) AS bytes
FROM core.documents
GROUP BY status, kind
ORDER BY status, kind;
