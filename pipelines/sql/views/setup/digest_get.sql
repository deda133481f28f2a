-- The sha256 of pipelines/sql/views/*.sql and pipelines/sql/core/comments.sql last applied to this warehouse file.
SELECT digest FROM meta.views_digest
