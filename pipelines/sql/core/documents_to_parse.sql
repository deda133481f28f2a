-- The files a parser should read: of its kind, readable, not a duplicate, not a container (archive or e-mail:
-- its members are rows of their own).
SELECT path, document_id
FROM core.document_inventory
WHERE kind = $kind AND inventory_error IS NULL AND duplicate_of IS NULL AND container IS NULL
ORDER BY path;
