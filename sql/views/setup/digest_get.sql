-- The sha256 of sql/views/*.sql and sql/core/comments.sql last applied to this warehouse file.
SELECT digest FROM meta.views_digest
