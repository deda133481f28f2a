-- Make the quarantine rows of one table and stage equal to staged_quarantine, keeping the
-- quarantined_at of rows that were already there (so a re-run on unchanged input changes nothing).
DELETE FROM core.quarantine AS q
WHERE q.source_table = $source_table AND q.stage = $stage
  AND NOT EXISTS (
    SELECT 1 FROM staged_quarantine AS s
    WHERE s.document_id IS NOT DISTINCT FROM q.document_id AND s.locator = q.locator
      AND s.check_name = q.check_name AND s.reason = q.reason);

INSERT INTO core.quarantine
    (source_table, document_id, locator, raw_record, reason, check_name, quarantined_at, stage)
SELECT DISTINCT ON (s.document_id, s.locator, s.check_name, s.reason)
    $source_table, s.document_id, s.locator, s.raw_record::JSON, s.reason, s.check_name, $now, $stage
FROM staged_quarantine AS s
WHERE NOT EXISTS (
    SELECT 1 FROM core.quarantine AS q
    WHERE q.source_table = $source_table AND q.stage = $stage
      AND q.document_id IS NOT DISTINCT FROM s.document_id AND q.locator = s.locator
      AND q.check_name = s.check_name AND q.reason = s.reason);
