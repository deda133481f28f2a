-- The digest of the forensics code core.document_metadata was read with (NULL: never).
SELECT max(digest) FROM meta.document_metadata_code;
