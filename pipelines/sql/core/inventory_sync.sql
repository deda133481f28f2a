-- Bring core.document_inventory in line with the files now in the raw folder (staged_inventory).
-- A file whose bytes changed is a new document; an unchanged one keeps its first_seen_at.
DELETE FROM core.document_inventory AS d
WHERE NOT EXISTS (
    SELECT 1 FROM staged_inventory AS s
    WHERE s.path = d.path AND s.document_id IS NOT DISTINCT FROM d.document_id
      AND s.inventory_error IS NOT DISTINCT FROM d.inventory_error
      AND s.media_type IS NOT DISTINCT FROM d.media_type AND s.kind = d.kind
      AND s.parent_document_id IS NOT DISTINCT FROM d.parent_document_id
      AND s.member_path IS NOT DISTINCT FROM d.member_path AND s.container IS NOT DISTINCT FROM d.container);

INSERT INTO core.document_inventory (path, document_id, kind, media_type, bytes, inventory_error, first_seen_at,
                                     parent_document_id, member_path, container)
SELECT s.path, s.document_id, s.kind, s.media_type, s.bytes, s.inventory_error, $now,
       s.parent_document_id, s.member_path, s.container
FROM staged_inventory AS s
WHERE NOT EXISTS (SELECT 1 FROM core.document_inventory AS d WHERE d.path = s.path);

-- The first path (by first sighting, then name) with given bytes is the original; the rest are duplicates.
UPDATE core.document_inventory AS d
SET duplicate_of = nullif(f.first_path, d.path)
FROM (
    SELECT path, first_value(path) OVER (PARTITION BY document_id ORDER BY first_seen_at, path) AS first_path
    FROM core.document_inventory
    WHERE document_id IS NOT NULL AND inventory_error IS NULL
) AS f
WHERE d.path = f.path AND d.duplicate_of IS DISTINCT FROM nullif(f.first_path, d.path);

DELETE FROM core.document_outcomes AS o
WHERE NOT EXISTS (SELECT 1 FROM core.document_inventory AS d
                  WHERE d.path = o.path AND d.document_id = o.document_id AND d.duplicate_of IS NULL);
