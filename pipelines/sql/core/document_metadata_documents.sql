-- The documents core.document_metadata still has to describe: every registered document once (its first
-- path), readable or not, so that every document gets a row; with $reuse (the forensics code is the one
-- the existing rows were read with, and a document's bytes never change), only those without a row yet or
-- whose file could not be found last time.
SELECT i.document_id, min(i.path) AS path, first(i.media_type ORDER BY i.path) AS media_type
FROM core.document_inventory AS i
WHERE i.document_id IS NOT NULL
  AND NOT ($reuse AND i.document_id IN (SELECT document_id FROM core.document_metadata
                                         WHERE notes IS NULL OR notes NOT LIKE 'no file to read:%'))
GROUP BY i.document_id
ORDER BY i.document_id;
