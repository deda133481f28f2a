-- Every file that was not loaded, with its reason (duplicates name the first copy).
SELECT path, kind, status, left(coalesce(error, CASE WHEN duplicate_of IS NOT NULL THEN 'same bytes as ' || duplicate_of END), $maxlen) AS reason
FROM core.documents
WHERE status <> 'loaded'
ORDER BY status, path
LIMIT $limit;
