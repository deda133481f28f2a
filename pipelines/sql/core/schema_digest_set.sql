-- Record the sha256 of pipelines/sql/core/schema.sql this warehouse file is built under (one row).
DELETE FROM meta.schema_digest;
INSERT INTO meta.schema_digest VALUES ($digest);
