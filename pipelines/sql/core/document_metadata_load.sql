-- Rebuild core.document_metadata from the staged rows (one per document, whole table, one transaction).
DELETE FROM core.document_metadata;
INSERT INTO core.document_metadata
SELECT document_id, media_type, title, author, producer, creator_tool, created_at, modified_at, xmp_created_at,
       xmp_modified_at, incremental_updates, signed, fonts, email_from, email_to, email_cc, email_date,
       email_subject, notes, xmp_producer, xmp_creator_tool, dates_without_offset, pages, pages_with_text,
       pages_with_images, pages_with_invisible_text, revision_producers, text_added_by_update
FROM staged
ORDER BY document_id;
