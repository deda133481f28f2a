-- Question: which documents (or parts of them) were kept out of the tables, at which step, and why?
-- One row = one document, target table and stage (inventory | parse | validation) with at least one
-- record in core.quarantine: how many records, which rules rejected them, the distinct reasons (up to 5)
-- and some locators to find them. The full records (raw_record as JSON) stay in core.quarantine.
CREATE OR REPLACE VIEW views.quarantine_summary AS
WITH doc AS (SELECT * FROM views.document_paths()),   -- one path per document
q AS (
    SELECT
        q.*,
        CASE WHEN q.source_table = 'documents' AND q.locator LIKE 'file %' THEN substr(q.locator, 6)
             ELSE doc.path END AS path
    FROM core.quarantine AS q
    LEFT JOIN doc ON doc.document_id = q.document_id
)
SELECT
    path,
    source_table,
    stage,
    count(*) AS records,
    string_agg(DISTINCT check_name, ', ' ORDER BY check_name) AS checks,
    count(DISTINCT reason) AS distinct_reasons,
    list_slice(list_sort(list_distinct(list(reason))), 1, 5) AS reasons,
    list_slice(list_sort(list_distinct(list(locator))), 1, 10) AS locators,
    min(quarantined_at) AS first_quarantined_at,
    max(quarantined_at) AS last_quarantined_at,
    document_id
FROM q
GROUP BY path, source_table, stage, document_id
ORDER BY path, source_table, stage;

COMMENT ON VIEW views.quarantine_summary IS 'What was kept out of the tables, per document, target table and stage: record count, rules, reasons and locators (the records themselves are in core.quarantine). One row = one document x source_table x stage.';
COMMENT ON COLUMN views.quarantine_summary.path IS 'The file, relative to the raw folder (for a file rejected at inventory, the path in its locator); NULL when the document is gone.';
COMMENT ON COLUMN views.quarantine_summary.source_table IS 'The table the records were meant for (core.<name>), or documents for a whole file that could not be registered.';
COMMENT ON COLUMN views.quarantine_summary.stage IS 'Which step kept them out: inventory (file unreadable) | parse (record could not be read) | validation (failed an expectation).';
COMMENT ON COLUMN views.quarantine_summary.records IS 'Quarantined records (or files).';
COMMENT ON COLUMN views.quarantine_summary.checks IS 'The rules that rejected them (check_name; at validation, the great-expectations expectation), comma-separated.';
COMMENT ON COLUMN views.quarantine_summary.distinct_reasons IS 'Number of distinct reasons.';
COMMENT ON COLUMN views.quarantine_summary.reasons IS 'Up to 5 distinct reasons, sentences a person understands, in alphabetical order.';
COMMENT ON COLUMN views.quarantine_summary.locators IS 'Up to 10 locators (file, line N, page P row R, a key, ...), in text order.';
COMMENT ON COLUMN views.quarantine_summary.first_quarantined_at IS 'When the earliest of these records was first quarantined (TIMESTAMP WITH TIME ZONE).';
COMMENT ON COLUMN views.quarantine_summary.last_quarantined_at IS 'When the latest of these records was first quarantined (TIMESTAMP WITH TIME ZONE).';
COMMENT ON COLUMN views.quarantine_summary.document_id IS 'sha256 of the document''s bytes; NULL for a file that could not be read.';
