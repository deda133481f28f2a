-- Record what a parser made of each of its files; loaded_at moves only when the outcome changes.
DELETE FROM core.document_outcomes AS o
WHERE o.parser = $parser
  AND NOT EXISTS (
    SELECT 1 FROM staged_outcomes AS s
    WHERE s.path = o.path AND s.document_id = o.document_id AND s.status = o.status
      AND s.error IS NOT DISTINCT FROM o.error AND s.pages IS NOT DISTINCT FROM o.pages
      AND s.rows_loaded = o.rows_loaded AND s.rows_quarantined = o.rows_quarantined);

INSERT INTO core.document_outcomes
    (path, document_id, parser, status, error, pages, rows_loaded, rows_quarantined, loaded_at)
SELECT s.path, s.document_id, $parser, s.status, s.error, s.pages, s.rows_loaded, s.rows_quarantined, $now
FROM staged_outcomes AS s
WHERE NOT EXISTS (SELECT 1 FROM core.document_outcomes AS o WHERE o.path = s.path AND o.document_id = s.document_id);
