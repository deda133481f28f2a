-- The sha256 of pipelines/sql/core/schema.sql under which this warehouse file was built.
SELECT digest FROM meta.schema_digest
