-- leakpipe status: input files by folder (kind) and status.
SELECT kind, status, count(*) AS files, CAST(sum(bytes) AS BIGINT) AS bytes
FROM core.documents
GROUP BY kind, status
ORDER BY kind, status;
