-- The validation stage of one table's quarantine, in the check's transaction.
-- staged_quarantine: the rows that break an expectation now (locator, check_name, reason, ...);
-- validated: the locators of every row the check read. An entry stays while its row is still
-- kept out (the row is not back in the table) and its document is still in the raw folder;
-- it goes when its row is back and passes that expectation. Unchanged entries keep quarantined_at.
DELETE FROM core.quarantine AS q
WHERE q.source_table = $source_table AND q.stage = 'validation'
  AND (
    (q.locator IN (SELECT locator FROM validated)
     AND NOT EXISTS (SELECT 1 FROM staged_quarantine AS s
                     WHERE s.locator = q.locator AND s.check_name = q.check_name
                       AND s.document_id IS NOT DISTINCT FROM q.document_id))
    OR (q.document_id IS NOT NULL
        AND q.document_id NOT IN (SELECT document_id FROM core.document_inventory WHERE document_id IS NOT NULL))
  );

INSERT INTO core.quarantine
    (source_table, document_id, locator, raw_record, reason, check_name, quarantined_at, stage)
SELECT DISTINCT ON (s.document_id, s.locator, s.check_name)
    $source_table, s.document_id, s.locator, s.raw_record::JSON, s.reason, s.check_name, $now, 'validation'
FROM staged_quarantine AS s
WHERE NOT EXISTS (
    SELECT 1 FROM core.quarantine AS q
    WHERE q.source_table = $source_table AND q.stage = 'validation'
      AND q.document_id IS NOT DISTINCT FROM s.document_id AND q.locator = s.locator
      AND q.check_name = s.check_name);

-- One row per expectation of this table's suite: the latest verdict, for analysts and the report.
DELETE FROM core.validation_results WHERE source_table = $source_table;

INSERT INTO core.validation_results
SELECT $source_table, name, level, severity, success, element_count, unexpected_count,
       observed, why, $validated_on, $rows_checked
FROM staged_outcomes;
