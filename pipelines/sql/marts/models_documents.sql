-- Models input: document paths, to name a leaked sheet in an event title.
SELECT DISTINCT document_id, min(path) AS path
FROM core.documents
WHERE document_id IS NOT NULL
GROUP BY document_id
ORDER BY document_id;
