-- The documents core.document_metadata describes: every registered document once (its first path), readable
-- or not, so that every document gets a row.
SELECT document_id, min(path) AS path, first(media_type ORDER BY path) AS media_type
FROM core.document_inventory
WHERE document_id IS NOT NULL
GROUP BY document_id
ORDER BY document_id;
