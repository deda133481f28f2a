-- The e-mails (.eml, .msg) whose attachments are documents: the sender of the one that carried a cost
-- sheet is a clue to its company (an mbox is left out: its messages are e-mails of their own).
SELECT path, document_id
FROM core.document_inventory
WHERE container IN ('eml', 'msg') AND document_id IS NOT NULL
ORDER BY path;
