-- Content hashes (sha256) and sizes of the documents, to compare with the bundled sample's files.
SELECT DISTINCT document_id, bytes FROM core.documents;
