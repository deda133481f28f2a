-- core.document_text after a run: exactly the staged rows (every text comes from the extraction cache or an
-- e-mail body, cheap to gather again), written only when they differ from what the table holds, so an
-- unchanged run leaves the table as it was.
CREATE OR REPLACE TEMP TABLE document_text_changed AS
SELECT (SELECT count(*) FROM (SELECT * FROM core.document_text EXCEPT ALL
                              SELECT path, document_id, part, page, locator, text_source, text, reason FROM staged))
     + (SELECT count(*) FROM (SELECT path, document_id, part, page, locator, text_source, text, reason FROM staged
                              EXCEPT ALL SELECT * FROM core.document_text)) > 0 AS changed;
DELETE FROM core.document_text WHERE (SELECT changed FROM document_text_changed);
INSERT INTO core.document_text
SELECT path, document_id, part, page, locator, text_source, text, reason
FROM staged
WHERE (SELECT changed FROM document_text_changed)
ORDER BY path, part;
DROP TABLE document_text_changed;
