-- core.document_metadata after a run: the rows kept ($reuse: the same forensics code) of documents still
-- registered, plus the staged rows of the documents read now; then the code digest they were read with.
DELETE FROM core.document_metadata
WHERE NOT $reuse
   OR document_id IN (SELECT document_id FROM staged)
   OR document_id NOT IN (SELECT document_id FROM core.document_inventory WHERE document_id IS NOT NULL);
INSERT INTO core.document_metadata
SELECT document_id, media_type, title, author, producer, creator_tool, created_at, modified_at, xmp_created_at,
       xmp_modified_at, incremental_updates, signed, fonts, email_from, email_to, email_cc, email_date,
       email_subject, notes, xmp_producer, xmp_creator_tool, dates_without_offset, pages, pages_with_text,
       pages_with_images, pages_with_invisible_text, revision_producers, text_added_by_update
FROM staged
ORDER BY document_id;
DELETE FROM meta.document_metadata_code;
INSERT INTO meta.document_metadata_code VALUES ($digest);
