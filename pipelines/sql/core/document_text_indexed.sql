-- What the full-text index holds: every part of core.document_text that has text, in reading order.
SELECT path, document_id, page, locator, text_source, text
FROM core.document_text
WHERE text IS NOT NULL
ORDER BY path, part;
