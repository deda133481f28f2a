-- The e-mails whose body goes to core.document_text: every readable, not duplicated e-mail container
-- (its attachments are documents of their own, read with the cost sheets).
SELECT path, document_id
FROM core.document_inventory
WHERE container IN ('eml', 'msg', 'mbox') AND inventory_error IS NULL AND duplicate_of IS NULL
ORDER BY path;
