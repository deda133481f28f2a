-- Content hashes (sha256), sizes and kinds of the documents, to compare with the bundled sample's files.
SELECT DISTINCT document_id, bytes, kind FROM core.documents;
