-- The sha256 of sql/core/schema.sql under which this warehouse file was built.
SELECT digest FROM meta.schema_digest
