-- Question: which documents are quarantined, and why?
-- One row per file or part of a file kept out of the tables: the file, its status in core.documents
-- (quarantined = the whole file was rejected; loaded = only some records were), the step that rejected
-- it (inventory, parse, validation), how many records, and the reasons. Whole files first.
SELECT q.path, d.status AS file_status, q.source_table, q.stage, q.records, q.checks, q.reasons, q.locators
FROM views.quarantine_summary AS q
LEFT JOIN core.documents AS d ON d.path = q.path
ORDER BY (d.status = 'quarantined') DESC NULLS LAST, q.path, q.source_table, q.stage;
